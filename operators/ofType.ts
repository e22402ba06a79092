import { filter, type Observable } from 'rxjs';
import { InvalidArgumentError } from '../src/errors.js';
import type { RunEvent, RunEventType } from '../src/events.js';

/** Every event type, checked by the compiler against `RunEventType` in both directions. */
const knownTypes = {
  'turn-started': true,
  raw: true,
  'text-delta': true,
  'tool-call': true,
  'tool-output': true,
  'agent-updated': true,
  'turn-completed': true,
  'turn-restarted': true,
  'tool-approval-requested': true,
  'run-interrupted': true,
  guardrail: true,
  'final-output': true,
} as const satisfies Record<RunEventType, true>;

/**
 * Lets through the events of the given types only, and narrows their type to match.
 *
 * <span class="informal">A `filter` on `event.type` that TypeScript understands: after
 * `ofType('tool-call')` the events are `ToolCallEvent`s, no type guard needed.</span>
 *
 * ```text
 * source:                             -r-d-c-r-o-t-f-|   (r raw, d text-delta, c tool-call, ...)
 * ofType('tool-call', 'tool-output'): -----c---o-----|
 * ```
 *
 * The event types are checked when the operator is created: none at all, or a name that is not a
 * `RunEvent` type, throws an `InvalidArgumentError`. The returned operator works on the events of
 * a run of any output type, and keeps that type: `ofType('final-output')` on
 * `Observable<RunEvent<Answer>>` gives `Observable<FinalOutputEvent<Answer>>`.
 *
 * ## Example
 *
 * ```ts
 * import { runStreamed } from 'rxjs-agents';
 * import { ofType } from 'rxjs-agents/operators';
 *
 * runStreamed(agent, 'What is the weather in Oslo?')
 *   .pipe(ofType('tool-call', 'tool-output'))
 *   .subscribe((event) => {
 *     // event: ToolCallEvent | ToolOutputEvent
 *     console.log(event.type, event.name, event.callId);
 *   });
 * ```
 *
 * @see {@link filterTextDeltas}
 * @see {@link toFinalOutput}
 *
 * @param types The `type`s of the events to let through; at least one.
 * @returns A function that returns an Observable of the events of those types, typed as such.
 */
export function ofType<K extends RunEventType>(
  ...types: K[]
): <T>(source: Observable<RunEvent<T>>) => Observable<Extract<RunEvent<T>, { type: K }>> {
  if (types.length === 0) {
    throw new InvalidArgumentError({ argument: 'types', message: 'ofType() needs at least one event type.' });
  }
  types.forEach((type, index) => {
    if (typeof type !== 'string' || !Object.hasOwn(knownTypes, type)) {
      throw new InvalidArgumentError({
        argument: `types[${index}]`,
        message: `${JSON.stringify(type)} is not a run event type; expected one of ${Object.keys(knownTypes).join(', ')}.`,
      });
    }
  });
  const wanted = new Set<string>(types);
  return <T>(source: Observable<RunEvent<T>>) =>
    source.pipe(filter((event): event is Extract<RunEvent<T>, { type: K }> => wanted.has(event.type)));
}

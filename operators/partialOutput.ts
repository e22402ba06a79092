import { Observable, type OperatorFunction } from 'rxjs';
import type { DeepPartial } from '../src/deepPartial.js';
import { ModelBehaviorError, NoFinalOutputError } from '../src/errors.js';
import type { RunEvent } from '../src/events.js';
import { jsonEqual } from '../src/internal/jsonEqual.js';
import { isObject, parseBudget, parsePartial, startsAnObject } from './internal/partialJson.js';

/**
 * Emits the structured answer of a run as it streams: a deep-partial object that grows with each
 * text delta, and last the validated final output.
 *
 * <span class="informal">For an agent with an `outputType`: a form that fills itself in while the
 * model writes the JSON.</span>
 *
 * ```text
 * source:         -a---b---c---t-f|   a '{"city":"Os'  b 'lo","days":'  c '3}'  t turn-completed  f final-output
 * partialOutput:  -x---y---z-----|    x {city:'Os'}  y {city:'Oslo'}  z {city:'Oslo',days:3} (f equals z: not repeated)
 * ```
 *
 * After a `text-delta`, the text of the current turn is parsed with
 * [partial-json](https://github.com/promplate/partial-json-parser-js); the object is emitted when it
 * differs (deeply) from the previous emission. So that a long answer costs linear time, not
 * quadratic, a text is parsed again only once it has grown by 1/32 of its length since the last
 * parse: every delta for short answers, every few deltas for long ones (about 3% of the text
 * apart); the turn's whole text is parsed at `turn-completed` and before a source error, so no
 * delta is left out of the last partial. At `final-output` the event's `output` — parsed and
 * validated by the run, so possibly transformed by the schema — is emitted unless it deep-equals
 * the last partial, and the Observable completes. So the last value is always the final output,
 * or a partial deep-equal to it.
 *
 * - Text deltas are counted per turn: the first delta of a new turn (a new `turn` number) starts
 *   the text afresh, so text written before a tool call does not spoil the answer; so does a
 *   `turn-restarted` event (the turn's attempt is retried from its start).
 * - Strings appear as prefixes of their final value; arrays with the elements so far; numbers only
 *   once complete (`12` may be the start of `129`).
 * - A turn whose text does not start with `{` is not parsed. It fails the run only when it turns
 *   out to be the answer: when `final-output` arrives and its `output` is not an object, the
 *   Observable errors with a `ModelBehaviorError` (an agent without `outputType`). Failing at the
 *   first such character instead would break valid runs whose earlier turns hold plain text: a
 *   model that talks before calling a tool, a handoff from a text agent to a structured one.
 * - The events of nested runs (agents called as tools, marked with `parentCallId`) are ignored:
 *   their text is not this run's answer.
 * - A source that completes without `final-output` errors with `NoFinalOutputError`; a source
 *   error passes through after the partials already emitted.
 *
 * ## Example
 *
 * ```ts
 * import { z } from 'zod';
 * import { Agent, runStreamed } from 'rxjs-agents';
 * import { partialOutput } from 'rxjs-agents/operators';
 *
 * const agent = new Agent({
 *   name: 'Travel agent',
 *   instructions: 'Recommend one destination.',
 *   outputType: z.object({ destination: z.string(), reason: z.string() }),
 * });
 *
 * runStreamed(agent, 'Somewhere warm in March?')
 *   .pipe(partialOutput())
 *   .subscribe((answer) => {
 *     // answer: { destination?: string; reason?: string }
 *     render(answer.destination ?? '…', answer.reason ?? '');
 *   });
 * ```
 *
 * @see {@link accumulateText}
 * @see {@link toFinalOutput}
 *
 * @returns A function that returns an Observable of the growing answer, ending with the final
 * output.
 */
export function partialOutput<T>(): OperatorFunction<RunEvent<T>, DeepPartial<T>> {
  return (source) =>
    new Observable<DeepPartial<T>>((subscriber) => {
      let turn: number | undefined;
      let text = '';
      /** The length of `text` when it was last parsed. */
      let parsed = 0;
      let hasLast = false;
      let last: unknown;

      const emit = (value: unknown): void => {
        if (hasLast && jsonEqual(last, value)) return;
        hasLast = true;
        last = value;
        // The run's output type is `T`, and a partial of it is a `DeepPartial<T>`: the cast states
        // what partial-json cannot know.
        subscriber.next(value as DeepPartial<T>);
      };

      /** Parses the turn's text, unless it has not grown since the last parse. */
      const parse = (): void => {
        if (text.length === parsed) return;
        parsed = text.length;
        if (!startsAnObject(text)) return;
        const partial = parsePartial(text);
        if (partial !== undefined) emit(partial);
      };

      return source.subscribe({
        next: (event) => {
          // A nested run's text (an agent called as a tool) is not this run's answer.
          if (event.parentCallId !== undefined) return;
          if (event.type === 'text-delta') {
            if (event.turn !== turn) {
              turn = event.turn;
              text = '';
              parsed = 0;
            }
            text += event.delta;
            if ((text.length - parsed) * parseBudget >= text.length) parse();
          } else if (event.type === 'turn-restarted' && event.turn === turn) {
            // The attempt is retried from its start: its text so far no longer counts.
            text = '';
            parsed = 0;
          } else if (event.type === 'turn-completed' && event.turn === turn) {
            parse();
          } else if (event.type === 'final-output') {
            if (!isObject(event.output)) {
              subscriber.error(
                new ModelBehaviorError({
                  message:
                    'partialOutput() needs a run whose final output is a JSON object (an agent with an outputType), ' +
                    `but this run's final output is ${describe(event.output)}.`,
                }),
              );
              return;
            }
            emit(event.output);
            subscriber.complete();
          }
        },
        error: (error: unknown) => {
          parse();
          subscriber.error(error);
        },
        complete: () =>
          subscriber.error(
            new NoFinalOutputError({ message: 'partialOutput(): the run completed without a final output.' }),
          ),
      });
    });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `a ${typeof value}`;
}

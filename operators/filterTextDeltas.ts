import { filter, map, pipe } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { RunEvent, TextDeltaEvent } from '../src/events.js';
import { nestedOption, type NestedTextOptions } from './internal/nestedOption.js';

/**
 * Emits the `delta` of each `text-delta` event and ignores every other event.
 *
 * <span class="informal">The assistant's text as it arrives, one piece at a time: what a chat
 * UI appends to the message it is showing.</span>
 *
 * ```
 * source: -r-t-c-t-o-f-|     r = raw   t = text-delta   c = tool-call   o = tool-output   f = final-output
 * result: ---a---b-----|     a, b = the two deltas
 * ```
 *
 * Completion and errors pass through unchanged; across turns and handoffs, the deltas of every
 * turn come out in order. The text of nested runs — agents called as tools, whose events carry
 * `parentCallId` — is left out, unless `{ nested: true }` asks for it.
 *
 * ## Example
 *
 * Print the answer as it is written:
 *
 * ```ts
 * import { runStreamed } from 'rxjs-agents';
 * import { filterTextDeltas } from 'rxjs-agents/operators';
 *
 * runStreamed(agent, 'Where should I travel in May?')
 *   .pipe(filterTextDeltas())
 *   .subscribe((delta) => process.stdout.write(delta));
 * ```
 *
 * @see {@link bufferTokens}
 * @see {@link toFinalOutput}
 *
 * @param options `nested: true` to include the text of nested runs (default `false`).
 * @returns A function that returns an Observable of the text deltas of a run, as strings.
 * @throws {InvalidArgumentError} When an option is invalid, at the call.
 */
export function filterTextDeltas<T = unknown>(options?: NestedTextOptions): OperatorFunction<RunEvent<T>, string> {
  const nested = nestedOption(options, 'filterTextDeltas');
  return pipe(
    filter(
      nested
        ? (event: RunEvent<T>): event is TextDeltaEvent => event.type === 'text-delta'
        : (event: RunEvent<T>): event is TextDeltaEvent =>
            event.type === 'text-delta' && event.parentCallId === undefined,
    ),
    map((event) => event.delta),
  );
}

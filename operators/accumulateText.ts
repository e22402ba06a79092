import { defer, filter, map, type OperatorFunction } from 'rxjs';
import type { RunEvent } from '../src/events.js';

/**
 * Emits the assistant's text so far, after each new piece of it.
 *
 * <span class="informal">What a `[textContent]` binding wants: the whole text, growing, instead of
 * the pieces.</span>
 *
 * ```text
 * source:          -a----b---c--|      (a = 'Hel', b = 'lo', c = ' you')
 * accumulateText:  -x----y---z--|      (x = 'Hel', y = 'Hello', z = 'Hello you')
 * ```
 *
 * Works on a run's events (it reads the `delta` of each `text-delta` and ignores every other
 * event) and on a stream of strings (each string is a delta, for example after
 * `filterTextDeltas()` or `bufferTokens()`). The text of every turn of the run is joined as it
 * arrives, like an error's `partial.text`: text the model wrote before a tool call stays at the
 * front. A `turn-restarted` event (a retry after the model had streamed text) drops the text of
 * the restarted attempt and emits the text without it. An empty delta changes nothing and emits
 * nothing, so the same text is never emitted twice in a row. Completion and errors pass through; each subscription starts from `''`.
 *
 * ## Example
 *
 * ```ts
 * import { runStreamed } from 'rxjs-agents';
 * import { accumulateText } from 'rxjs-agents/operators';
 *
 * // In an Angular component: <p [textContent]="answer$ | async"></p>
 * answer$ = runStreamed(agent, 'Recommend one destination.').pipe(accumulateText());
 * ```
 *
 * @see {@link filterTextDeltas}
 * @see {@link partialOutput}
 *
 * @returns A function that returns an Observable of the accumulated text, one value per non-empty
 * delta.
 */
export function accumulateText(): OperatorFunction<RunEvent<unknown> | string, string> {
  return (source) =>
    defer(() => {
      // The text of the turns before the current one, and of the current one: a `turn-restarted`
      // drops the second, as a UI must drop the text of an attempt that is retried.
      let earlierTurns = '';
      let currentTurn = '';
      let turn: number | undefined;
      return source.pipe(
        map((value): string | undefined => {
          if (typeof value === 'string') {
            if (value === '') return undefined;
            currentTurn += value;
            return earlierTurns + currentTurn;
          }
          if (value.type === 'text-delta') {
            if (value.delta === '') return undefined;
            if (value.turn !== turn) {
              earlierTurns += currentTurn;
              currentTurn = '';
              turn = value.turn;
            }
            currentTurn += value.delta;
            return earlierTurns + currentTurn;
          }
          if (value.type === 'turn-restarted' && value.turn === turn && currentTurn !== '') {
            currentTurn = '';
            return earlierTurns;
          }
          return undefined;
        }),
        filter((text): text is string => text !== undefined),
      );
    });
}

import { defer, filter, map, type OperatorFunction } from 'rxjs';
import type { RunEvent } from '../src/events.js';
import { nestedOption, type NestedTextOptions } from './internal/nestedOption.js';

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
 * The text of nested runs — agents called as tools, whose events carry `parentCallId` — is left
 * out, unless `{ nested: true }` asks for it: it then joins the text as it streams, each nested
 * run's turns kept apart from the run's own (a nested `turn-restarted` drops only its turn's text).
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
 * @param options `nested: true` to include the text of nested runs (default `false`).
 * @returns A function that returns an Observable of the accumulated text, one value per non-empty
 * delta.
 * @throws {InvalidArgumentError} When an option is invalid, at the call.
 */
export function accumulateText(options?: NestedTextOptions): OperatorFunction<RunEvent<unknown> | string, string> {
  const nested = nestedOption(options, 'accumulateText');
  return (source) =>
    defer(() => {
      // The text of the turns before the current one, and of the current one: a `turn-restarted`
      // drops the second, as a UI must drop the text of an attempt that is retried. A turn is
      // known by its number and, for a nested run's, the call that runs it.
      let earlierTurns = '';
      let currentTurn = '';
      let turn: number | undefined;
      let turnOf: string | undefined;
      return source.pipe(
        map((value): string | undefined => {
          if (typeof value === 'string') {
            if (value === '') return undefined;
            currentTurn += value;
            return earlierTurns + currentTurn;
          }
          if (value.parentCallId !== undefined && !nested) return undefined;
          if (value.type === 'text-delta') {
            if (value.delta === '') return undefined;
            if (value.turn !== turn || value.parentCallId !== turnOf) {
              earlierTurns += currentTurn;
              currentTurn = '';
              turn = value.turn;
              turnOf = value.parentCallId;
            }
            currentTurn += value.delta;
            return earlierTurns + currentTurn;
          }
          if (
            value.type === 'turn-restarted' &&
            value.turn === turn &&
            value.parentCallId === turnOf &&
            currentTurn !== ''
          ) {
            currentTurn = '';
            return earlierTurns;
          }
          return undefined;
        }),
        filter((text): text is string => text !== undefined),
      );
    });
}

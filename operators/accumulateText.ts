import { filter, map, scan, type OperatorFunction } from 'rxjs';
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
 * front. An empty delta changes nothing and emits nothing, so the same text is never emitted twice
 * in a row. Completion and errors pass through; each subscription starts from `''`.
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
    source.pipe(
      map((value) => (typeof value === 'string' ? value : value.type === 'text-delta' ? value.delta : '')),
      filter((delta) => delta !== ''),
      scan((text, delta) => text + delta, ''),
    );
}

import type { Observable } from 'rxjs';
import { eachValueFrom } from 'rxjs-for-await';

/**
 * An `AsyncIterable` of the Observable's values, for `for await … of`.
 *
 * <span class="informal">Every value, in order, each loop a new subscription; leaving the loop
 * unsubscribes.</span>
 *
 * - **Subscription** happens when a loop starts (the iterator's first `next()`); each
 *   `for await` over the same iterable is a new subscription, so a new run.
 * - **Leaving early** — `break`, `return`, or an exception in the loop body — unsubscribes, which
 *   aborts the run's model call.
 * - **Errors** are thrown from the loop after every value emitted before them.
 *
 * **Buffering.** RxJS has no backpressure: the source emits when the model sends, whatever the
 * loop's pace. Built on rxjs-for-await's `eachValueFrom`, which keeps every value emitted and not
 * yet taken by the loop in an array with no bound: with a loop body slower than the model, it holds
 * all the values not yet taken, up to the whole run (one entry per event, a reference, not a copy).
 * Nothing is dropped. To hold less, reduce the stream first (`filterTextDeltas()`,
 * `bufferTokens()`, `ofType()`).
 *
 * ## Example
 *
 * ```ts
 * import { runStreamed, toAsyncIterable } from 'rxjs-agents';
 *
 * for await (const event of toAsyncIterable(runStreamed(agent, 'Plan my weekend.'))) {
 *   if (event.type === 'text-delta') process.stdout.write(event.delta);
 *   if (event.type === 'tool-call' && event.name === 'book_flight') break; // aborts the run
 * }
 * ```
 *
 * @see {@link toReadableStream}
 *
 * @param source The Observable to iterate; subscribed once per loop.
 * @returns An `AsyncIterable` of the source's values.
 */
export function toAsyncIterable<T>(source: Observable<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => eachValueFrom(source) };
}

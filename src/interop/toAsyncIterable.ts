import type { Observable } from 'rxjs';
import { Queue } from '../internal/queue.js';
import { checkHighWaterMark } from './highWaterMark.js';
import { PausingBuffer } from './pausingBuffer.js';

/** The options of {@link toAsyncIterable}. */
export interface ToAsyncIterableOptions {
  /**
   * How many values may wait for the loop before the source is asked to pause (default 16).
   * A whole number ≥ 1, or `Infinity` never to ask.
   */
  readonly highWaterMark?: number;
}

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
 * **Backpressure.** Values the loop has not taken yet wait in a queue. When it holds
 * `highWaterMark` values, the source is asked to pause until the loop takes one (`pauseSource()`):
 * a run's OpenAI model then stops reading its HTTP response, so a slow loop body slows the
 * model's socket instead of filling memory. A source that cannot pause (a timer, a `fakeModel`,
 * `bufferTokens({ timeSpan })` in between) goes on emitting, and the queue holds every value not
 * yet taken — nothing is dropped. Taking a value is O(1), so a backlog drains in linear time.
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
 * @see {@link pauseSource}
 *
 * @param source The Observable to iterate; subscribed once per loop.
 * @param options `highWaterMark`: how many values wait before the source is asked to pause.
 * @returns An `AsyncIterable` of the source's values.
 * @throws InvalidArgumentError when `highWaterMark` is not a whole number ≥ 1 or `Infinity`.
 */
export function toAsyncIterable<T>(source: Observable<T>, options: ToAsyncIterableOptions = {}): AsyncIterable<T> {
  const highWaterMark = checkHighWaterMark(options.highWaterMark, 'options.highWaterMark');
  return { [Symbol.asyncIterator]: () => iterate(source, highWaterMark) };
}

/** One loop over `source`: one subscription, made at the first `next()`. */
function iterate<T>(source: Observable<T>, highWaterMark: number): AsyncIterator<T> {
  const buffer = new PausingBuffer<T>(highWaterMark);
  let finished = false;
  /** The `next()` calls waiting for a value, in order (a loop has one; a caller may make several). */
  const waiting = new Queue<{
    readonly resolve: (result: IteratorResult<T>) => void;
    readonly reject: (reason: unknown) => void;
  }>();

  const done = (): IteratorResult<T> => ({ done: true, value: undefined });

  /** The next result, when there is one now: a value, the end, or the error (thrown once). */
  const take = (): Promise<IteratorResult<T>> | undefined => {
    if (finished) return Promise.resolve(done());
    if (buffer.length > 0) return Promise.resolve({ done: false, value: buffer.shift() });
    const { end } = buffer;
    if (end === undefined) return undefined;
    finish();
    // The source's own error, whatever it is: the loop throws what the source threw.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return end.error ? Promise.reject(end.reason) : Promise.resolve(done());
  };

  const wake = (): void => {
    while (waiting.length > 0) {
      const result = take();
      if (result === undefined) return;
      const { resolve, reject } = waiting.shift();
      result.then(resolve, reject);
    }
  };

  const finish = (): void => {
    finished = true;
    buffer.close();
  };

  return {
    next() {
      // Not after return(): an iterator that was closed before its first next() starts no run.
      if (!buffer.subscribed && !finished) buffer.subscribe(source, wake);
      if (waiting.length === 0) {
        const result = take();
        if (result !== undefined) return result;
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      finish();
      while (waiting.length > 0) waiting.shift().resolve(done());
      return Promise.resolve(done());
    },
  };
}

import type { Observable } from 'rxjs';
import { checkHighWaterMark } from './highWaterMark.js';
import { PausingBuffer } from './pausingBuffer.js';

/** The options of {@link toReadableStream}. */
export interface ToReadableStreamOptions {
  /**
   * How many values may wait for the reader before the source is asked to pause (default 16).
   * A whole number ≥ 1, or `Infinity` never to ask.
   */
  readonly highWaterMark?: number;
}

/**
 * A `ReadableStream` of the Observable's values: for `Response` bodies, `pipeTo`/`pipeThrough`,
 * and any Web Streams consumer.
 *
 * <span class="informal">The stream subscribes when it is first read, gives every value in order,
 * closes on completion, errors on error (after the values before it), and unsubscribes when it is
 * cancelled.</span>
 *
 * - **Subscription** happens on the first read (the stream's first `pull`), not when the stream is
 *   created: a stream nobody reads starts no run. One stream is one subscription.
 * - **Cancellation** (`reader.cancel()`, `stream.cancel()`, an aborted `pipeTo`, a `Response` whose
 *   client went away) unsubscribes, which aborts the run's model call; buffered values are dropped.
 * - **Errors** reach the reader after every value emitted before them: the error does not
 *   overtake them, as a plain `controller.error()` would.
 *
 * **Backpressure.** Values the reader has not taken yet wait in a queue inside this function (the
 * stream's own queue stays empty: `highWaterMark: 0`, one value per `pull`). When that queue holds
 * `highWaterMark` values, the source is asked to pause until the reader takes one
 * (`pauseSource()`): a run's OpenAI model then stops reading its HTTP response, so the model's
 * socket waits for the reader and memory stays bounded (`highWaterMark` plus the few events of one
 * model event). A source that cannot pause (a timer, a `fakeModel`, `bufferTokens({ timeSpan })`
 * in between) goes on emitting, and the queue holds every value not yet read — nothing is ever
 * dropped. Taking a value from the queue is O(1), so a backlog drains in linear time.
 *
 * ## Example
 *
 * ```ts
 * import { runStreamed, toReadableStream } from 'rxjs-agents';
 * import { filterTextDeltas } from 'rxjs-agents/operators';
 *
 * const text = toReadableStream(runStreamed(agent, 'Tell me a story.').pipe(filterTextDeltas()));
 * return new Response(text.pipeThrough(new TextEncoderStream()), {
 *   headers: { 'content-type': 'text/plain; charset=utf-8' },
 * });
 * ```
 *
 * @see {@link toAsyncIterable}
 * @see {@link pauseSource}
 *
 * @param source The Observable to read; subscribed once, on the first read.
 * @param options `highWaterMark`: how many values wait before the source is asked to pause.
 * @returns A `ReadableStream` of the source's values.
 * @throws InvalidArgumentError when `highWaterMark` is not a whole number ≥ 1 or `Infinity`.
 */
export function toReadableStream<T>(source: Observable<T>, options: ToReadableStreamOptions = {}): ReadableStream<T> {
  const buffer = new PausingBuffer<T>(checkHighWaterMark(options.highWaterMark, 'options.highWaterMark'));
  /** Set while a `pull` waits for a value: it is resolved by the next value or by the end. */
  let waiting: { readonly controller: ReadableStreamDefaultController<T>; readonly resolve: () => void } | undefined;

  const deliver = (controller: ReadableStreamDefaultController<T>): boolean => {
    if (buffer.length > 0) {
      controller.enqueue(buffer.shift());
      return true;
    }
    const { end } = buffer;
    if (end === undefined) return false;
    if (end.error) controller.error(end.reason);
    else controller.close();
    return true;
  };

  const wake = (): void => {
    if (waiting === undefined) return;
    const { controller, resolve } = waiting;
    if (deliver(controller)) {
      waiting = undefined;
      resolve();
    }
  };

  return new ReadableStream<T>(
    {
      pull(controller) {
        if (!buffer.subscribed) buffer.subscribe(source, wake);
        if (deliver(controller)) return;
        return new Promise<void>((resolve) => {
          waiting = { controller, resolve };
        });
      },
      cancel() {
        buffer.close();
        waiting?.resolve();
        waiting = undefined;
      },
    },
    { highWaterMark: 0 },
  );
}

import type { Observable, Subscription } from 'rxjs';

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
 * **Buffering.** RxJS has no backpressure: the source emits when the model sends, whatever the
 * reader's pace. Every value emitted and not yet read waits in a queue inside this function — the
 * stream's own queue stays empty (`highWaterMark: 0`, `desiredSize` is 0) — and that queue has no
 * bound: with a reader slower than the model, it holds all the values not yet read, up to the
 * whole run (one entry per event: a reference to the event, not a copy; for a run, roughly one
 * `raw` and one `text-delta` per token). Values are taken from the queue one per read, in order.
 * If that is too much, reduce the stream before it gets here (`filterTextDeltas()`,
 * `bufferTokens()`, `ofType()`); nothing is ever dropped silently.
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
 *
 * @param source The Observable to read; subscribed once, on the first read.
 * @returns A `ReadableStream` of the source's values.
 */
export function toReadableStream<T>(source: Observable<T>): ReadableStream<T> {
  const queue: T[] = [];
  let end: { readonly error: boolean; readonly reason?: unknown } | undefined;
  let subscription: Subscription | undefined;
  /** Set while a `pull` waits for a value: it is resolved by the next value or by the end. */
  let waiting: { readonly controller: ReadableStreamDefaultController<T>; readonly resolve: () => void } | undefined;

  const deliver = (controller: ReadableStreamDefaultController<T>): boolean => {
    if (queue.length > 0) {
      controller.enqueue(queue.shift());
      return true;
    }
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
        if (subscription === undefined) {
          subscription = source.subscribe({
            next: (value) => {
              queue.push(value);
              wake();
            },
            error: (reason: unknown) => {
              end = { error: true, reason };
              wake();
            },
            complete: () => {
              end = { error: false };
              wake();
            },
          });
        }
        if (deliver(controller)) return;
        return new Promise<void>((resolve) => {
          waiting = { controller, resolve };
        });
      },
      cancel() {
        queue.length = 0;
        subscription?.unsubscribe();
        waiting?.resolve();
        waiting = undefined;
      },
    },
    { highWaterMark: 0 },
  );
}

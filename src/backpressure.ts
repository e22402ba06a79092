import type { Observer } from 'rxjs';

/**
 * Backpressure across a push Observable: a consumer that cannot keep up asks the producer of the
 * value it is handling to pause, and a producer that can pause (the OpenAI models pull their HTTP
 * body only when asked) waits before it produces more.
 *
 * RxJS has no demand channel, but it delivers synchronously: a value given to `subscriber.next()`
 * reaches the last observer of a chain of synchronous operators (`map`, `filter`, `scan`, the
 * runner's own steps, `toServerSentEvents()`) before `next()` returns. So a producer that delivers
 * through {@link nextPausable} opens a *delivery* for that one call; a consumer that calls
 * {@link pauseSource} inside its `next` handler adds what it waits for (a response's `drain`, a
 * reader's next read) to the innermost delivery open on the stack; and `nextPausable` returns it
 * to the producer. Outside a delivery — a value that reached the consumer through a timer
 * (`bufferTokens({ timeSpan })`, `observeOn`, `delay`), or from a producer that cannot pause —
 * `pauseSource` returns `false` and nothing waits: the consumer buffers, as it must in RxJS.
 *
 * When nobody asks to pause, a delivery costs one small object and two assignments: the push
 * path stays as fast as a plain `next()`.
 *
 * The stack lives on `globalThis` under a `Symbol.for` key, so that a producer and a consumer from
 * two copies of the package still meet.
 */

interface Delivery {
  /** What the consumers of this delivery wait for; `undefined` while nobody asked to pause. */
  until: Promise<void> | undefined;
}

interface DeliveryStack {
  current: Delivery | undefined;
}

const stackKey = Symbol.for('rxjs-agents.backpressure');
const stack: DeliveryStack = ((globalThis as { [stackKey]?: DeliveryStack })[stackKey] ??= { current: undefined });

const ignore = (): void => undefined;

/**
 * Asks the producer of the value being delivered to produce nothing more until `until` settles
 * (fulfilled or rejected: either way the producer goes on).
 *
 * Call it from an observer's `next` handler, while it handles the value: for example when
 * `response.write()` returned `false`, with a Promise of the response's `drain`. Calling it
 * several times in one delivery makes the producer wait for all of them.
 *
 * ## Example
 *
 * ```ts
 * import { pauseSource, runStreamed } from 'rxjs-agents';
 *
 * runStreamed(agent, 'Tell me a story.').subscribe((event) => {
 *   if (socket.bufferedAmount > 1_000_000) pauseSource(drained(socket)); // the model's socket waits too
 *   socket.send(JSON.stringify(event));
 * });
 * ```
 *
 * @param until What to wait for.
 * @returns Whether a producer that can pause is delivering the value (if not, nothing waits).
 */
export function pauseSource(until: PromiseLike<unknown>): boolean {
  const delivery = stack.current;
  if (delivery === undefined) return false;
  const settled = Promise.resolve(until).then(ignore, ignore);
  delivery.until = delivery.until === undefined ? settled : Promise.all([delivery.until, settled]).then(ignore);
  return true;
}

/**
 * Delivers `value` to `subscriber` and returns what its consumers asked to wait for, if any: the
 * producer's half of {@link pauseSource}.
 *
 * A producer that can slow down — one that pulls from an async iterator, a socket, a file — waits
 * for the returned Promise before it pulls more. One that cannot may ignore it.
 *
 * ## Example
 *
 * ```ts
 * import { Observable } from 'rxjs';
 * import { nextPausable } from 'rxjs-agents';
 *
 * const lines = new Observable<string>((subscriber) => {
 *   void (async () => {
 *     for await (const line of readLines()) {
 *       await nextPausable(subscriber, line); // undefined (no wait) unless a consumer is full
 *       if (subscriber.closed) return;
 *     }
 *     subscriber.complete();
 *   })();
 * });
 * ```
 *
 * @param subscriber Where to deliver the value.
 * @param value The value.
 * @returns A Promise that settles when the consumers are ready for more, or `undefined` when none
 * asked to pause.
 */
export function nextPausable<T>(subscriber: Pick<Observer<T>, 'next'>, value: T): Promise<void> | undefined {
  const outer = stack.current;
  const delivery: Delivery = { until: undefined };
  stack.current = delivery;
  try {
    subscriber.next(value);
  } finally {
    stack.current = outer;
  }
  return delivery.until;
}

/**
 * A source that honours backpressure, as the OpenAI models do: it delivers its values 0, 1, 2, …
 * with `nextPausable()` and, when a consumer asks it to, waits before it produces the next one.
 */
import { Observable } from 'rxjs';
import { nextPausable } from '../../src/backpressure.js';

export interface PausableCounter {
  readonly source: Observable<number>;
  /** How many values it has produced so far. */
  produced(): number;
  /** Whether its loop still runs (it ends on unsubscription, and after `count` values). */
  running(): boolean;
}

export function pausableCounter(count = Infinity): PausableCounter {
  let produced = 0;
  let running = false;
  const source = new Observable<number>((subscriber) => {
    running = true;
    void (async () => {
      try {
        while (!subscriber.closed && produced < count) {
          const ready = nextPausable(subscriber, produced++);
          if (ready !== undefined) await ready;
          // Unpaused, it still lets the event loop turn now and then (a timer, a test's timeout).
          else if (produced % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        subscriber.complete();
      } finally {
        running = false;
      }
    })();
  });
  return { source, produced: () => produced, running: () => running };
}

/** Lets every pending promise continuation run (the event loop turns once). */
export function settledMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

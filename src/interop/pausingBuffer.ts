import type { Observable, Subscription } from 'rxjs';
import { pauseSource } from '../backpressure.js';
import { Queue } from '../internal/queue.js';
import { Room } from '../internal/room.js';

/** How a source ended: completed, or errored with `reason`. */
export interface SourceEnd {
  readonly error: boolean;
  readonly reason?: unknown;
}

/**
 * What `toReadableStream()` and `toAsyncIterable()` share: one subscription to a source, the
 * values a pull-based reader has not taken yet (an O(1) queue), how the source ended, and the
 * backpressure — at `highWaterMark` waiting values the source is asked to pause (`pauseSource`)
 * until a value is taken below the mark.
 *
 * Internal to `src/interop/`.
 */
export class PausingBuffer<T> {
  readonly #highWaterMark: number;
  readonly #queue = new Queue<T>();
  readonly #room = new Room();
  #subscription: Subscription | undefined;
  #end: SourceEnd | undefined;

  constructor(highWaterMark: number) {
    this.#highWaterMark = highWaterMark;
  }

  /** Whether {@link PausingBuffer.subscribe} has returned. */
  get subscribed(): boolean {
    return this.#subscription !== undefined;
  }

  /** How many values wait. */
  get length(): number {
    return this.#queue.length;
  }

  /** How the source ended, once it has. */
  get end(): SourceEnd | undefined {
    return this.#end;
  }

  /** Subscribes to `source`; `changed` is called after each value is queued and at the end. */
  subscribe(source: Observable<T>, changed: () => void): void {
    this.#subscription = source.subscribe({
      next: (value) => {
        this.#queue.push(value);
        changed();
        if (this.#queue.length >= this.#highWaterMark) pauseSource(this.#room.whenOpen());
      },
      error: (reason: unknown) => {
        this.#end = { error: true, reason };
        changed();
      },
      complete: () => {
        this.#end = { error: false };
        changed();
      },
    });
  }

  /** The oldest waiting value (call it only when `length > 0`); below the mark, the source goes on. */
  shift(): T {
    const value = this.#queue.shift();
    if (this.#queue.length < this.#highWaterMark) this.#room.open();
    return value;
  }

  /** Drops what waits, unsubscribes, and lets a paused source go on (to its teardown). */
  close(): void {
    this.#queue.clear();
    this.#subscription?.unsubscribe();
    this.#room.open();
  }
}

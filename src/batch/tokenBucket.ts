/**
 * A budget that refills at a steady rate: `limitPerMinute` a minute, holding at most a second's
 * worth (at least 1). It refills at `limit - capacity` a minute, so that no minute — however the
 * bursts fall — spends more than the limit. A cost above the capacity is let through once the
 * bucket is full, and leaves it in debt: the pace over time is still the limit's.
 *
 * Internal to `src/batch/`.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly #perMs: number;
  #level: number;
  #updated: number;

  constructor(limitPerMinute: number, now: number) {
    this.capacity = Math.max(1, limitPerMinute / 60);
    this.#perMs = Math.max(limitPerMinute - this.capacity, limitPerMinute / 60) / 60_000;
    this.#level = this.capacity;
    this.#updated = now;
  }

  /** How long until `cost` may be taken, in ms (0: now). */
  waitFor(cost: number, now: number): number {
    this.#refill(now);
    const needed = Math.min(cost, this.capacity);
    return this.#level >= needed ? 0 : Math.ceil((needed - this.#level) / this.#perMs);
  }

  /** Takes `cost` (after {@link waitFor} said 0); a negative cost gives back. */
  take(cost: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.capacity, this.#level - cost);
  }

  #refill(now: number): void {
    this.#level = Math.min(this.capacity, this.#level + (now - this.#updated) * this.#perMs);
    this.#updated = now;
  }
}

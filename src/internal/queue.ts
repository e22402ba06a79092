/**
 * A first-in first-out queue whose `shift()` is O(1): an array read from a moving head, compacted
 * once the consumed part is at least half of it. `Array.prototype.shift()` moves every element
 * left, so draining a backlog of n values that way costs O(n²) (200,000 values: seconds).
 */
export class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** The number of values waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(value: T): void {
    this.#items.push(value);
  }

  /** The oldest value; call only when `length > 0`. */
  shift(): T {
    const value = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined; // let it be collected
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      // Compacting copies at most as many values as were shifted since the last time: O(1) each.
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return value;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

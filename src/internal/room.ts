/**
 * A signal that there is room again in a bounded queue: `whenOpen()` is a Promise the producer
 * waits for (through `pauseSource`), resolved by the next `open()`. One Promise serves every call
 * until it is resolved, so a full queue costs one allocation, not one per value.
 */
export class Room {
  #resolve: (() => void) | undefined;
  #promise: Promise<void> | undefined;

  /** Resolves at the next {@link Room.open}. */
  whenOpen(): Promise<void> {
    this.#promise ??= new Promise<void>((resolve) => (this.#resolve = resolve));
    return this.#promise;
  }

  /** Lets whoever waits go on; a no-op when nobody does. */
  open(): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#promise = undefined;
    resolve?.();
  }
}

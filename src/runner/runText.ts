/**
 * The text a run has streamed, across turns: what an error's `partial.text` holds.
 *
 * It is kept flat: `+=` per delta would make a 32-byte rope node per delta that lives until the
 * run ends (bench finding 2). Deltas are joined 64 at a time instead.
 *
 * Internal to the runner.
 */
export class RunText {
  #text = '';
  #pending: string[] = [];
  #length = 0;

  /** Every delta appended so far, joined. */
  get value(): string {
    if (this.#pending.length > 0) {
      this.#text += this.#pending.join('');
      this.#pending = [];
    }
    return this.#text;
  }

  /** The length of {@link value}, without joining anything. */
  get length(): number {
    return this.#length;
  }

  append(delta: string): void {
    this.#pending.push(delta);
    this.#length += delta.length;
    if (this.#pending.length === 64) {
      this.#text += this.#pending.join('');
      this.#pending = [];
    }
  }

  /** Cuts the text back to its first `length` characters (a restarted turn's text is dropped). */
  truncate(length: number): void {
    this.#text = this.value.slice(0, length);
    this.#length = this.#text.length;
  }
}

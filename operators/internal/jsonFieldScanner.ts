/**
 * Reads a JSON text as it arrives, a piece at a time, and keeps the decoded text of one string
 * field so far: one pass over each character, whatever the size of the text, so following a
 * field costs linear time where parsing the whole text again after every piece is quadratic.
 *
 * The field is named by its path of object keys from the top (`['trip', 'reason']`); arrays are
 * walked through but never match. Escapes (`\n`, `\"`, `\u00e9`, surrogate pairs) are decoded,
 * also when a piece ends in the middle of one. The text is not validated: it is the run's job to
 * judge the final JSON; a text that is not JSON leaves the field empty or cut short.
 *
 * Internal to `operators/`.
 */

interface Frame {
  readonly kind: 'object' | 'array';
  /** In an object: the key whose value comes or is being read. */
  key: string | undefined;
  /** In an object: whether the next string is a key (rather than a value). */
  expectsKey: boolean;
}

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

export class JsonFieldScanner {
  /** Whether the field's string has been read to its closing quote. */
  done = false;
  readonly #path: readonly string[];
  readonly #frames: Frame[] = [];
  /** Outside any string: `undefined`; in a key: `'key'`; in the field: `'field'`; in another string: `'skip'`. */
  #inString: 'key' | 'field' | 'skip' | undefined;
  #escape = false;
  /** The hex digits of a `\u` escape read so far (`undefined`: not in one). */
  #unicode: string | undefined;
  /** A high surrogate waiting for its low half. */
  #high = '';
  #key = '';
  /** Whether the top-level value has started (`{`): text before it is not the JSON. */
  #started = false;
  #broken = false;

  constructor(path: readonly string[]) {
    this.#path = path;
  }

  /** The field's text read from the piece being written. */
  #piece = '';
  /**
   * The field's text so far is `#merged + #recent`. A string grown by a small piece at a time is
   * a tree of a node per piece, which the garbage collector walks again and again while it lives
   * (superlinear time, measured). So the recent pieces are also kept in a list, and joined into
   * one flat string that `#merged` takes once they are an eighth of it: a few dozen nodes in all,
   * and each character copied a bounded number of times.
   */
  #merged = '';
  #recent = '';
  #recentPieces: string[] = [];

  /** The field's decoded text so far. */
  get value(): string {
    return this.#recent === '' ? this.#merged : this.#merged + this.#recent;
  }

  /** Reads the next piece of the text. */
  write(piece: string): void {
    for (let i = 0; i < piece.length && !this.#broken; i += 1) this.#read(piece[i] as string);
    if (this.#piece === '') return;
    this.#recent += this.#piece;
    this.#recentPieces.push(this.#piece);
    this.#piece = '';
    if (this.#recent.length * 8 > this.#merged.length + 256) {
      this.#merged += this.#recentPieces.join('');
      this.#recent = '';
      this.#recentPieces = [];
    }
  }

  #read(char: string): void {
    if (this.#inString !== undefined) return this.#readInString(char);
    if (!this.#started) {
      if (char === '{') {
        this.#started = true;
        this.#frames.push({ kind: 'object', key: undefined, expectsKey: true });
      } else if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') this.#broken = true;
      return;
    }
    const frame = this.#frames[this.#frames.length - 1];
    switch (char) {
      case '"':
        if (frame?.kind === 'object' && frame.expectsKey) {
          this.#inString = 'key';
          this.#key = '';
        } else this.#inString = this.#isField() ? 'field' : 'skip';
        return;
      case '{':
      case '[':
        this.#frames.push({ kind: char === '{' ? 'object' : 'array', key: undefined, expectsKey: char === '{' });
        return;
      case '}':
      case ']':
        this.#frames.pop();
        return;
      case ',':
        if (frame?.kind === 'object') frame.expectsKey = true;
        return;
      default:
        return; // `:`, white space, numbers and literals: nothing to keep.
    }
  }

  #readInString(char: string): void {
    if (this.#unicode !== undefined) {
      this.#unicode += char;
      if (this.#unicode.length === 4) {
        const code = Number.parseInt(this.#unicode, 16);
        this.#unicode = undefined;
        this.#take(Number.isNaN(code) ? '' : String.fromCharCode(code));
      }
      return;
    }
    if (this.#escape) {
      this.#escape = false;
      if (char === 'u') this.#unicode = '';
      else this.#take(escapes[char] ?? char);
      return;
    }
    if (char === '\\') {
      this.#escape = true;
      return;
    }
    if (char === '"') return this.#close();
    this.#take(char);
  }

  /** Keeps a decoded character of the string being read, pairing surrogates. */
  #take(text: string): void {
    if (this.#inString === 'key') this.#key += text;
    else if (this.#inString === 'field') {
      const code = text.charCodeAt(0);
      if (text.length === 1 && code >= 0xd800 && code <= 0xdbff) {
        this.#high = text; // shown once its low half comes, never as half a character
        return;
      }
      this.#piece += this.#high + text;
      this.#high = '';
    }
  }

  #close(): void {
    const frame = this.#frames[this.#frames.length - 1];
    if (this.#inString === 'key' && frame) {
      frame.key = this.#key;
      frame.expectsKey = false;
    } else if (this.#inString === 'field') this.done = true;
    this.#inString = undefined;
  }

  /** Whether the string that starts now is the field's value (the first time only). */
  #isField(): boolean {
    const frames = this.#frames;
    if (this.done || frames.length !== this.#path.length) return false;
    return frames.every((frame, depth) => frame.kind === 'object' && frame.key === this.#path[depth]);
  }
}

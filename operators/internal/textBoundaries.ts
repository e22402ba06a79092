/**
 * Where streamed text may be cut so that every piece ends on a word, sentence or line boundary.
 * Internal to the operators: free to change, not exported from `rxjs-agents/operators`.
 */

/** The unit a chunk of `bufferTokens({ by })` ends on. */
export type TextUnit = 'word' | 'sentence' | 'line';

/** Finds the boundaries in a stretch of text. Stateless: one per operator, shared by subscriptions. */
export interface BoundaryFinder {
  /**
   * How many characters before new text are scanned again when it arrives, at most: the context
   * a boundary near the new text can depend on. Boundaries waiting for proof further back than
   * this are given up, which keeps the cost of a delta independent of how much text is held.
   */
  readonly context: number;
  /**
   * Appends to `cuts`, ascending, the boundaries in `window` (the held text from `offset` to its
   * end), as positions in the held text: where a unit ends and the next begins. `offset` is a
   * boundary or lies inside the current unit; `contentBefore` tells whether that unit has a word
   * (for sentences, a non-space) before `offset`. When `final` is false, more text may follow, so
   * only the boundaries the text already proves are appended. Returns whether the current unit has
   * content up to the end of the window.
   */
  find(window: string, offset: number, contentBefore: boolean, final: boolean, cuts: number[]): boolean;
}

/**
 * How many UTF-16 code units must follow a boundary between two words with nothing in between
 * (Chinese, Japanese) before it counts as proven. The segmenter finds those boundaries with a
 * dictionary, and a few more characters can still merge what it split: streamed one character at a
 * time, 'こん|に|ち' becomes 'こんにちは', 'い|ま' becomes 'い|ます'. Three is enough for Chinese and
 * Japanese text; Thai, Lao and Khmer would need more, and may see a chunk end inside a word.
 */
const adjacentWordLookahead = 3;

/** See {@link BoundaryFinder.context}: a long word or sentence costs this much per delta at most. */
const segmenterContext = 256;

const letter = /\p{L}/u;
const nonSpace = /\S/;

/** A finder for `unit`; its `Intl.Segmenter` is created here, once, never per value. */
export function boundaryFinder(unit: TextUnit): BoundaryFinder {
  switch (unit) {
    case 'line':
      return { context: 0, find: findLineEnds };
    case 'word': {
      const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
      return {
        context: segmenterContext,
        find: (window, offset, contentBefore, final, cuts) =>
          findWords(segmenter, window, offset, contentBefore, final, cuts),
      };
    }
    case 'sentence': {
      const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
      return {
        context: segmenterContext,
        find: (window, offset, contentBefore, final, cuts) =>
          findSentences(segmenter, window, offset, contentBefore, final, cuts),
      };
    }
  }
}

/** After each `'\n'`: a line is complete as soon as its line break arrives. */
function findLineEnds(
  window: string,
  offset: number,
  _contentBefore: boolean,
  _final: boolean,
  cuts: number[],
): boolean {
  for (let index = window.indexOf('\n'); index !== -1; index = window.indexOf('\n', index + 1)) {
    cuts.push(offset + index + 1);
  }
  return true;
}

/**
 * Before each word but the first: spaces and punctuation stay with the word before them, and text
 * before the first word joins it. A boundary is proven once the next word has started, or, between
 * two words with nothing in between, once {@link adjacentWordLookahead} characters follow it.
 */
function findWords(
  segmenter: Intl.Segmenter,
  window: string,
  offset: number,
  contentBefore: boolean,
  final: boolean,
  cuts: number[],
): boolean {
  const segments = segmenter.segment(window);
  let seenWord = contentBefore;
  let previousIsWord = false;
  for (let index = 0, data = segments.containing(0); data !== undefined; data = segments.containing(index)) {
    const isWord = data.isWordLike === true;
    if (isWord) {
      if (seenWord && index > 0) {
        if (!final && previousIsWord && window.length - index < adjacentWordLookahead) break;
        cuts.push(offset + index);
      }
      seenWord = true;
    }
    previousIsWord = isWord;
    index += data.segment.length;
  }
  return seenWord;
}

/**
 * Before each sentence but the first: whitespace-only segments (a blank line) stay with the
 * sentence before them. A boundary is proven once a letter follows it: until then a lowercase
 * letter can still undo it ('etc. (' + 'and').
 */
function findSentences(
  segmenter: Intl.Segmenter,
  window: string,
  offset: number,
  contentBefore: boolean,
  final: boolean,
  cuts: number[],
): boolean {
  const found = cuts.length;
  let seenText = contentBefore;
  let lastWithLetter = -1;
  const segments = segmenter.segment(window);
  for (let index = 0, data = segments.containing(0); data !== undefined; data = segments.containing(index)) {
    const { segment } = data;
    if (nonSpace.test(segment)) {
      if (seenText && index > 0) cuts.push(offset + index);
      if (letter.test(segment)) lastWithLetter = offset + index;
      seenText = true;
    }
    index += segment.length;
  }
  if (!final) {
    while (cuts.length > found && (cuts[cuts.length - 1] as number) > lastWithLetter) cuts.pop();
  }
  return seenText;
}

/**
 * The text of one subscription of `bufferTokens({ by })`: takes deltas, gives back chunks of
 * `count` units each time enough of them are proven, holds the rest.
 *
 * The held text is kept as its deltas and joined only when chunks are cut from it: appending to
 * one string and searching it for every delta would flatten the whole string each time, which is
 * quadratic in a long line or sentence.
 */
export class UnitChunker {
  /** Text received and not yet emitted, as pieces. */
  #parts: string[] = [];
  /** The length of the held text. */
  #length = 0;
  /** The proven boundaries in the held text, ascending, none at 0. */
  #cuts: number[] = [];
  /** Whether the unit after the last boundary has content up to the end of the held text. */
  #content = false;

  readonly #finder: BoundaryFinder;
  readonly #count: number;

  constructor(finder: BoundaryFinder, count: number) {
    this.#finder = finder;
    this.#count = count;
  }

  /** Whether nothing is held. */
  get isEmpty(): boolean {
    return this.#length === 0;
  }

  /** Adds a delta; returns the chunks it completed (usually none or one). */
  push(delta: string): string[] {
    const scanned = this.#length;
    this.#parts.push(delta);
    this.#length += delta.length;
    const unitStart = this.#lastCut();
    let offset = Math.max(unitStart, scanned - this.#finder.context);
    let window = this.#tail(offset);
    if (offset > unitStart && isLowSurrogate(window.charCodeAt(0))) window = this.#tail(--offset);
    this.#content = this.#finder.find(window, offset, offset > unitStart && this.#content, false, this.#cuts);
    return this.#cuts.length >= this.#count ? this.#take(false) : [];
  }

  /** Everything held, as the chunks it makes now that no more text can follow; holds nothing after. */
  flush(): string[] {
    const unitStart = this.#lastCut();
    this.#finder.find(this.#tail(unitStart), unitStart, false, true, this.#cuts);
    return this.#take(true);
  }

  /** Everything held, in one piece, boundaries or not; holds nothing after. */
  takeAll(): string {
    const text = this.#parts.join('');
    this.#reset();
    return text;
  }

  #lastCut(): number {
    return this.#cuts.length > 0 ? (this.#cuts[this.#cuts.length - 1] as number) : 0;
  }

  /** The held text from `offset` to its end, joining only the pieces it needs. */
  #tail(offset: number): string {
    const parts = this.#parts;
    let start = this.#length;
    let first = parts.length;
    while (first > 0 && start > offset) start -= (parts[--first] as string).length;
    const text = first === parts.length - 1 ? (parts[first] as string) : parts.slice(first).join('');
    return start === offset ? text : text.slice(offset - start);
  }

  #take(final: boolean): string[] {
    const cuts = this.#cuts;
    const count = this.#count;
    const text = this.#parts.join('');
    const chunks: string[] = [];
    let start = 0;
    let used = 0;
    for (let index = count - 1; index < cuts.length; index += count) {
      const end = cuts[index] as number;
      chunks.push(text.slice(start, end));
      start = end;
      used = index + 1;
    }
    if (final) {
      if (start < text.length) chunks.push(text.slice(start));
      this.#reset();
    } else {
      const rest = text.slice(start);
      this.#parts = rest === '' ? [] : [rest];
      this.#length = rest.length;
      this.#cuts = cuts.slice(used).map((cut) => cut - start);
      // The rest starts on a boundary, so with the first segment of a unit: a word, or a sentence.
      this.#content = rest !== '';
    }
    return chunks;
  }

  #reset(): void {
    this.#parts = [];
    this.#length = 0;
    this.#cuts = [];
    this.#content = false;
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

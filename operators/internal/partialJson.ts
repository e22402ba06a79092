import { Allow, parse } from 'partial-json';

/**
 * Reading a structured answer while it streams as JSON text: what `partialOutput()`,
 * `toUIMessageStream({ partialOutput: true })` and `toAgUiEvents({ partialOutput: true })` share.
 */

/**
 * What may be cut off at the end of the text. Numbers are left out: `12` may be the start of
 * `129`, so a number appears only once a `,`, `]` or `}` has closed it; a partial string is at
 * least a true prefix of the final one.
 */
const allowPartial = Allow.STR | Allow.ARR | Allow.OBJ | Allow.NULL | Allow.BOOL;

/**
 * How much re-parsing a long answer may cost: the text is parsed again once it has grown by at
 * least 1/`parseBudget` of its length since the last parse. Each parse of a text of length L then
 * follows at least L/`parseBudget` new characters, so all the parses of an answer of n characters
 * read at most `parseBudget` × n characters: linear, where parsing after every delta is quadratic
 * (an 80 kB answer in 4-character deltas: 20,000 parses of up to 80 kB). An answer of up to
 * `parseBudget` deltas' worth of text is parsed after every delta; a longer one every few deltas,
 * the partial then appearing in steps of about 3% of the text.
 */
export const parseBudget = 32;

/** Whether the first character that is not white space is `{` (read without copying the text). */
export function startsAnObject(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '{') return true;
    if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') return false;
  }
  return false;
}

/** The object the text holds so far, or `undefined` when it is not (yet) a JSON object. */
export function parsePartial(text: string): object | undefined {
  try {
    const value: unknown = parse(text, allowPartial);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined; // Malformed so far: keep the last emission; the run itself judges the end.
  }
}

/** Whether `value` is a JSON object (not `null`, not an array). */
export function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

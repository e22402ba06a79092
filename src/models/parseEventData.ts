import { redact } from './scrubSecret.js';
import { redactJson } from './providerErrors.js';

/**
 * Parsing an event's JSON with the API key kept out of it.
 *
 * Internal to `src/models/`.
 */

/**
 * A key made only of these characters reads the same in JSON text as in the parsed value, unless
 * one of them is written as a `\u00XX` escape: JSON never escapes them otherwise, and none of them
 * is JSON's punctuation, so an occurrence in the text lies inside one string or number.
 */
const plainKey = /^[A-Za-z0-9._~+=-]+$/;

/** A `\u` escape of a printable ASCII character, the one way such a key could hide in JSON text. */
const escapedPrintable = /\\u00[2-7][0-9a-f]/i;

/**
 * How to parse an event's data as JSON, with every occurrence of `secret` replaced by `[redacted]`.
 *
 * The key is looked for in the text, once: a walk of the parsed value (what `redactJson` does)
 * visits every string of every event, and the Responses API's `response.created` and
 * `response.completed` events hold the whole request and response. The text check is exact for a
 * key of letters, digits and `._~+=-` (every OpenAI key) unless the text escapes a printable
 * character as `\u00XX`, which servers do not do for such text; then, and for any other key, the
 * parsed value is walked as before. What the key is made of is checked once, here, not per event.
 *
 * The parser it returns throws a `SyntaxError` when `data` is not JSON (as the `openai` SDK's
 * reader throws).
 */
export function eventDataParser(secret: string | undefined): (data: string) => unknown {
  if (secret === undefined || secret.length < 4) return parseJson;
  if (!plainKey.test(secret)) return (data) => redactJson(parseJson(data), secret);
  return (data) => {
    const parsed = parseJson(data);
    if (data.includes(secret)) {
      try {
        return JSON.parse(redact(data, secret)) as unknown;
      } catch {
        // The key ran into a number's digits: the walk below redacts the strings.
      }
      return redactJson(parsed, secret);
    }
    return escapedPrintable.test(data) ? redactJson(parsed, secret) : parsed;
  };
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
  }
}

/**
 * Telling the `openai` SDK's errors apart without `instanceof`.
 *
 * The client that threw may come from another copy of the SDK than the one this package imports
 * (the user's own `openai` 6 or 7, a nested install, a bundle): its `APIError` is then another
 * class, and `instanceof` against ours would be false for a 429. So an error is recognised by what
 * every `APIError` of `openai` 6 and 7 has: the fields its constructor sets (`status`, `headers`,
 * `error`, `code`), and the names of the classes in its prototype chain (`RateLimitError` →
 * `APIError` → `OpenAIError`).
 *
 * Internal to `src/models/`.
 */

/** What an `APIError` of the SDK carries. */
export interface SdkApiError extends Error {
  /** The HTTP status; `undefined` for an error the provider sent inside a stream, or no response. */
  readonly status: number | undefined;
  /** The response's headers, when there was a response. */
  readonly headers: HeadersLike | undefined;
  /** The provider's error body (`{ message, type, code }`), when there was one. */
  readonly error: unknown;
  /** The provider's error code, for example `'rate_limit_exceeded'`. */
  readonly code?: unknown;
}

/** What is read of a `Headers`, whichever implementation made it. */
export interface HeadersLike {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

/**
 * What kind of SDK error `error` is:
 * - `'timeout'`: `APIConnectionTimeoutError`, the SDK's own timeout;
 * - `'connection'`: `APIConnectionError`, no response (refused, reset, DNS);
 * - `'api'`: any other `APIError`: an HTTP error status, or an error the provider sent in a stream;
 * - `undefined`: not an `APIError`.
 *
 * Where a minifying bundler renamed the classes, a connection error is told by its fields (no
 * status, no headers, no body) and a timeout by its message.
 */
export function sdkErrorKind(error: unknown): 'timeout' | 'connection' | 'api' | undefined {
  if (!isSdkApiError(error)) return undefined;
  const names = classNames(error);
  if (names.has('APIConnectionTimeoutError')) return 'timeout';
  if (names.has('APIConnectionError')) return 'connection';
  if (names.has('APIError')) return 'api';
  if (error.status === undefined && error.headers === undefined && error.error === undefined) {
    return /timed out/i.test(error.message) ? 'timeout' : 'connection';
  }
  return 'api';
}

/** Whether `error` has the fields the SDK's `APIError` constructor sets. */
export function isSdkApiError(error: unknown): error is SdkApiError {
  if (!(error instanceof Error)) return false;
  const { status, headers } = error as Partial<SdkApiError>;
  return (
    'status' in error &&
    'headers' in error &&
    'error' in error &&
    (status === undefined || typeof status === 'number') &&
    (headers === undefined || isHeadersLike(headers))
  );
}

/** Whether `value` reads like a `Headers` (the global one, undici's, a polyfill's). */
export function isHeadersLike(value: unknown): value is HeadersLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<HeadersLike>).get === 'function' &&
    typeof (value as Partial<HeadersLike>).forEach === 'function'
  );
}

/** The names of the classes `value` is an instance of, nearest first, up to `Error`. */
function classNames(value: object): Set<string> {
  const names = new Set<string>();
  for (let proto: unknown = Object.getPrototypeOf(value), depth = 0; proto && depth < 16; depth += 1) {
    const name: unknown = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string') names.add(name);
    if (proto === Error.prototype) break;
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

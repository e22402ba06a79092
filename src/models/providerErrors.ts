import { AgentsError, isRetryableStatus, ModelProviderError } from '../errors.js';
import type { Usage } from '../usage.js';
import { isHeadersLike, sdkErrorKind, type HeadersLike, type SdkApiError } from './sdkErrors.js';
import { redact, scrubSecret } from './scrubSecret.js';
import { describeThrown } from '../internal/describeThrown.js';

/**
 * Turning whatever the `openai` SDK threw into a {@link ModelProviderError}, with no trace of the
 * API key left in it.
 *
 * Internal to `src/models/`: the models call it; users see only `ModelProviderError`.
 */

/** Which API a failure came from; it opens every message. */
export type ApiLabel =
  'OpenAI Responses API' | 'OpenAI Chat Completions API' | 'OpenAI Conversations API' | 'OpenAI Batch API';

export { redact };

/** What a failing call knows besides the error: the API key to keep out, the base URL to name. */
export interface FailureContext {
  readonly secret?: string | undefined;
  readonly baseURL?: string | undefined;
}

/**
 * The `ModelProviderError` for `error`, thrown by the SDK (or by the stream itself) while calling
 * `api`.
 *
 * The SDK's errors are told by their shape, not by `instanceof` (see `sdkErrors.ts`): the client
 * may come from another copy or major of `openai` than the one this package imports.
 *
 * - an `APIError` with an HTTP status keeps `status`, `code`, the `Retry-After` delay and the SDK
 *   error as `cause`; it is retryable for 408, 409, 429 and 5xx;
 * - an `APIError` without a status (an `error` event inside the stream, which the SDK throws) keeps
 *   the provider's `code` and message;
 * - `APIConnectionTimeoutError` and `APIConnectionError` say so, naming the base URL (without
 *   credentials or query) and the system's error code (`ECONNREFUSED`); retryable;
 * - a stream that breaks off (a dropped connection) or sends an event that is not JSON says so;
 *   retryable;
 * - an error that already is an rxjs-agents error is returned unchanged.
 *
 * The API key (`context.secret`) is removed from the message and from the SDK error kept as
 * `cause` (its message, stack and body), should the provider ever echo it back: printing the error
 * with its causes never shows it.
 */
export function toModelProviderError(error: unknown, api: ApiLabel, context: FailureContext = {}): AgentsError {
  if (AgentsError.isInstance(error)) return error;
  const { secret } = context;
  const message = (text: string): string => redact(text, secret);
  const cause = scrubSecret(error, secret);

  const kind = sdkErrorKind(error);
  if (kind === 'timeout') {
    return new ModelProviderError({
      message: message(`${api} request to ${where(context.baseURL)} timed out: ${(error as Error).message}`),
      cause,
      retryable: true,
    });
  }
  if (kind === 'connection') {
    return new ModelProviderError({
      message: message(
        `${api} connection failed: could not reach ${where(context.baseURL)}${reasonOf(causeOf(error))}.`,
      ),
      cause,
      retryable: true,
    });
  }
  if (kind === 'api') {
    const apiError = error as SdkApiError;
    const retryAfterMs = retryAfterOf(apiError.headers);
    if (apiError.status !== undefined) {
      const { code } = codeFields(apiError.code);
      return new ModelProviderError({
        message: message(`${api} request failed: ${apiError.message}`),
        cause,
        status: apiError.status,
        ...(code === undefined ? {} : { code }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    return providerReportedError(api, { code: apiError.code, message: apiError.message }, secret, {
      cause,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (error instanceof SyntaxError) {
    return new ModelProviderError({
      message: message(`${api} sent an event that is not valid JSON: ${error.message}`),
      cause,
      retryable: true,
    });
  }
  const text = describeThrown(error);
  return new ModelProviderError({
    message: message(
      `${api} stream failed: the connection broke off before the response completed (${text}${reasonOf(causeOf(error))}).`,
    ),
    cause,
    retryable: true,
  });
}

/** Provider error codes (inside a stream) that another try may get past. */
const retryableCodes = new Set([
  'server_error',
  'internal_error',
  'rate_limit_exceeded',
  'service_unavailable',
  'overloaded',
]);

/**
 * A failure the provider reported inside a stream: an `error` event or chunk (which the SDK throws
 * as an `APIError` without a status), a failed response.
 *
 * Its `code` is OpenAI's string (`'server_error'`: retryable for the codes in `retryableCodes`),
 * or, from OpenRouter and other compatible servers, the HTTP status as a number
 * (`{"error":{"code":502,"message":"…"}}`), which becomes the error's `status` (and its `code`, as
 * a string) and decides `retryable` as a status does: 408, 409, 429 and 5xx are, other 4xx not.
 */
export function providerReportedError(
  api: ApiLabel,
  details: { code?: unknown; message?: string | null | undefined },
  secret?: string,
  extra: { cause?: unknown; retryAfterMs?: number } = {},
): ModelProviderError {
  const { status, code } = codeFields(details.code);
  const text = details.message ?? (code === undefined ? 'the provider reported an error' : code);
  return new ModelProviderError({
    message: redact(`${api} error${status === undefined ? '' : ` ${status}`}: ${text}`, secret),
    ...(status === undefined
      ? { retryable: code !== undefined && retryableCodes.has(code) }
      : { status, retryable: isRetryableStatus(status) }),
    ...(code === undefined ? {} : { code }),
    ...extra,
  });
}

/**
 * The `status` and `code` an error's `code` field gives: a string is the code; a whole number from
 * 100 to 599 is an HTTP status (OpenRouter's codes), kept as the code too in string form; anything
 * else is neither.
 */
function codeFields(code: unknown): { status?: number; code?: string } {
  if (typeof code === 'string') return code === '' ? {} : { code };
  if (typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599) {
    return { status: code, code: String(code) };
  }
  return {};
}

/**
 * A response the provider cut short (`reason`: `'max_output_tokens'`, `'content_filter'`): not
 * retryable, since the same request would be cut the same way; its `usage` was paid for.
 */
export function incompleteError(api: ApiLabel, reason: string | undefined, usage: Usage): ModelProviderError {
  const code = reason ?? 'incomplete';
  return new ModelProviderError({
    message: `${api} error: the response is incomplete (${reason ?? 'no reason given'}).`,
    code,
    usage,
    retryable: false,
  });
}

/**
 * The error for a client that could not be made because no API key was given: `new OpenAI()`
 * found no `OPENAI_API_KEY` (the SDK's "Missing credentials" `OpenAIError`, or openai 6's
 * "The OPENAI_API_KEY environment variable is missing or empty"). No request was made and none
 * would get further: code `'missing_api_key'`, not retryable, so `retry` fails at once. Returns
 * `undefined` for any other error of the constructor.
 */
export function missingApiKeyError(error: unknown): ModelProviderError | undefined {
  const text = error instanceof Error ? error.message : '';
  if (!/Missing credentials|OPENAI_API_KEY environment variable is missing/i.test(text)) return undefined;
  return new ModelProviderError({
    message:
      'No OpenAI API key: the OPENAI_API_KEY environment variable is not set. Set it, or pass a client made with ' +
      "a key: `new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client: new OpenAI({ apiKey }) })` for one model, " +
      'or `new Runner({ modelProvider: new OpenAIProvider({ client: new OpenAI({ apiKey }) }) })` for model names.',
    code: 'missing_api_key',
    retryable: false,
    cause: error,
  });
}

/** The error for a stream that ended before the response was complete. */
export function endedEarlyError(api: ApiLabel): ModelProviderError {
  return new ModelProviderError({
    message: `${api}: the stream ended before the response completed.`,
    retryable: true,
  });
}

/** The base URL as an error may show it: scheme, host and path; never credentials or a query. */
function where(baseURL: string | undefined): string {
  if (baseURL === undefined) return 'the API';
  try {
    const url = new URL(baseURL);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return 'the API';
  }
}

function causeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
}

/** ` (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)`: the deepest cause's code and message. */
function reasonOf(error: unknown): string {
  let deepest: unknown;
  let code: string | undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth += 1) {
    deepest = current;
    const own = (current as { code?: unknown }).code;
    if (typeof own === 'string') code = own;
  }
  if (!(deepest instanceof Error)) return '';
  const text = deepest.message;
  if (code === undefined || text.includes(code)) return ` (${text})`;
  return ` (${code}: ${text})`;
}

/** The delay a `retry-after-ms` or `Retry-After` header asks for, in ms (a date becomes a delay). */
export function retryAfterOf(headers: HeadersLike | undefined): number | undefined {
  if (!isHeadersLike(headers)) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Whether `secret` occurs in a string or a key of a JSON-like value: a walk, without serializing,
 * because it runs for every `raw` event of a stream (JSON.stringify there was the largest cost
 * rxjs-agents added over the raw SDK; see bench/README.md).
 */
function holdsSecret(value: unknown, secret: string, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if (typeof value !== 'object' || value === null) return false;
  // Too deep to walk, or serialized by its own toJSON: let the exact path below decide.
  if (depth > 32 || typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsSecret(item, secret, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (key.includes(secret) || holdsSecret((value as Record<string, unknown>)[key], secret, depth + 1)) return true;
  }
  return false;
}

/** A JSON-like value with `secret` removed, or the value itself when it does not hold the secret. */
export function redactJson<T>(value: T, secret: string | undefined): T {
  if (secret === undefined || secret.length < 4) return value;
  if (!holdsSecret(value, secret)) return value; // the usual case: no copy, no JSON
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return value;
  }
  if (text === undefined || !text.includes(secret)) return value;
  return JSON.parse(redact(text, secret)) as T;
}

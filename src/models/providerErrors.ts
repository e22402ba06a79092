import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { AgentsError, ModelProviderError } from '../errors.js';

/**
 * Turning whatever the `openai` SDK threw into a {@link ModelProviderError}.
 *
 * Internal to `src/models/`: the models call it; users see only `ModelProviderError`.
 */

/** Which API a failure came from; it opens every message. */
export type ApiLabel = 'OpenAI Responses API' | 'OpenAI Chat Completions API';

/** What replaces the API key if a message ever contains it. */
const redacted = '[redacted]';

/** `text` with every occurrence of `secret` replaced; short or absent secrets leave it as it is. */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < 4) return text;
  return text.split(secret).join(redacted);
}

/**
 * The `ModelProviderError` for `error`, thrown by the SDK (or by the stream itself) while calling
 * `api`.
 *
 * - an `APIError` with an HTTP status keeps `status`, `code` and the SDK error as `cause`;
 * - an `APIError` without a status (an `error` event inside the stream, which the SDK throws) keeps
 *   the provider's `code` and message;
 * - `APIConnectionTimeoutError` and `APIConnectionError` say so, with the SDK error as `cause`;
 * - any other error (a dropped connection, an event that is not JSON) becomes a stream failure;
 * - an error that already is an rxjs-agents error is returned unchanged.
 *
 * `secret` (the client's API key, when known) is removed from the message, should the provider
 * ever echo it back.
 */
export function toModelProviderError(error: unknown, api: ApiLabel, secret?: string): AgentsError {
  if (AgentsError.isInstance(error)) return error;
  const message = (text: string): string => redact(text, secret);

  if (error instanceof APIConnectionTimeoutError) {
    return new ModelProviderError(message(`${api} request timed out: ${error.message}`), { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const reason = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return new ModelProviderError(message(`${api} connection failed: ${error.message}${reason}`), { cause: error });
  }
  if (error instanceof APIError) {
    const code = typeof error.code === 'string' ? error.code : undefined;
    const what = error.status === undefined ? 'error' : 'request failed';
    return new ModelProviderError(message(`${api} ${what}: ${error.message}`), {
      cause: error,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(code === undefined ? {} : { code }),
    });
  }
  if (error instanceof SyntaxError) {
    return new ModelProviderError(message(`${api} sent an event that is not valid JSON: ${error.message}`), {
      cause: error,
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ModelProviderError(message(`${api} stream failed: ${text}`), { cause: error });
}

/** A failure the provider reported inside a stream (an `error` event, a failed response). */
export function providerReportedError(
  api: ApiLabel,
  details: { code?: string | null | undefined; message?: string | null | undefined },
  secret?: string,
): ModelProviderError {
  const code = details.code ?? undefined;
  const text = details.message ?? (code === undefined ? 'the provider reported an error' : code);
  return new ModelProviderError(redact(`${api} error: ${text}`, secret), code === undefined ? {} : { code });
}

/** The error for a stream that ended before the response was complete. */
export function endedEarlyError(api: ApiLabel): ModelProviderError {
  return new ModelProviderError(`${api}: the stream ended before the response completed.`);
}

import { ModelProviderError } from '../errors.js';
import { bodyStart, isEventStreamType } from '../internal/bodyStart.js';
import { readEventStream, type StreamErrorFactory } from './eventStreamBody.js';
import { providerReportedError, redactJson, type ApiLabel } from './providerErrors.js';

/**
 * Reading the `openai` SDK's streams.
 *
 * Internal to `src/models/`.
 */

/**
 * The events of `stream`, with the SDK's own failure to read a malformed event turned into a
 * retryable `ModelProviderError` ("sent a malformed event"), the SDK's `TypeError` as its `cause`.
 *
 * `openai` 7 normalizes every Chat Completions chunk before it yields it (it reads
 * `choice.finish_reason` of each choice), so a chunk whose choice is `null` throws a `TypeError`
 * inside the SDK's iterator, where the models' own checks of each event (see `eventShapes.ts`)
 * never see it; `openai` 6 yielded the chunk, and the models' checks named it. Only an error the
 * iterator throws is translated, and only a language `TypeError` (no `cause`): a body that breaks
 * off is undici's `TypeError('terminated')` with the socket error as `cause`, and stays a broken
 * connection. Leaving early returns the SDK's iterator, which aborts its request.
 *
 * `ready` (backpressure, see `modelCall`) is asked before each event is read: while what it
 * returns is pending, the SDK's body is not read, so the socket fills and the server waits.
 */
async function* sdkEvents(
  stream: AsyncIterable<unknown>,
  api: ApiLabel,
  ready?: () => Promise<void> | undefined,
): AsyncGenerator<unknown> {
  const iterator = stream[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let result: IteratorResult<unknown>;
      const paused = ready?.();
      if (paused !== undefined) await paused;
      try {
        result = await iterator.next();
      } catch (error) {
        finished = true;
        if (!unreadableEvent(error)) throw error;
        throw new ModelProviderError({
          message: `${api} sent a malformed event: one the openai SDK could not read.`,
          cause: error,
          retryable: true,
        });
      }
      if (result.done === true) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}

function unreadableEvent(error: unknown): boolean {
  return error instanceof TypeError && error.cause === undefined && error.message !== 'terminated';
}

/** What a streaming `create()` of the `openai` SDK returns: an `APIPromise`, with `withResponse()`. */
interface WithResponse {
  withResponse(): PromiseLike<{ readonly data: AsyncIterable<unknown>; readonly response: Response }>;
}

function hasWithResponse(value: unknown): value is WithResponse {
  return (
    typeof value === 'object' && value !== null && typeof (value as Partial<WithResponse>).withResponse === 'function'
  );
}

/** How {@link forEachSdkEvent} reads a response. */
export interface StreamReading {
  readonly api: ApiLabel;
  /** The client that made the request: its `APIError` class makes the errors a stream reports. */
  readonly client: object;
  /** The API key, kept out of the events and of what an error quotes of the body. */
  readonly secret: () => string | undefined;
  /** The request's signal: once it is aborted, nothing more is handed on. */
  readonly signal: AbortSignal;
  /** Asked before each event; while what it returns is pending, the body is not read (see `modelCall`). */
  readonly ready?: () => Promise<void> | undefined;
  /** Called each time bytes of the body arrive, before the events they complete (if any). */
  readonly onBytes?: () => void;
  /** Called with the response's headers once it has arrived as a stream, before its first event. */
  readonly onHeaders?: (headers: Headers) => void;
}

/**
 * Hands each event of a streaming `create()` call to `onEvent`, in order, with the API key
 * replaced by `[redacted]` wherever an event holds it; resolves when the stream has ended.
 *
 * The SDK makes the request and gives the response (`withResponse()`); its body is read by
 * `readEventStream` (see `eventStreamBody.ts`, which says why), with two checks the SDK does not
 * make:
 *
 * - A response that is not a stream — a `200` whose content type is not `text/event-stream`: a
 *   proxy's or a login page's HTML, a JSON body, an empty body — fails at once with a
 *   `ModelProviderError` that is **not retryable** (the same request gets the same page) and says
 *   what arrived: the status, the content type, and the first 200 bytes (without
 *   the API key). The SDK would read it as a stream without a single event, which looks like a
 *   connection that broke off. A response with no content type is read as a stream, as the SDK
 *   reads it: a server that leaves the header out still streams.
 * - Bytes are reported as they arrive (`onBytes`), so that an idle timeout can count a large event
 *   that is still arriving as activity.
 *
 * A client without `withResponse()` (a structural stand-in for `OpenAI`), or a body that is not a
 * web `ReadableStream` (a custom `fetch`'s), is read through the SDK's own iterator instead.
 */
export async function forEachSdkEvent(
  created: PromiseLike<AsyncIterable<unknown>>,
  reading: StreamReading,
  onEvent: (event: unknown) => void,
): Promise<void> {
  if (!hasWithResponse(created)) return await forEachIterated(await created, reading, onEvent);
  const { data, response } = await created.withResponse();
  const contentType = response.headers.get('content-type');
  if (!isEventStreamType(contentType)) {
    throw await notAStreamError(response, contentType, data, reading);
  }
  reading.onHeaders?.(response.headers);
  const body = response.body as Partial<ReadableStream<Uint8Array>> | null;
  if (body === null || typeof body.getReader !== 'function' || body.locked === true) {
    return await forEachIterated(data, reading, onEvent);
  }
  // Returned, not awaited: this function's frame is not kept for as long as the body is read
  // (a few hundred bytes of every open run).
  return readEventStream(
    response,
    {
      secret: reading.secret(),
      signal: reading.signal,
      ...(reading.onBytes === undefined ? {} : { onBytes: reading.onBytes }),
      ...(reading.ready === undefined ? {} : { ready: reading.ready }),
      streamError: streamErrorOf(reading),
    },
    onEvent,
  );
}

/** The events of the SDK's own iterator, the way {@link forEachSdkEvent} hands them on. */
async function forEachIterated(
  stream: AsyncIterable<unknown>,
  reading: StreamReading,
  onEvent: (event: unknown) => void,
): Promise<void> {
  for await (const event of sdkEvents(stream, reading.api, reading.ready)) {
    if (reading.signal.aborted) return;
    onEvent(redactJson(event, reading.secret()));
  }
}

/** What the SDK throws for an error inside a stream: its `APIError` without a status. */
type ApiErrorClass = new (status: undefined, error: unknown, message: undefined, headers: Headers) => Error;

/**
 * How an error a stream reports becomes an error: with the client's own `APIError` class (every
 * `OpenAI` client has it as a static), so it is exactly what the SDK's reader would have thrown;
 * for a client without one, the `ModelProviderError` that such an `APIError` would become.
 */
function streamErrorOf(reading: StreamReading): StreamErrorFactory {
  const ApiError = (reading.client.constructor as { APIError?: unknown } | undefined)?.APIError;
  if (typeof ApiError === 'function') {
    return (error, headers) => new (ApiError as ApiErrorClass)(undefined, error, undefined, headers);
  }
  return (error) => {
    const details = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
    const message = typeof details.message === 'string' ? details.message : JSON.stringify(error);
    return providerReportedError(reading.api, { code: details.code, message }, reading.secret());
  };
}

/** The error for a response that is not a stream; reads its first bytes, then closes it. */
async function notAStreamError(
  response: Response,
  contentType: string | null,
  data: AsyncIterable<unknown>,
  reading: StreamReading,
): Promise<ModelProviderError> {
  const began = await bodyStart(response.body, reading.secret());
  // The SDK's stream was never iterated: abort its request too (its `controller` is public).
  (data as { controller?: { abort?: () => void } }).controller?.abort?.();
  return new ModelProviderError({
    message:
      `${reading.api} answered HTTP ${response.status} with content-type ${JSON.stringify(contentType)}, ` +
      `not a stream of server-sent events (text/event-stream); ${began}. ` +
      'Check that the base URL is an OpenAI-compatible API and that no proxy or login page answers for it.',
    status: response.status,
    code: 'not_a_stream',
    retryable: false,
  });
}

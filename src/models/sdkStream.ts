import { ModelProviderError } from '../errors.js';
import { bodyStart, isEventStreamType } from '../internal/bodyStart.js';
import type { ApiLabel } from './providerErrors.js';

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
export async function* sdkEvents(
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

/** How {@link openSdkStream} reads a response. */
export interface StreamReading {
  readonly api: ApiLabel;
  /** The API key, to keep out of what an error quotes of the body. */
  readonly secret: () => string | undefined;
  /** Called each time bytes of the body arrive, before the events they complete (if any). */
  readonly onBytes?: () => void;
  /** Called with the response's headers once it has arrived as a stream, before its first event. */
  readonly onHeaders?: (headers: Headers) => void;
}

/**
 * The events of a streaming `create()` call, once its response has arrived, with two checks the
 * SDK does not make:
 *
 * - A response that is not a stream — a `200` whose content type is not `text/event-stream`: a
 *   proxy's or a login page's HTML, a JSON body, an empty body — fails at once with a
 *   `ModelProviderError` that is **not retryable** (the same request gets the same page) and says
 *   what arrived: the status, the content type, and the first 200 bytes (without
 *   the API key). The SDK would read it as a stream without a single event, which looks like a
 *   connection that broke off. A response with no content type is read as a stream, as the SDK
 *   reads it: a server that leaves the header out still streams.
 * - Bytes are reported as they arrive (`onBytes`), so that an idle timeout can count a large event
 *   that is still arriving as activity. The SDK reads `response.body` when iteration starts (so in
 *   `openai` 6 and 7); the body is given an observed copy of itself before that. Should it be
 *   read already (locked), only whole events count.
 *
 * A client without `withResponse()` (a structural stand-in for `OpenAI`) is read as it is.
 */
export async function openSdkStream(
  created: PromiseLike<AsyncIterable<unknown>>,
  reading: StreamReading,
): Promise<AsyncIterable<unknown>> {
  if (!hasWithResponse(created)) return await created;
  const { data, response } = await created.withResponse();
  const contentType = response.headers.get('content-type');
  if (!isEventStreamType(contentType)) {
    throw await notAStreamError(response, contentType, data, reading);
  }
  reading.onHeaders?.(response.headers);
  if (reading.onBytes !== undefined) observeBody(response, reading.onBytes);
  return data;
}

/** Gives `response` an own `body` that calls `onBytes` per chunk; cancelling it cancels the original. */
function observeBody(response: Response, onBytes: () => void): void {
  const source = response.body;
  if (source === null || source.locked) return;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const observed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= source.getReader();
      // A read that fails (a dropped connection, an abort) errors this stream with the same error.
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      onBytes();
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader === undefined ? source.cancel(reason) : reader.cancel(reason);
    },
  });
  Object.defineProperty(response, 'body', { value: observed, configurable: true });
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

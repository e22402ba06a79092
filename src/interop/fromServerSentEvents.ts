import { Observable } from 'rxjs';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { AgentsError, InvalidArgumentError, RunAbortedError } from '../errors.js';
import { onAbort } from '../internal/onAbort.js';
import type { RunEvent } from '../events.js';
import { bodyStart, isEventStreamType } from '../internal/bodyStart.js';
import { EventStreamError, RemoteRunError } from './errors.js';

/**
 * Reads the run events that a server sends as server-sent events, as a cold Observable: the
 * client side of `toServerSentEvents()` and `serveServerSentEvents()`.
 *
 * <span class="informal">The same `RunEvent`s the server's run emitted, deep-equal, in a browser or
 * in Node, with the same completion and (by name and message) the same error.</span>
 *
 * Given a URL (a `string` or a `URL`), each subscription calls the global `fetch(input, init)` with
 * an `AbortController` of its own: unsubscribing aborts the request, which a server that uses
 * `serveServerSentEvents()` sees as the client going away and answers by unsubscribing its run.
 * Our own unsubscription never turns into an error. An `init.signal` that aborts errors the
 * Observable with `RunAbortedError`.
 *
 * Given a `Response`, the Observable reads its body; a body can be read once, so a second
 * subscription (or a `Response` whose body was already read) errors with `EventStreamError`. Pass
 * the URL to get a fresh request per subscription.
 *
 * - Each frame's `data` is parsed as JSON into a `RunEvent`; a frame that is not one errors with
 *   `EventStreamError`.
 * - An `error` frame (`{"name","message"}`, as `toServerSentEvents()` writes it) errors with a
 *   `RemoteRunError` whose `name` and `message` are the remote error's.
 * - The stream ending after a `final-output` (or a `run-interrupted`: the run stopped, resumable)
 *   completes the Observable; ending without one (and without an `error` frame) errors with
 *   `EventStreamError`: the connection was lost.
 * - A status other than 2xx errors with `EventStreamError` whose `status` is that status; so does
 *   a response whose content type is not `text/event-stream` (a proxy's HTML page, a JSON body),
 *   its message quoting the start of the body. A response with no content type is read as a
 *   stream.
 *
 * Browser-safe: it uses `fetch`, `TextDecoder` and the response body's reader, nothing of Node.
 *
 * ## Example
 *
 * ```ts
 * import { fromServerSentEvents } from 'rxjs-agents';
 * import { accumulateText } from 'rxjs-agents/operators';
 *
 * const answer$ = fromServerSentEvents<string>('/api/ask?q=weekend').pipe(accumulateText());
 * const subscription = answer$.subscribe((text) => (output.textContent = text));
 * // Leaving the page early: subscription.unsubscribe() aborts the request, and the server's run.
 * ```
 *
 * @param input The URL of the event stream, or a `Response` whose body is one.
 * @param init Options for `fetch` (method, headers, body, credentials, signal); ignored for a
 * `Response`.
 * @returns A cold Observable of the run's events.
 */
export function fromServerSentEvents<T = unknown>(
  input: string | URL | Response,
  init?: RequestInit,
): Observable<RunEvent<T>> {
  const isUrl = typeof input === 'string' || input instanceof URL;
  if (!isUrl && !(typeof input === 'object' && input !== null && 'body' in input && 'status' in input)) {
    throw new InvalidArgumentError({ argument: 'input', message: 'expected a URL (string or URL) or a Response.' });
  }
  let responseTaken = false;

  return new Observable<RunEvent<T>>((subscriber) => {
    const controller = new AbortController();
    const userSignal = init?.signal ?? undefined;
    const abortFromUser = (): void => controller.abort(userSignal?.reason);
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let stopListening: (() => void) | undefined;

    let response: Promise<Response>;
    if (isUrl) {
      if (userSignal?.aborted) {
        subscriber.error(new RunAbortedError({ cause: userSignal.reason }));
        return;
      }
      // One listener per signal however many streams share it (see onAbort).
      stopListening = userSignal ? onAbort(userSignal, abortFromUser) : undefined;
      response = fetch(input, { ...init, signal: controller.signal });
    } else {
      if (responseTaken || input.bodyUsed) {
        subscriber.error(
          new EventStreamError({
            message:
              'fromServerSentEvents(): the Response body was already read; a body can be read once. ' +
              'Pass the URL to read the stream once per subscription.',
          }),
        );
        return;
      }
      responseTaken = true;
      response = Promise.resolve(input);
    }

    let sawRunEnd = false;
    const onMessage = (message: EventSourceMessage): void => {
      if (subscriber.closed) return;
      if (message.event === 'error') {
        subscriber.error(new RemoteRunError(parseRemoteError(message.data)));
        return;
      }
      const event = parseRunEvent<T>(message.data);
      if (event === undefined) {
        const text = truncate(message.data);
        subscriber.error(
          new EventStreamError({ message: `fromServerSentEvents(): a frame is not a run event: ${text}` }),
        );
        return;
      }
      if (event.type === 'final-output' || event.type === 'run-interrupted') sawRunEnd = true;
      subscriber.next(event);
    };

    const read = async (): Promise<void> => {
      const answer = await response;
      if (subscriber.closed) {
        await answer.body?.cancel();
        return;
      }
      if (!answer.ok) {
        await answer.body?.cancel();
        throw new EventStreamError({
          message:
            `fromServerSentEvents(): the server answered ${`${answer.status} ${answer.statusText}`.trim()} ` +
            'instead of an event stream.',
          status: answer.status,
        });
      }
      const contentType = answer.headers.get('content-type');
      if (!isEventStreamType(contentType)) {
        const began = await bodyStart(answer.body);
        throw new EventStreamError({
          message:
            `fromServerSentEvents(): the server answered ${answer.status} with content-type ${JSON.stringify(contentType)}, ` +
            `not an event stream (text/event-stream); ${began}.`,
          status: answer.status,
        });
      }
      if (answer.body === null)
        throw new EventStreamError({ message: 'fromServerSentEvents(): the response has no body.' });
      reader = answer.body.getReader();
      const decoder = new TextDecoder();
      const parser = createParser({ onEvent: onMessage });
      while (!subscriber.closed) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      parser.feed(decoder.decode());
      if (subscriber.closed) return;
      if (sawRunEnd) subscriber.complete();
      else
        subscriber.error(
          new EventStreamError({
            message:
              'fromServerSentEvents(): the event stream ended before the final output: ' +
              'the connection was lost or the server stopped.',
          }),
        );
    };

    read().catch((error: unknown) => {
      if (subscriber.closed) return; // our own unsubscription aborted the request: not an error
      if (userSignal?.aborted) subscriber.error(new RunAbortedError({ cause: userSignal.reason }));
      else if (AgentsError.isInstance(error)) subscriber.error(error);
      else {
        const message = `fromServerSentEvents(): the event stream failed: ${messageOf(error)}`;
        subscriber.error(new EventStreamError({ message, cause: error }));
      }
    });

    return () => {
      stopListening?.();
      controller.abort();
      reader?.cancel().catch(() => undefined);
    };
  });
}

function parseRunEvent<T>(data: string): RunEvent<T> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof (value as { type?: unknown }).type !== 'string') return undefined;
  // The server encoded a RunEvent; its output type is the caller's declaration `T`.
  return value as RunEvent<T>;
}

function parseRemoteError(data: string): { name: string; message: string } {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null) {
      const { name, message } = value as { name?: unknown; message?: unknown };
      return { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : data };
    }
  } catch {
    // not JSON: the data is the message
  }
  return { name: 'Error', message: data };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

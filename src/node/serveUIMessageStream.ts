import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import type { ToUIMessageStreamOptions } from '../../operators/toUIMessageStream.js';
import { InvalidArgumentError } from '../errors.js';
import type { RunEvent } from '../events.js';
import { uiMessageFrames, uiMessageStreamHeaders } from '../uiMessages/uiMessageFrames.js';
import { serveFrames } from './serveFrames.js';

/** The options of {@link serveUIMessageStream}: those of `toUIMessageStream()`. */
export type ServeUIMessageStreamOptions = ToUIMessageStreamOptions;

/**
 * Serves a run as the AI SDK's UI message stream on a Node HTTP response — what `useChat`'s
 * `DefaultChatTransport` reads — and ties the run's life to the client's connection and pace.
 *
 * <span class="informal">`serveServerSentEvents()` for the AI SDK's protocol: subscribe, write,
 * end; when the client stops (`useChat`'s `stop()`), unsubscribe, which aborts the model call;
 * when it reads slowly, pause the model.</span>
 *
 * It sends status 200 with the headers of the AI SDK's servers (`content-type: text/event-stream;
 * charset=utf-8`, `x-vercel-ai-ui-message-stream: v1`, `cache-control: no-cache, no-transform`,
 * `connection: keep-alive`, `x-accel-buffering: no`), flushes them at once, subscribes to
 * `events`, writes each chunk of `toUIMessageStream()` as `data: <JSON>\n\n`, then `data:
 * [DONE]\n\n`, and ends the response. An error of the run is an `error` chunk (see
 * `toUIMessageStream()`'s `errorMessage`), after which the response ends normally.
 *
 * When the response closes before it ended — the client called `stop()`, closed the tab, aborted
 * its fetch — the run is unsubscribed: its HTTP request to the model is aborted and its tools are
 * signalled. When `response.write()` returns `false`, the run is asked to pause until `drain`
 * (`pauseSource()`), as `serveServerSentEvents()` does.
 *
 * ## Example
 *
 * ```ts
 * import { createServer } from 'node:http';
 * import { json } from 'node:stream/consumers';
 * import { fromUIMessages, runStreamed, type UIMessageLike } from 'rxjs-agents';
 * import { serveUIMessageStream } from 'rxjs-agents/node';
 *
 * createServer(async (request, response) => {
 *   const { messages } = (await json(request)) as { messages: UIMessageLike[] };
 *   serveUIMessageStream(response, runStreamed(agent, fromUIMessages(messages)));
 * }).listen(3000);
 * ```
 *
 * @see `toUIMessageStream` in `rxjs-agents/operators`; `toUIMessageStreamResponse` in `rxjs-agents` for a web `Response`.
 *
 * @param response The response to serve on; its headers must not have been sent yet.
 * @param events The run's events; subscribed once, now.
 * @param options The options of `toUIMessageStream()`: `messageId`, `sendReasoning`, `partialOutput`, `errorMessage`, `messageMetadata`.
 * @returns The subscription to `events`: unsubscribe it to stop the run and leave the response
 * open for you to end.
 * @throws InvalidArgumentError when the headers were sent already, or an option has the wrong type.
 */
export function serveUIMessageStream(
  response: ServerResponse,
  events: Observable<RunEvent<unknown>>,
  options: ServeUIMessageStreamOptions = {},
): Subscription {
  if (response.headersSent) {
    throw new InvalidArgumentError({ argument: 'response', message: 'its headers were already sent.' });
  }
  return serveFrames(response, uiMessageStreamHeaders, uiMessageFrames(events, options));
}

import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import { toServerSentEvents, type ToServerSentEventsOptions } from '../../operators/toServerSentEvents.js';
import { InvalidArgumentError } from '../errors.js';
import type { RunEvent } from '../events.js';
import { serveFrames } from './serveFrames.js';
import { eventStreamHeaders } from '../interop/eventStreamHeaders.js';

/** The options of {@link serveServerSentEvents}. */
export type ServeServerSentEventsOptions = ToServerSentEventsOptions;

/**
 * Serves a run's events as server-sent events on a Node HTTP response, and ties the run's life to
 * the client's connection and to the client's pace.
 *
 * <span class="informal">The server half of `fromServerSentEvents()`: subscribe, write, end — and
 * when the client goes away, unsubscribe, which aborts the model call; when it reads slowly,
 * pause the model.</span>
 *
 * Named *serve* rather than *write* or *pipe* because it does all that serving an event stream
 * takes, not only the writing: it sends status 200 with `content-type: text/event-stream;
 * charset=utf-8`, `cache-control: no-cache, no-transform`, `connection: keep-alive` and
 * `x-accel-buffering: no` (so nginx does not hold frames back), flushes the headers at once,
 * subscribes to `events`, writes each one as a frame (`toServerSentEvents()`), and ends the
 * response when the run completes. A run that errors ends with an `error` frame, and then the
 * response ends normally: the frame holds the error's class name and, unless `errorMessage` says
 * otherwise, a generic message (see `toServerSentEvents()`).
 *
 * When the response closes before it ended — the client closed the tab, `fetch` was aborted,
 * `fromServerSentEvents()` was unsubscribed — the run is unsubscribed: its HTTP request to the
 * model is aborted and its tools are signalled. A response already destroyed when called starts
 * no run.
 *
 * **Backpressure.** When `response.write()` returns `false` (the client reads slower than the
 * model writes), the run is asked to pause until the response's `drain` (`pauseSource()`): its
 * OpenAI model stops reading the model's HTTP response, whose socket then fills, and the model
 * server waits. So a stalled client holds the server's memory to the response's buffer and a few
 * events, not the whole answer. Events that reach the response outside a pausable delivery (after
 * a timer, such as `bufferTokens({ timeSpan })`) are still written, and buffered by Node.
 *
 * ## Example
 *
 * ```ts
 * import { createServer } from 'node:http';
 * import { runStreamed } from 'rxjs-agents';
 * import { serveServerSentEvents } from 'rxjs-agents/node';
 *
 * createServer((request, response) => {
 *   const question = new URL(request.url ?? '/', 'http://localhost').searchParams.get('q') ?? '';
 *   serveServerSentEvents(response, runStreamed(agent, question));
 * }).listen(3000);
 * ```
 *
 * @see `toServerSentEvents` in `rxjs-agents/operators`, and `fromServerSentEvents` in `rxjs-agents` for the client half.
 *
 * @param response The response to serve on; its headers must not have been sent yet.
 * @param events The run's events; subscribed once, now.
 * @param options `errorMessage`: what the `error` frame says of an error (see `toServerSentEvents()`).
 * @returns The subscription to `events`: unsubscribe it to stop the run and leave the response
 * open for you to end.
 * @throws InvalidArgumentError when the headers were sent already, or `errorMessage` is not a function.
 */
export function serveServerSentEvents(
  response: ServerResponse,
  events: Observable<RunEvent<unknown>>,
  options: ServeServerSentEventsOptions = {},
): Subscription {
  if (response.headersSent) {
    throw new InvalidArgumentError({ argument: 'response', message: 'its headers were already sent.' });
  }
  const frames = toServerSentEvents(options);
  return serveFrames(response, eventStreamHeaders, events.pipe(frames));
}

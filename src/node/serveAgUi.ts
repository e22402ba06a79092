import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import type { AgUiEvent } from '../agui/agUiEvents.js';
import { agUiFrames } from '../agui/agUiFrames.js';
import { InvalidArgumentError } from '../errors.js';
import { eventStreamHeaders } from '../interop/eventStreamHeaders.js';
import { serveFrames } from './serveFrames.js';

/**
 * Serves AG-UI events as server-sent events on a Node HTTP response, and ties the run's life to
 * the client's connection and to the client's pace.
 *
 * <span class="informal">What an AG-UI endpoint does with `toAgUiEvents()` of a run: subscribe,
 * write a `data: <JSON>` frame per event, end — and when the client aborts (`HttpAgent`'s
 * `abortRun()`), unsubscribe, which aborts the model call.</span>
 *
 * Like `serveServerSentEvents`, which it follows: status 200 with `content-type:
 * text/event-stream; charset=utf-8`, `cache-control: no-cache, no-transform`, `connection:
 * keep-alive` and `x-accel-buffering: no`, flushed at once; the response ends when the events
 * complete. When the response closes first, the events are unsubscribed: the run's HTTP request
 * to the model is aborted and its tools are signalled. A response already destroyed starts no
 * run. When `response.write()` returns `false`, the run is asked to pause until `drain`
 * (`pauseSource()`), so a slow client holds the model server, not the server's memory.
 *
 * ## Example
 *
 * ```ts
 * import { createServer } from 'node:http';
 * import { fromAgUiInput, runStreamed } from 'rxjs-agents';
 * import { serveAgUi } from 'rxjs-agents/node';
 * import { toAgUiEvents } from 'rxjs-agents/operators';
 *
 * createServer(async (request, response) => {
 *   let body = '';
 *   for await (const chunk of request) body += chunk;
 *   const agUi = fromAgUiInput(JSON.parse(body));
 *   serveAgUi(response, runStreamed(agent, agUi.input).pipe(toAgUiEvents(agUi)));
 * }).listen(3000);
 * ```
 *
 * @see `toAgUiEvents` (in `rxjs-agents/operators`), and `toAgUiResponse` (in `rxjs-agents`) for a web `Response`.
 *
 * @param response The response to serve on; its headers must not have been sent yet.
 * @param events The AG-UI events (`toAgUiEvents()` of a run); subscribed once, now.
 * @returns The subscription to `events`: unsubscribe it to stop the run and leave the response
 * open for you to end.
 * @throws InvalidArgumentError when the headers were sent already.
 */
export function serveAgUi(response: ServerResponse, events: Observable<AgUiEvent>): Subscription {
  if (response.headersSent) {
    throw new InvalidArgumentError({ argument: 'response', message: 'its headers were already sent.' });
  }
  return serveFrames(response, eventStreamHeaders, agUiFrames(events));
}

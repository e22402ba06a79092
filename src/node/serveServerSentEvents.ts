import type { ServerResponse } from 'node:http';
import { Subscription, type Observable } from 'rxjs';
import { toServerSentEvents } from '../../operators/toServerSentEvents.js';
import { InvalidArgumentError } from '../errors.js';
import type { RunEvent } from '../events.js';

/** The headers of an event stream that no proxy buffers, compresses or caches. */
const eventStreamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * Serves a run's events as server-sent events on a Node HTTP response, and ties the run's life to
 * the client's connection.
 *
 * <span class="informal">The server half of `fromServerSentEvents()`: subscribe, write, end — and
 * when the client goes away, unsubscribe, which aborts the model call.</span>
 *
 * Named *serve* rather than *write* or *pipe* because it does all that serving an event stream
 * takes, not only the writing: it sends status 200 with `content-type: text/event-stream;
 * charset=utf-8`, `cache-control: no-cache, no-transform`, `connection: keep-alive` and
 * `x-accel-buffering: no` (so nginx does not hold frames back), flushes the headers at once,
 * subscribes to `events`, writes each one as a frame (`toServerSentEvents()`), and ends the
 * response when the run completes. A run that errors ends with an `error` frame holding the error's
 * name and message only, and then the response ends normally (see `toServerSentEvents()`).
 *
 * When the response closes before it ended — the client closed the tab, `fetch` was aborted,
 * `fromServerSentEvents()` was unsubscribed — the run is unsubscribed: its HTTP request to the
 * model is aborted and its tools are signalled. A response already destroyed when called starts
 * no run. Writes do not wait for the socket (`response.write()` buffers in Node when the client
 * reads slowly; a run's events are small).
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
 * @returns The subscription to `events`: unsubscribe it to stop the run and leave the response
 * open for you to end.
 */
export function serveServerSentEvents(response: ServerResponse, events: Observable<RunEvent<unknown>>): Subscription {
  if (response.headersSent) {
    throw new InvalidArgumentError({ argument: 'response', message: 'its headers were already sent.' });
  }
  if (response.destroyed || response.writableEnded) return Subscription.EMPTY;

  response.writeHead(200, eventStreamHeaders);
  response.flushHeaders();

  const subscription = new Subscription();
  const onClose = (): void => subscription.unsubscribe();
  response.once('close', onClose);
  subscription.add(() => response.off('close', onClose));
  subscription.add(
    events.pipe(toServerSentEvents()).subscribe({
      next: (frame) => response.write(frame),
      complete: () => response.end(),
    }),
  );
  return subscription;
}

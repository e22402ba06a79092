import type { Observable } from 'rxjs';
import { eventStreamHeaders } from '../interop/eventStreamHeaders.js';
import { toReadableStream } from '../interop/toReadableStream.js';
import type { AgUiEvent } from './agUiEvents.js';
import { agUiFrames } from './agUiFrames.js';

/**
 * A web `Response` that streams AG-UI events as server-sent events: what a fetch-style route
 * handler (Next.js, Hono, Deno, Bun, Cloudflare Workers) returns to `@ag-ui/client`'s `HttpAgent`.
 *
 * <span class="informal">The web half of `serveAgUi()`: status 200, `text/event-stream`, one
 * `data: <JSON>` frame per event; the run starts when the body is first read and is unsubscribed
 * when the client goes away.</span>
 *
 * The body is `toReadableStream()` of the frames, so it subscribes to `events` on its first read,
 * is unsubscribed when the stream is cancelled (the client's `abortRun()` or a closed tab, which the
 * runtime turns into a cancelled body: the run's model call is aborted), and asks the run to pause
 * while the reader is behind. Headers: `content-type: text/event-stream; charset=utf-8`,
 * `cache-control: no-cache, no-transform`, `connection: keep-alive`, `x-accel-buffering: no`;
 * `init` may add to them and set the status.
 *
 * ## Example
 *
 * ```ts
 * import { fromAgUiInput, runStreamed, toAgUiResponse } from 'rxjs-agents';
 * import { toAgUiEvents } from 'rxjs-agents/operators';
 *
 * export async function POST(request: Request): Promise<Response> {
 *   const agUi = fromAgUiInput(await request.json());
 *   return toAgUiResponse(runStreamed(agent, agUi.input).pipe(toAgUiEvents(agUi)));
 * }
 * ```
 *
 * @see `toAgUiEvents` (in `rxjs-agents/operators`), which makes the events; `serveAgUi` (in `rxjs-agents/node`) for a Node response.
 *
 * @param events The AG-UI events: `toAgUiEvents()` of a run. Subscribed once, on the first read.
 * @param init The response's status and more headers, if you want them.
 * @returns A `Response` whose body streams the events.
 */
export function toAgUiResponse(events: Observable<AgUiEvent>, init: ResponseInit = {}): Response {
  const body = toReadableStream(agUiFrames(events)).pipeThrough(new TextEncoderStream());
  const headers = new Headers(eventStreamHeaders);
  new Headers(init.headers).forEach((value, name) => headers.set(name, value));
  return new Response(body, { ...init, headers });
}

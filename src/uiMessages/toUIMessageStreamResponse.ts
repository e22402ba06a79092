import type { Observable } from 'rxjs';
import type { ToUIMessageStreamOptions } from '../../operators/toUIMessageStream.js';
import { InvalidArgumentError } from '../errors.js';
import type { RunEvent } from '../events.js';
import { toReadableStream } from '../interop/toReadableStream.js';
import { uiMessageFrames, uiMessageStreamHeaders } from './uiMessageFrames.js';

/** The options of {@link toUIMessageStreamResponse}: the response's, and the stream's (see `toUIMessageStream()`). */
export interface UIMessageStreamResponseInit extends ToUIMessageStreamOptions {
  /** Default 200. */
  readonly status?: number;
  readonly statusText?: string;
  /** Headers added to the stream's own (which win over them where both name one). */
  readonly headers?: HeadersInit;
}

/**
 * A web `Response` that streams a run as the AI SDK's UI message stream: what a route handler of
 * Next.js, Hono, Deno, Bun or a Cloudflare Worker returns to `useChat`.
 *
 * <span class="informal">The fetch-style half of `serveUIMessageStream()`: the run starts when the
 * body is first read, and stops when the client goes away.</span>
 *
 * The body is `toUIMessageStream()`'s chunks as server-sent events — `data: <JSON>\n\n` each, then
 * `data: [DONE]\n\n` — with the headers the AI SDK's servers send (`content-type:
 * text/event-stream`, `x-vercel-ai-ui-message-stream: v1`, no caching, no proxy buffering). It is
 * made by `toReadableStream()`, so the run is subscribed on the body's first read, a cancelled body
 * (the client aborted its fetch: `useChat`'s `stop()`) unsubscribes it — its model call aborted,
 * its tools signalled — and a client that reads slowly pauses the run's model (backpressure). An
 * error of the run is an `error` chunk, after which the response ends normally.
 *
 * ## Example
 *
 * ```ts
 * // app/api/chat/route.ts (Next.js)
 * import { fromUIMessages, runStreamed, toUIMessageStreamResponse } from 'rxjs-agents';
 *
 * export async function POST(request: Request): Promise<Response> {
 *   const { messages } = await request.json();
 *   return toUIMessageStreamResponse(runStreamed(agent, fromUIMessages(messages)));
 * }
 * ```
 *
 * @see `toUIMessageStream` (in `rxjs-agents/operators`), the chunks; `serveUIMessageStream` (in `rxjs-agents/node`) for a Node `ServerResponse`.
 *
 * @param events The run's events; subscribed once, when the body is first read.
 * @param init The response's `status`, `statusText` and `headers`, and the stream's options.
 * @returns A `Response` whose body streams the run.
 * @throws InvalidArgumentError when an option is given with the wrong type.
 */
export function toUIMessageStreamResponse(
  events: Observable<RunEvent<unknown>>,
  init: UIMessageStreamResponseInit = {},
): Response {
  if (typeof init !== 'object' || init === null) {
    throw new InvalidArgumentError({ argument: 'init', message: 'expected an object of options.' });
  }
  const { status, statusText, headers: extra, ...options } = init;
  const frames = uiMessageFrames(events, options);
  const headers = new Headers(extra);
  for (const [name, value] of Object.entries(uiMessageStreamHeaders)) headers.set(name, value);
  const body = toReadableStream(frames).pipeThrough(new TextEncoderStream());
  return new Response(body, { status: status ?? 200, ...(statusText === undefined ? {} : { statusText }), headers });
}

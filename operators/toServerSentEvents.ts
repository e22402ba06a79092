import { catchError, map, of, type OperatorFunction } from 'rxjs';
import type { RunEvent } from '../src/events.js';

/**
 * Encodes each run event as one server-sent-event frame, and an error as a last `error` frame.
 *
 * <span class="informal">What a server writes to a `text/event-stream` response; the browser reads it
 * back with `fromServerSentEvents()`.</span>
 *
 * ```text
 * source:              -a--b--#        (a, b run events; # an error)
 * toServerSentEvents:  -x--y--(e|)     (x 'event: text-delta\ndata: {…}\n\n', e 'event: error\ndata: {"name":…,"message":…}\n\n')
 * ```
 *
 * Each event becomes `event: <type>\ndata: <JSON>\n\n`, the JSON on one line (`JSON.stringify`
 * escapes every line break inside strings). A property whose value is `undefined` is left out, as
 * JSON does.
 *
 * **Errors complete the stream.** When the source errors, the operator emits one last frame,
 * `event: error\ndata: {"name":"…","message":"…"}\n\n`, and then *completes* instead of erroring,
 * so a server ends the response cleanly and the client learns what went wrong. Only the error's
 * `name` and `message` are sent: never its stack, its `cause` or its `partial` (the run's text and
 * items), which may hold what a client must not see. A value without a string `message` is sent
 * as name `'Error'` and its `String()`. An event that cannot be encoded (a `BigInt`, a cycle in `raw`
 * data) ends the stream the same way. A browser `EventSource` also dispatches its own connection
 * errors as `error`: listen with `fromServerSentEvents()`, or tell them apart by `event.data`.
 *
 * ## Example
 *
 * ```ts
 * import { runStreamed, toReadableStream } from 'rxjs-agents';
 * import { toServerSentEvents } from 'rxjs-agents/operators';
 *
 * // A fetch-style handler (Deno, Bun, Cloudflare Workers, a Next.js route):
 * export function GET(): Response {
 *   const frames$ = runStreamed(agent, 'Recommend one destination.').pipe(toServerSentEvents());
 *   const body = toReadableStream(frames$).pipeThrough(new TextEncoderStream());
 *   return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
 * }
 * ```
 *
 * @see `fromServerSentEvents` (in `rxjs-agents`), the client half; `serveServerSentEvents` (in `rxjs-agents/node`), which serves a run with it.
 *
 * @returns A function that returns an Observable of SSE frames, one per event, that completes
 * after an `error` frame when the source errors.
 */
export function toServerSentEvents(): OperatorFunction<RunEvent<unknown>, string> {
  return (source) =>
    source.pipe(
      map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      catchError((error: unknown) => of(errorFrame(error))),
    );
}

function errorFrame(error: unknown): string {
  const { name, message } = describeError(error);
  return `event: error\ndata: ${JSON.stringify({ name, message })}\n\n`;
}

/** The error's `name` and `message` when it has them (an `Error` from any realm), else its text. */
function describeError(error: unknown): { name: string; message: string } {
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === 'string') return { name: typeof name === 'string' ? name : 'Error', message };
  }
  try {
    return { name: 'Error', message: String(error) };
  } catch {
    return { name: 'Error', message: 'Unknown error' };
  }
}

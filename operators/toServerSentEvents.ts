import { catchError, map, of, type OperatorFunction } from 'rxjs';
import type { RunEvent } from '../src/events.js';
import { checkedErrorMessage, errorName, publicMessageOf, type PublicErrorMessage } from './internal/publicError.js';

/** The options of {@link toServerSentEvents}. */
export interface ToServerSentEventsOptions {
  /**
   * What the `error` frame says of the error that ended the run: its public message. Default: a
   * generic message that names the error's class only, `The run failed (<name>).` — an error's own
   * message may hold a tool's internal URL, a host name or a file path, and the frame reaches a
   * browser. Return `error.message` for the errors you know to be safe to show. When it throws or
   * returns something else than a string, the default is sent.
   */
  readonly errorMessage?: (error: unknown) => string;
}

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
 * so a server ends the response cleanly and the client learns what went wrong: its
 * `fromServerSentEvents()` errors with a `RemoteRunError` of the same `name`.
 *
 * **What the frame tells.** `name` is the error's class name (`'ToolCallError'`,
 * `'ModelProviderError'`; `'Error'` for a thrown value without a plain identifier as its name);
 * `message` is, by default, only `The run failed (<name>).`: an error's own message can hold what
 * a browser must not see (a tool's failure quotes an internal URL, a connection error names a
 * host). Give `errorMessage` to decide what each error says. Never sent: the stack, `cause`,
 * `partial` (the run's text and items), `status`, `code`. An event that cannot be encoded (a
 * `BigInt`, a cycle in `raw` data) ends the stream the same way. The events themselves are sent
 * as they are — a `tool-output`'s `error` is what the model was shown; see the Node servers guide
 * for removing it. A browser `EventSource` also dispatches its own connection errors as `error`:
 * listen with `fromServerSentEvents()`, or tell them apart by `event.data`.
 *
 * ## Example
 *
 * ```ts
 * import { MaxTurnsExceededError, runStreamed, toReadableStream } from 'rxjs-agents';
 * import { toServerSentEvents } from 'rxjs-agents/operators';
 *
 * // A fetch-style handler (Deno, Bun, Cloudflare Workers, a Next.js route):
 * export function GET(): Response {
 *   const frames$ = runStreamed(agent, 'Recommend one destination.').pipe(
 *     toServerSentEvents({
 *       // this error's message is ours and safe to show; anything else stays generic
 *       errorMessage: (error) => (MaxTurnsExceededError.isInstance(error) ? error.message : 'Something went wrong.'),
 *     }),
 *   );
 *   const body = toReadableStream(frames$).pipeThrough(new TextEncoderStream());
 *   return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
 * }
 * ```
 *
 * @see `fromServerSentEvents` (in `rxjs-agents`), the client half; `serveServerSentEvents` (in `rxjs-agents/node`), which serves a run with it.
 *
 * @param options `errorMessage`: what an `error` frame says of an error.
 * @returns A function that returns an Observable of SSE frames, one per event, that completes
 * after an `error` frame when the source errors.
 * @throws InvalidArgumentError when `errorMessage` is given and is not a function.
 */
export function toServerSentEvents(
  options: ToServerSentEventsOptions = {},
): OperatorFunction<RunEvent<unknown>, string> {
  const publicMessage = checkedErrorMessage(
    (options as Partial<ToServerSentEventsOptions> | undefined)?.errorMessage,
    'options.errorMessage',
  );
  return (source) =>
    source.pipe(
      map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      catchError((error: unknown) => of(errorFrame(error, publicMessage))),
    );
}

function errorFrame(error: unknown, publicMessage: PublicErrorMessage): string {
  const body = { name: errorName(error), message: publicMessageOf(error, publicMessage) };
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/**
 * Answers one request with one scripted turn: the turn's events as server-sent events (or as one
 * JSON body when the request did not ask `stream: true`), with the turn's faults applied.
 */
import type { ServerResponse } from 'node:http';
import { chatChunks, chatCompletion, chatId, completionFromChunks } from './chatEvents.js';
import { completedIndex, finalResponse, responsesEvents, responsesId } from './responsesEvents.js';
import type { ScriptedTurn } from '../script.js';
import { isEventsTurn, planTurn } from './script.js';

/** Which OpenAI API a request called. */
export type Api = 'responses' | 'chat';

const errorTypes: Record<number, [type: string, code: string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  403: ['invalid_request_error', 'unsupported_country_region_territory'],
  404: ['invalid_request_error', 'unknown_url'],
  429: ['requests', 'rate_limit_exceeded'],
};

/** An OpenAI-style error body; `param` names the request field that was wrong. */
export function errorBody(status: number, message: string, code?: string | null, param?: string): unknown {
  const [type, defaultCode] =
    errorTypes[status] ?? (status >= 500 ? ['server_error', null] : ['invalid_request_error', null]);
  return { error: { message, type, param: param ?? null, code: code === undefined ? defaultCode : code } };
}

/** Sends a JSON body and ends the response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Resolves after `ms`, or as soon as the response closes (clearing the timer). */
function wait(res: ServerResponse, ms: number): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

/**
 * Writes a chunk and resolves once it is handed to the socket (or the response closed), so a
 * `dropAfter` that follows destroys the socket only after the events before it went out.
 */
function write(res: ServerResponse, text: string | Uint8Array): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('close', done);
      resolve();
    };
    res.on('close', done);
    res.write(text, done);
  });
}

/** Writes `text` whole, or, with a `trickle` fault, `bytes` at a time, `everyMs` apart. */
async function send(res: ServerResponse, text: string, trickle: ScriptedTurn['trickle']): Promise<void> {
  if (trickle === undefined) return write(res, text);
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length && !res.destroyed; start += trickle.bytes) {
    if (start > 0) await wait(res, trickle.everyMs);
    await write(res, bytes.subarray(start, start + trickle.bytes));
  }
}

function encode(api: Api, event: unknown): string {
  const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
  const data = `data: ${JSON.stringify(event)}\n\n`;
  return api === 'responses' && typeof type === 'string' ? `event: ${type}\n${data}` : data;
}

/** What serving one turn needs to know. */
export interface TurnRequest {
  readonly api: Api;
  /** The turn, checked (`checkScript`): a string is `{ text }` by now. */
  readonly turn: ScriptedTurn;
  /** 1-based: this turn's place in the script. */
  readonly turnNumber: number;
  readonly body: unknown;
  /** Called just before the server itself destroys the socket (a `dropAfter` fault). */
  readonly onDrop: () => void;
  /**
   * Called with a Responses API response that completed, just before the event (or body) that
   * says so is sent: so it is stored before the client can ask to continue from it.
   */
  readonly onCompleted?: (response: unknown) => void;
}

/** Serves one turn on `res`; resolves when the server is done with the response. */
export async function serveTurn(res: ServerResponse, request: TurnRequest): Promise<void> {
  const { api, turn, body } = request;
  if (turn.status !== undefined) {
    const message = `Scripted HTTP ${turn.status} from the rxjs-agents local server (turn ${request.turnNumber}).`;
    if (typeof turn.body === 'string') {
      res.writeHead(turn.status, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(turn.body),
        ...turn.headers,
      });
      res.end(turn.body);
      return;
    }
    sendJson(res, turn.status, turn.body ?? errorBody(turn.status, message), { ...turn.headers });
    return;
  }
  const plan = isEventsTurn(turn)
    ? undefined
    : planTurn(turn, request.turnNumber, api === 'responses' ? responsesId : chatId);
  const events: readonly unknown[] =
    plan === undefined
      ? (turn.events ?? [])
      : api === 'responses'
        ? responsesEvents(plan, body)
        : chatChunks(plan, body);
  const drop = (): void => {
    request.onDrop();
    res.destroy();
  };

  const streamed = typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
  if (!streamed) {
    if (turn.dropAfter !== undefined) return drop();
    if (turn.stallAfter !== undefined) return;
    if (turn.delayMs) await wait(res, turn.delayMs);
    if (res.destroyed) return;
    if (turn.badLineAfter !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{not json');
      return;
    }
    const answer =
      api === 'responses'
        ? finalResponse(events)
        : plan === undefined
          ? completionFromChunks(events)
          : chatCompletion(plan, body);
    if (api === 'responses' && (answer as { status?: unknown } | undefined)?.status === 'completed') {
      request.onCompleted?.(answer);
    }
    if (answer === undefined) {
      const message =
        'The scripted events hold no final response (response.completed) to answer a non-streamed request with.';
      sendJson(res, 500, errorBody(500, message, 'no_final_response'), { 'x-should-retry': 'false' });
    } else {
      sendJson(res, 200, answer, { ...turn.headers });
    }
    return;
  }

  const completedAt = api === 'responses' ? completedIndex(events) : -1;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...turn.headers,
  });
  res.flushHeaders();
  for (let sent = 0; sent <= events.length; sent += 1) {
    if (sent > 0 && sent < events.length && turn.delayMs) await wait(res, turn.delayMs);
    if (res.destroyed) return;
    if (turn.badLineAfter === sent) await write(res, 'data: {not json\n\n');
    if (turn.dropAfter === sent) return drop();
    if (turn.stallAfter === sent) return;
    if (turn.endlessAfter === sent && sent > 0) {
      // Each write waits for the socket, so a client that stops reading pauses this loop.
      const again = encode(api, events[sent - 1]);
      while (!res.destroyed) await write(res, again);
      return;
    }
    if (sent === completedAt) request.onCompleted?.((events[sent] as { response?: unknown }).response);
    if (sent < events.length) await send(res, encode(api, events[sent]), turn.trickle);
  }
  if (res.destroyed) return;
  if (api === 'chat') await write(res, 'data: [DONE]\n\n');
  res.end();
}

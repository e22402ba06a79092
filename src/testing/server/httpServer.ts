/**
 * The local OpenAI-compatible HTTP server: one turn per request — the scripted turns in order,
 * then a responder's answer to the request — whichever endpoint is called; every request
 * recorded, with when its response closed and whether the client left early.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { noteInThreadServer } from '../../runner/sync/inThreadServers.js';
import type { ServerTurn } from '../script.js';
import { answersFor } from './answers.js';
import { Conversations } from './conversations.js';
import { ResponderError } from './errors.js';
import { ResponseStore } from './responseStore.js';
import { ItemIds } from './storedItems.js';
import { errorBody, sendJson, serveTurn, type Api } from './respond.js';
import type { LocalServer, RecordedRequest, ServerOptions } from './types.js';

type MutableRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

const routes: Record<string, Api> = {
  '/v1/responses': 'responses',
  '/responses': 'responses',
  '/v1/chat/completions': 'chat',
  '/chat/completions': 'chat',
};

/** Our own errors are final: tell the SDK not to retry them. */
const noRetry = { 'x-should-retry': 'false' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): { ok: boolean; body: unknown } {
  if (text === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, body: text };
  }
}

/**
 * Starts a local server that speaks the OpenAI Responses API (`POST /v1/responses`) and Chat
 * Completions (`POST /v1/chat/completions`), streamed or not, answering request k with scripted
 * turn k, and, once the script is used up, with what the responder (`respond`, `echo` or
 * `fixture`) answers. It keeps what OpenAI keeps, in memory: the Conversations API
 * (`/v1/conversations`, its items listed, added and deleted), a request's `conversation` (its
 * items come before the input, and the input and output join it) and `previous_response_id` (the
 * stored response's items come first); see `ResponsesServerRequest.history`. When no turn is left and there is no responder it answers 500
 * (`code: 'script_exhausted'`); unknown paths 404; a body that is not JSON 400; a responder that
 * throws 500 (`code: 'respond_failed'`, reported by `close()`) — all with `x-should-retry: false`,
 * so the SDK does not retry them (scripted `status` faults carry only the headers the turn gives).
 *
 * The turns are those of `fakeModel` too (`ServerTurn`), checked when given: a fault of the fake
 * model's (`error`, `stall`), an unknown field or a contradiction throws `InvalidArgumentError`,
 * as do two responders, or a `fixture` that cannot be read.
 *
 * Binds to `127.0.0.1` on a free port unless told otherwise.
 */
export async function startServer(options: ServerOptions = {}): Promise<LocalServer> {
  const answers = answersFor(options);
  // What OpenAI would keep: conversations, and completed responses for `previous_response_id`.
  const itemIds = new ItemIds();
  const conversations = new Conversations(itemIds);
  const responses = new ResponseStore(itemIds, conversations);
  const requests: MutableRecord[] = [];
  const sockets = new Set<Socket>();
  let turnsTaken = 0;
  let modelRequests = 0;
  let closing = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [path = '/', search = ''] = (req.url ?? '/').split('?');
    const record: MutableRecord = {
      method: req.method ?? 'GET',
      path,
      headers: { ...req.headers },
      body: undefined,
      receivedAt: performance.now(),
      aborted: false,
    };
    requests.push(record);
    let dropped = false;
    res.on('close', () => {
      record.closedAt = performance.now();
      record.aborted = !res.writableFinished && !dropped && !closing;
    });

    const parsed = parseBody(await readBody(req));
    record.body = parsed.body;
    if (res.destroyed) return;
    const api = req.method === 'POST' ? routes[path] : undefined;
    if (!parsed.ok) {
      return sendJson(
        res,
        400,
        errorBody(400, `The request body is not JSON: ${String(parsed.body).slice(0, 80)}`),
        noRetry,
      );
    }
    if (api === undefined) {
      const answer = conversations.answer(record.method, path, new URLSearchParams(search), parsed.body);
      if (answer !== undefined) return sendJson(res, answer.status, answer.body, noRetry);
      const message =
        `Unknown path: ${record.method} ${path}. The rxjs-agents local server answers POST /v1/responses, ` +
        'POST /v1/chat/completions and the Conversations API (/v1/conversations).';
      return sendJson(res, 404, errorBody(404, message), noRetry);
    }
    const context = api === 'responses' ? responses.contextOf(parsed.body) : undefined;
    if (context !== undefined && 'status' in context) {
      return sendJson(res, context.status, context.body, noRetry);
    }
    if (context !== undefined) record.history = context.history;
    const index = (modelRequests += 1);
    const answer = await answers.next({
      api: api === 'chat' ? 'chat-completions' : api,
      index,
      body: parsed.body,
      headers: record.headers,
      ...(context === undefined ? {} : { stored: context.stored }),
    });
    if (answer.kind === 'exhausted') {
      const message =
        `The rxjs-agents local server's script is exhausted: request ${requests.length} (${record.method} ${path}) ` +
        `found no scripted turn left (${answer.scripted} were scripted). Script more with startServer({ turns }) or server.push(), or answer by request with startServer({ respond }).`;
      return sendJson(res, 500, errorBody(500, message, 'script_exhausted'), noRetry);
    }
    if (answer.kind === 'failed') {
      record.error = answer.message;
      const message = `The rxjs-agents local server's respond function failed for model request ${index} (${record.method} ${path}): ${answer.message}`;
      if (res.destroyed) return;
      return sendJson(res, 500, errorBody(500, message, 'respond_failed'), noRetry);
    }
    if (res.destroyed) return;
    turnsTaken += 1;
    await serveTurn(res, {
      api,
      turn: answer.turn,
      turnNumber: turnsTaken,
      body: parsed.body,
      onDrop: () => {
        dropped = true;
      },
      ...(context === undefined ? {} : { onCompleted: context.complete }),
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, errorBody(500, `The rxjs-agents local server failed: ${String(error)}`), noRetry);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  // So that runSync() refuses to call it from this thread, which it would block (see inThreadServers.ts).
  const forget = noteInThreadServer(address.address, address.port);

  return {
    url: `http://${host}:${address.port}/v1`,
    requests,
    errors: answers.errors,
    push(...more: ServerTurn[]): void {
      answers.push(more);
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        forget();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed.then(() => {
        if (answers.errors.length > 0) throw new ResponderError({ errors: [...answers.errors] });
      });
    },
  };
}

/**
 * The local OpenAI-compatible HTTP server: one turn per model request — the scripted turns in
 * order, then a responder's answer to the request — whichever endpoint is called; the stores of
 * conversations, files and batches beside it; every request recorded, with when its response
 * closed and whether the client left early.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { noteInThreadServer } from '../../runner/sync/inThreadServers.js';
import type { ServerTurn } from '../script.js';
import { answersFor } from './answers.js';
import { Conversations } from './conversations.js';
import { ResponderError } from './errors.js';
import { batchSettings } from './batchChecks.js';
import { Batches } from './batches.js';
import { FileStore } from './files.js';
import { estimateTokens, RateBudget } from './rateBudget.js';
import { ResponseStore } from './responseStore.js';
import { selfPost } from './selfPost.js';
import { ItemIds } from './storedItems.js';
import { errorBody, sendJson, serveTurn, type Api } from './respond.js';
import { reportedTokens } from './script.js';
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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Sends a file's bytes as they are. */
function sendBytes(res: ServerResponse, bytes: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, ...noRetry });
  res.end(bytes);
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
 * stored response's items come first); see `ResponsesServerRequest.history`. When no turn is left
 * and there is no responder it answers 500 (`code: 'script_exhausted'`); unknown paths 404; a
 * body that is not JSON 400; a responder that throws 500 (`code: 'respond_failed'`, reported by
 * `close()`) — all with `x-should-retry: false`, so the SDK does not retry them (scripted
 * `status` faults carry only the headers the turn gives).
 *
 * It has the Files API (`/v1/files`: multipart upload, retrieve, content, list, delete) and the
 * Batch API (`/v1/batches`: create, retrieve, cancel, list), as `client.files` and
 * `client.batches` of the `openai` SDK call them: a job runs OpenAI's status sequence in
 * compressed time and answers each line of its input file as a direct request to its endpoint
 * (the next scripted turn, or the responder, told `ServerRequest.batch`), writing output and
 * error files matched by `custom_id` (see `BatchOptions`). Batch objects carry every field, with
 * `null` where OpenAI sends `null` (`completed_at`, `output_file_id`, …) although the SDK's types
 * say optional. With `rateLimits`, the model endpoints carry `x-ratelimit-*` headers and answer
 * 429 with `retry-after` over budget (see `RateLimitOptions`).
 *
 * The turns are those of `fakeModel` too (`ServerTurn`), checked when given: a fault of the fake
 * model's (`error`, `stall`), an unknown field or a contradiction throws `InvalidArgumentError`,
 * as do two responders, a `fixture` that cannot be read, or bad `batches` or `rateLimits`.
 *
 * Binds to `127.0.0.1` on a free port unless told otherwise. `close()` stops every batch job and
 * clears its timers.
 */
export async function startServer(options: ServerOptions = {}): Promise<LocalServer> {
  const answers = answersFor(options);
  const batchOptions = batchSettings(options.batches);
  const budget = RateBudget.of(options.rateLimits);
  let origin = '';
  const self = selfPost(() => origin);
  const files = new FileStore(batchOptions.maxFileBytes);
  const batches = new Batches(batchOptions, files, self.post);
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

    const raw = await readBody(req);
    if (req.method === 'POST' && /^(?:\/v1)?\/files$/.test(path)) {
      const uploaded = await files.upload(req.headers['content-type'] ?? '', raw);
      record.body = uploaded.summary;
      if (res.destroyed) return;
      return sendJson(res, uploaded.status, uploaded.body, noRetry);
    }
    const parsed = parseBody(raw.toString('utf8'));
    record.body = parsed.body;
    if (res.destroyed) return;
    const api = req.method === 'POST' ? routes[path] : undefined;
    const batch = api === undefined ? undefined : self.lineOf(record.headers);
    if (batch !== undefined) record.batch = batch;
    if (!parsed.ok) {
      return sendJson(
        res,
        400,
        errorBody(400, `The request body is not JSON: ${String(parsed.body).slice(0, 80)}`),
        noRetry,
      );
    }
    if (api === undefined) {
      const query = new URLSearchParams(search);
      const answer =
        conversations.answer(record.method, path, query, parsed.body) ??
        files.answer(record.method, path, query) ??
        batches.answer(record.method, path, query, parsed.body);
      if (answer !== undefined && 'bytes' in answer) return sendBytes(res, answer.bytes);
      if (answer !== undefined) return sendJson(res, answer.status, answer.body, noRetry);
      const message =
        `Unknown path: ${record.method} ${path}. The rxjs-agents local server answers POST /v1/responses, ` +
        'POST /v1/chat/completions, the Conversations API (/v1/conversations), the Files API (/v1/files) ' +
        'and the Batch API (/v1/batches).';
      return sendJson(res, 404, errorBody(404, message), noRetry);
    }
    const context = api === 'responses' ? responses.contextOf(parsed.body) : undefined;
    if (context !== undefined && 'status' in context) {
      return sendJson(res, context.status, context.body, noRetry);
    }
    if (context !== undefined) record.history = context.history;
    // A batch's lines have limits of their own; a request the budget cannot pay for takes no turn.
    const admission = batch === undefined ? budget?.admit(estimateTokens(parsed.body, raw.length)) : undefined;
    if (admission?.ok === false) return sendJson(res, admission.status, admission.body, admission.headers);
    const index = (modelRequests += 1);
    const answer = await answers.next({
      api: api === 'chat' ? 'chat-completions' : api,
      index,
      body: parsed.body,
      headers: record.headers,
      ...(context === undefined ? {} : { stored: context.stored }),
      ...(batch === undefined ? {} : { batch }),
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
    let { turn } = answer;
    if (budget !== undefined && admission?.ok === true) {
      const tokens = reportedTokens(turn);
      if (tokens !== undefined) budget.settle(admission.ticket, tokens);
      turn = { ...turn, headers: { ...budget.headers(), ...turn.headers } };
    }
    await serveTurn(res, {
      api,
      turn,
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
    // Node's default backlog (511) overflows when thousands of clients connect at once (a benchmark
    // of 2,000 concurrent runs gets ECONNRESET); the kernel caps this at net.core.somaxconn.
    server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1', backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
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
        batches.close();
        self.close();
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

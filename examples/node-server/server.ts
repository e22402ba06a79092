/**
 * The example server: `POST /api/chat` runs the travel agent on one question and serves its events
 * as server-sent events (`serveServerSentEvents` from `rxjs-agents/node`); `POST /api/conversation`
 * does the same for a chat (`injectAgentChat` of `rxjs-agents/angular`): its body is an
 * `AgentChatRequest` — the conversation, or an interrupted run's state with the traveller's
 * decisions — read by `chatRunInput`. The same origin serves the browser page (`/`) and the
 * Angular app (`/angular/`).
 *
 * Offline (the default) the model is a local OpenAI-compatible server
 * (`rxjs-agents/testing/server`) that streams a scripted answer a little at a time, so the page
 * shows it growing. Two extras exist only offline, for trying failure and cancellation by hand and
 * for the end-to-end tests:
 *
 * - a request to `/api/chat` with the header `x-offline-fault: 500` (any HTTP status) makes the
 *   model call fail with that status; `x-offline-fault: drop` drops the model's connection
 *   mid-stream;
 * - `GET /api/offline/model-requests` lists the calls the model server received, with whether the
 *   caller went away before the answer ended (`aborted`): Cancel in the page shows up there.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { filter } from 'rxjs';
import { chatRunInput, InvalidArgumentError, ModelProviderError, Runner, type Tracing } from 'rxjs-agents';
import { serveServerSentEvents } from 'rxjs-agents/node';
import { startServer, type LocalServer, type ServerTurn } from 'rxjs-agents/testing/server';
import { offlineConversation } from './offlineConversation.js';
import { serveStatic, type StaticMount } from './staticFiles.js';
import { createModel, createTravelAgent, offlineAnswers, type TravelAgent } from './travelAgent.js';

/**
 * What the page is told of a failed run: the model service's HTTP status, which is safe to show
 * and helps; for anything else, only that it failed. Errors' own messages stay in the server's
 * logs: a tool's error may name an internal host, a connection error the provider's base URL.
 */
function publicErrorMessage(error: unknown): string {
  if (ModelProviderError.isInstance(error) && error.status !== undefined) {
    return `The model service answered HTTP ${error.status}. Please try again.`;
  }
  return 'Something went wrong on the server.';
}

export interface ExampleServerOptions {
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * Live on an OpenAI (or OpenAI-compatible) API with `new OpenAI()`, which reads
   * `OPENAI_API_KEY` and `OPENAI_BASE_URL`. Offline when left out.
   */
  readonly live?: { readonly api: 'responses' | 'chat'; readonly model: string };
  /** Offline: the pause between two streamed events, in ms (default 50). */
  readonly offlineDelayMs?: number;
  /** What else the server serves: the browser page, the Angular app. */
  readonly staticMounts?: readonly StaticMount[];
  /** Traces every run (see tracing.ts: `openTelemetry()` when `OTEL_EXPORTER_OTLP_ENDPOINT` is set). */
  readonly tracing?: Tracing;
}

export interface ExampleServer {
  /** `http://host:port/` */
  readonly url: string;
  /** The local model server when offline. */
  readonly offline: LocalServer | undefined;
  close(): Promise<void>;
}

/** The longest question accepted, in characters, and the largest request bodies, in bytes. */
const maxQuestionLength = 2_000;
const maxBodyBytes = 16_384;
/** A conversation's body carries its history (and a run's state): more room. */
const maxConversationBytes = 262_144;

export async function startExampleServer(options: ExampleServerOptions = {}): Promise<ExampleServer> {
  const offlineDelayMs = options.offlineDelayMs ?? 50;
  // Scripted turns (pushed by /api/chat) answer first; conversations are answered by request.
  const offline =
    options.live === undefined ? await startServer({ respond: offlineConversation(offlineDelayMs) }) : undefined;
  const agent: TravelAgent = createTravelAgent(
    offline === undefined
      ? createModel(new OpenAI(), options.live?.api ?? 'responses', options.live?.model ?? 'gpt-4.1-mini')
      : createModel(new OpenAI({ apiKey: 'no-key-needed', baseURL: offline.url }), 'responses', 'offline-travel-agent'),
  );
  const runner = new Runner(options.tracing === undefined ? {} : { tracing: options.tracing });
  let answersGiven = 0;

  /** Scripts the local model's next answer, or the fault the request asked for. */
  const scriptOfflineTurn = (server: LocalServer, fault: string | undefined): void => {
    const output = offlineAnswers[answersGiven++ % offlineAnswers.length];
    const answer: ServerTurn = { output, delayMs: offlineDelayMs, usage: { inputTokens: 96 } };
    if (fault === undefined) server.push(answer);
    else if (fault === 'drop') server.push({ ...answer, dropAfter: 12 });
    else {
      const message = `The offline model server was told to fail with HTTP ${fault} (x-offline-fault).`;
      const body = { error: { message, type: 'server_error', param: null, code: 'injected_fault' } };
      // x-should-retry: the openai SDK would otherwise retry a 5xx twice before giving up.
      server.push({ status: Number(fault), body, headers: { 'x-should-retry': 'false' } });
    }
  };

  const chat = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJson(req);
    if (!body.ok) return sendJson(res, body.status, { error: body.error });
    const question = (body.value as { question?: unknown } | null)?.question;
    if (typeof question !== 'string' || question.trim() === '' || question.length > maxQuestionLength) {
      return sendJson(res, 400, {
        error: `Expected a JSON body { "question": "…" } with 1 to ${maxQuestionLength} characters.`,
      });
    }
    if (offline !== undefined) {
      const fault = headerValue(req, 'x-offline-fault');
      if (fault !== undefined && fault !== 'drop' && !/^[45]\d\d$/.test(fault)) {
        return sendJson(res, 400, { error: 'x-offline-fault takes an HTTP status (400–599) or "drop".' });
      }
      scriptOfflineTurn(offline, fault);
    }
    // The run starts now and is tied to this response: when the client goes away (Cancel, a
    // closed tab), serveServerSentEvents unsubscribes, which aborts the model call. The provider's
    // raw events stay on the server: they are most of the bytes, and they echo the request (the
    // agent's instructions among it), which a browser has no business reading.
    serveServerSentEvents(res, runner.runStreamed(agent, question).pipe(filter((event) => event.type !== 'raw')), {
      errorMessage: publicErrorMessage,
    });
  };

  const conversation = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJson(req, maxConversationBytes);
    if (!body.ok) return sendJson(res, body.status, { error: body.error });
    let input: ReturnType<typeof chatRunInput>;
    try {
      input = chatRunInput(agent, body.value);
    } catch (error) {
      if (InvalidArgumentError.isInstance(error)) return sendJson(res, 400, { error: error.message });
      throw error;
    }
    // As for /api/chat: tied to the response, raw events kept on the server.
    serveServerSentEvents(res, runner.runStreamed(agent, input).pipe(filter((event) => event.type !== 'raw')), {
      errorMessage: publicErrorMessage,
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/api/chat') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST /api/chat' }, { allow: 'POST' });
      return chat(req, res);
    }
    if (pathname === '/api/conversation') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST /api/conversation' }, { allow: 'POST' });
      return conversation(req, res);
    }
    if (pathname === '/api/offline/model-requests' && offline !== undefined && req.method === 'GET') {
      const calls = offline.requests.map(({ method, path, receivedAt, closedAt, aborted }) => ({
        method,
        path,
        receivedAt,
        closedAt,
        aborted,
      }));
      return sendJson(res, 200, calls);
    }
    if (pathname.startsWith('/api/')) return sendJson(res, 404, { error: `No such endpoint: ${pathname}` });
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (await serveStatic(options.staticMounts ?? [], pathname, res)) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port, family } = server.address() as AddressInfo;
  return {
    url: `http://${family === 'IPv6' ? `[${address}]` : address}:${port}/`,
    offline,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await offline?.close();
    },
  };
}

type JsonBody = { ok: true; value: unknown } | { ok: false; status: number; error: string };

async function readJson(req: IncomingMessage, limit = maxBodyBytes): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return { ok: false, status: 413, error: `The body is larger than ${limit} bytes.` };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, error: 'The body is not JSON.' };
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

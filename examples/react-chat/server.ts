/**
 * The React chat example's server: `POST /api/chat` is the endpoint `useChat` talks to, and `/`
 * serves the built page (dist/, `npm run build`).
 *
 *   npm start                        offline: a local model server streams scripted answers
 *   OPENAI_API_KEY=sk-… npm start    live, on OpenAI's Responses API (OPENAI_BASE_URL, OPENAI_MODEL)
 *
 * PORT (default 3000, 0 for any free port), HOST (default 127.0.0.1); OFFLINE_DELAY_MS (default 50)
 * is how slowly the offline answers stream. Offline, `GET /api/offline/model-requests` lists the
 * model calls the local server received, with whether the caller went away (`aborted`): Stop in
 * the page shows up there.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { json } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { tap } from 'rxjs';
import {
  fromUIMessages,
  InvalidArgumentError,
  OpenAIResponsesModel,
  RunState,
  runStreamed,
  uiApprovalResponses,
  type RunStateData,
  type UIMessageLike,
} from 'rxjs-agents';
import { serveUIMessageStream } from 'rxjs-agents/node';
import { startServer } from 'rxjs-agents/testing/server';
import { createTravelChatAgent } from './agent.js';
import { offlineModel } from './offlineModel.js';

const offline = process.env.OPENAI_API_KEY
  ? undefined
  : await startServer({ respond: offlineModel(Number(process.env.OFFLINE_DELAY_MS ?? 50)) });
const client = offline ? new OpenAI({ apiKey: 'offline', baseURL: offline.url }) : new OpenAI();
const agent = createTravelChatAgent(
  new OpenAIResponsesModel({ client, model: process.env.OPENAI_MODEL ?? 'gpt-4.1-mini' }),
);

/**
 * The runs that stopped to ask for an approval, by chat id, until the answer comes. The server
 * resumes its own stored state, never one the client sends. (In a real app: a database, and a
 * chat id tied to the signed-in user.)
 */
const awaitingApproval = new Map<string, RunStateData>();

async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { id, messages } = (await json(req)) as { id: string; messages: UIMessageLike[] };
  // The whole conversation comes with each request: it is the run's input.
  let input: RunState | ReturnType<typeof fromUIMessages> = fromUIMessages(messages);
  // After Approve / Reject, useChat sends the conversation again, with the answers in it.
  const answers = uiApprovalResponses(messages);
  const stored = awaitingApproval.get(id);
  if (answers.length > 0 && stored !== undefined) {
    awaitingApproval.delete(id);
    const state = RunState.fromJSON(agent, stored);
    for (const { callId, approved, reason } of answers) {
      if (approved) state.approve(callId);
      else state.reject(callId, reason === undefined ? {} : { message: reason });
    }
    input = state;
  }
  const events = runStreamed(agent, input).pipe(
    tap((event) => {
      if (event.type === 'run-interrupted') awaitingApproval.set(id, event.state);
    }),
  );
  // When the page calls stop(), the response closes: the run is unsubscribed, its model call aborted.
  serveUIMessageStream(res, events);
}

const dist = fileURLToPath(new URL('./dist/', import.meta.url));
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

async function page(pathname: string, res: ServerResponse): Promise<void> {
  const file = normalize(join(dist, pathname === '/' ? 'index.html' : pathname));
  const body =
    file.startsWith(dist) && !file.includes(`${sep}.`) ? await readFile(file).catch(() => undefined) : undefined;
  if (body === undefined) {
    const hint = pathname === '/' ? 'Not found: build the page first (npm run build).\n' : 'Not found\n';
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(hint);
    return;
  }
  res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(body);
}

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  let handled: Promise<void>;
  if (pathname === '/api/chat' && req.method === 'POST') handled = chat(req, res);
  else if (pathname === '/api/offline/model-requests' && offline) {
    const calls = offline.requests.map(({ path, body, closedAt, aborted }) => ({ path, body, closedAt, aborted }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(calls));
    return;
  } else if (req.method === 'GET') handled = page(pathname, res);
  else {
    res.writeHead(404).end();
    return;
  }
  handled.catch((error: unknown) => {
    console.error(error);
    // A body that is not JSON, or not UI messages (fromUIMessages names the field), is the client's fault.
    const status = error instanceof SyntaxError || InvalidArgumentError.isInstance(error) ? 400 : 500;
    if (res.headersSent) res.destroy();
    else res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`HTTP ${status}\n`);
  });
});

server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(offline ? `Offline: the model is a local server at ${offline.url}.` : 'Live, on OpenAI.');
  console.log(`Server ready at http://${address}:${port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close();
    void Promise.resolve(offline?.close()).finally(() => process.exit(0));
  });
}

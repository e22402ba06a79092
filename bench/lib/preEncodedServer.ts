/**
 * A front for the local server that sends each answer from bytes encoded once. The local server
 * builds every event of a turn, serializes it, and waits for each write to reach the socket before
 * the next: about 25 µs an event, which over the wire is slower than the clients being measured
 * (bench/README, "server pace"). Here the first request for a turn and request body is answered by
 * the local server and recorded, one chunk per event; every later one is written from that record,
 * an event per `write`, pausing only when the socket pushes back: as fast as an HTTP server can
 * stream, so the time over the wire is the clients' own.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalServer, ServerTurn } from 'rxjs-agents/testing/server';

interface Queued {
  readonly turn: ServerTurn;
  /** The turn as JSON, computed once per push: with the path and body, it names a recording. */
  readonly key: string;
}

interface Recording {
  readonly status: number;
  readonly contentType: string;
  readonly chunks: readonly Buffer[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Splits a `text/event-stream` body into one chunk per event, each with its blank line. */
function eventChunks(body: string, contentType: string): Buffer[] {
  if (!contentType.startsWith('text/event-stream')) return [Buffer.from(body)];
  return body
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => Buffer.from(`${event}\n\n`));
}

/** Resolves when the socket takes writes again, or the response closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function send(res: ServerResponse, recording: Recording): Promise<void> {
  res.writeHead(recording.status, { 'content-type': recording.contentType, 'cache-control': 'no-cache' });
  res.flushHeaders();
  for (const chunk of recording.chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drained(res);
  }
  res.end();
}

/** What the bench server's parent scripts over IPC: the local server itself, or this front over it. */
export interface ScriptedServer {
  readonly url: string;
  push(turn: ServerTurn, count: number): void;
  stats(): { open: number; total: number };
  close(): Promise<void>;
}

export async function startPreEncodedServer(local: LocalServer): Promise<ScriptedServer> {
  const localOrigin = new URL(local.url).origin;
  const queue: Queued[] = [];
  const recordings = new Map<string, Recording>();
  let open = 0;
  let total = 0;

  async function record(turn: ServerTurn, req: IncomingMessage, body: string): Promise<Recording> {
    local.push(turn);
    const response = await fetch(`${localOrigin}${req.url ?? '/'}`, {
      method: req.method ?? 'POST',
      headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
      body,
    });
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    (local.requests as unknown[]).length = 0;
    return { status: response.status, contentType, chunks: eventChunks(await response.text(), contentType) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const next = queue.shift();
    if (next === undefined) {
      res.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' });
      res.end(JSON.stringify({ error: { message: 'No turn queued on the pre-encoded bench server.' } }));
      return;
    }
    const key = `${next.key}\n${req.url ?? ''}\n${body}`;
    let recording = recordings.get(key);
    if (recording === undefined) {
      recording = await record(next.turn, req, body);
      if (recording.status === 200) recordings.set(key, recording);
    }
    await send(res, recording);
  }

  const server = createServer((req, res) => {
    open += 1;
    total += 1;
    res.on('close', () => (open -= 1));
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`pre-encoded bench server: ${String(error)}\n`);
      res.destroy();
    });
  });
  server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    push: (turn, count) => {
      const key = JSON.stringify(turn);
      for (let i = 0; i < count; i++) queue.push({ turn, key });
    },
    stats: () => {
      const counts = { open, total };
      if (open === 0) total = 0;
      return counts;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await local.close();
    },
  };
}

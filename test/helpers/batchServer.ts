/**
 * What the specs of the server's Files and Batch APIs share: a server per test, closed after it,
 * with the real `openai` client on it; a batch input file; polling a batch to its end.
 */
import OpenAI, { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import { afterEach } from 'vitest';
import { startServer, type LocalServer, type ServerOptions } from '../../src/testing/server/index.js';

export interface ServerPerTest {
  /** Starts this test's server (closing the one before, if any) and returns a client of it (no retries). */
  serve(options?: ServerOptions): Promise<OpenAI>;
  readonly server: LocalServer;
}

/** Registers an `afterEach` that closes the server. */
export function useServer(): ServerPerTest {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    async serve(options = {}) {
      await server?.close();
      server = await startServer(options);
      return new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
    },
    get server() {
      if (server === undefined) throw new Error('serve() first');
      return server;
    },
  };
}

/** One line of a batch input file for `/v1/responses` (or, with `url`, another endpoint). */
export function line(customId: string, input: string, url = '/v1/responses'): Record<string, unknown> {
  const body =
    url === '/v1/responses' ? { model: 'm', input } : { model: 'm', messages: [{ role: 'user', content: input }] };
  return { custom_id: customId, method: 'POST', url, body };
}

/** A JSONL file of these lines. */
export function jsonl(lines: readonly unknown[]): string {
  return lines.map((entry) => `${typeof entry === 'string' ? entry : JSON.stringify(entry)}\n`).join('');
}

/** Uploads `text` as a batch input file; returns its id. */
export async function upload(client: OpenAI, text: string, name = 'batch.jsonl'): Promise<string> {
  const file = await client.files.create({ file: await toFile(Buffer.from(text), name), purpose: 'batch' });
  return file.id;
}

const ends: readonly Batch['status'][] = ['completed', 'failed', 'expired', 'cancelled'];

/** Polls the batch until it ends; returns every state seen, the last one ended. */
export async function pollToEnd(client: OpenAI, id: string, everyMs = 1): Promise<Batch[]> {
  const seen: Batch[] = [];
  for (;;) {
    const batch = await client.batches.retrieve(id);
    seen.push(batch);
    if (ends.includes(batch.status)) return seen;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The distinct statuses in the order first seen. */
export function statuses(seen: readonly Batch[]): Batch['status'][] {
  return seen.map((batch) => batch.status).filter((status, index, all) => all[index - 1] !== status);
}

/** A file's JSON lines. */
export async function readLines(client: OpenAI, fileId: string): Promise<Record<string, unknown>[]> {
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter((entry) => entry !== '')
    .map((entry) => JSON.parse(entry) as Record<string, unknown>);
}

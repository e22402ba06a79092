/**
 * A conversation outlives the process that wrote it: one Node process adds items and exits, the
 * next adds more and exits, a third reads them all — for SQLite (a file) and Postgres (PGlite with
 * a data directory); and two processes adding to one SQLite conversation at the same time lose
 * nothing and keep each call's items together, while a reader sees whole calls only. Each child runs test/sessions/sessionProcess.ts on
 * the running Node (so node:sqlite on Node 24, better-sqlite3 on Node 20).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { InputItem } from '../../src/index.js';
import { SQLiteSession } from '../../src/sessions/index.js';
import { roundTripItems } from './sessionConformance.js';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const script = fileURLToPath(new URL('sessionProcess.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'rxjs-agents-sessions-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function child(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, script, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return stdout;
}

/** A child that prints `ready` and waits for a line on stdin before it works. */
function startedChild(...args: string[]): { process: ChildProcess; ready: Promise<void>; exited: Promise<string> } {
  const started = spawn(process.execPath, ['--import', tsx, script, ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    started.stdout.setEncoding('utf8').on('data', (data: string) => {
      output += data;
      if (output.startsWith('ready\n')) resolve();
    });
    started.once('exit', () => reject(new Error('the child exited before it was ready')));
  });
  const exited = new Promise<string>((resolve, reject) => {
    started.once('close', (code) =>
      code === 0 ? resolve(output.slice('ready\n'.length)) : reject(new Error(`the child exited with ${code}`)),
    );
  });
  return { process: started, ready, exited };
}

const nodeMajor = Number.parseInt(process.versions.node, 10);

describe.each([
  ['sqlite', 'SQLiteSession', join(directory, 'conversations.db')],
  ['postgres', 'PostgresSession (PGlite data directory)', join(directory, 'pgdata')],
])('%s: %s across processes', (store, _name, location) => {
  it('a process reads what two processes before it wrote and exited, in order, for its own session id only', async () => {
    const first = roundTripItems.slice(0, 5);
    const second = roundTripItems.slice(5);
    await child(store, location, 'user-1', 'add', JSON.stringify(first));
    await child(
      store,
      location,
      'user-2',
      'add',
      JSON.stringify([{ type: 'message', role: 'user', content: 'other' }]),
    );
    await child(store, location, 'user-1', 'add', JSON.stringify(second));

    const read = JSON.parse(await child(store, location, 'user-1', 'get')) as { driver?: string; items: InputItem[] };
    expect(read.items).toStrictEqual(roundTripItems);
    if (store === 'sqlite') expect(read.driver).toBe(nodeMajor >= 24 ? 'node:sqlite' : 'better-sqlite3');
  }, 120_000);
});

/** The calls (`<label> <batch>`) of `items` written three at a time; fails the test on a partial or broken call. */
function calls(items: readonly InputItem[]): string[] {
  const texts = items.map((item) => (item as { content: string }).content);
  expect(texts.length % 3, 'a part of a call').toBe(0);
  const seen: string[] = [];
  for (let start = 0; start < texts.length; start += 3) {
    const [label, batch] = texts[start]!.split(' ');
    expect(texts.slice(start, start + 3)).toEqual([0, 1, 2].map((item) => `${label} ${batch} ${item}`));
    seen.push(`${label} ${batch}`);
  }
  return seen;
}

it('SQLiteSession: two processes adding to one session id at the same time lose nothing; a reader meanwhile only ever sees whole calls', async () => {
  const file = join(directory, 'concurrent.db');
  const batches = 1000;
  const writers = ['A', 'B'].map((label) => startedChild('sqlite', file, 'shared', 'batches', label, String(batches)));
  // This process reads while they write: every snapshot holds whole calls, each in order.
  const reader = new SQLiteSession({ sessionId: 'shared', path: file });
  await Promise.all([...writers.map(({ ready }) => ready), reader.getItems()]);
  for (const { process: writer } of writers) writer.stdin!.end('go\n');
  let writing = true;
  const outputs = Promise.all(writers.map(({ exited }) => exited)).finally(() => (writing = false));
  const lengths = new Set<number>();
  while (writing) {
    const snapshot = await reader.getItems();
    calls(snapshot);
    lengths.add(snapshot.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await reader.close();
  const [a, b] = (await outputs).map((output) => JSON.parse(output) as { started: number; ended: number });
  // They did write at the same time, and were read while they did (else this would prove nothing).
  expect(a!.started).toBeLessThan(b!.ended);
  expect(b!.started).toBeLessThan(a!.ended);
  expect(lengths.size).toBeGreaterThan(2);

  const { items } = JSON.parse(await child('sqlite', file, 'shared', 'get')) as { items: InputItem[] };
  expect(items).toHaveLength(2 * batches * 3);
  const seen = calls(items);
  // Each process's calls in its own order, every one of them there.
  for (const label of ['A', 'B']) {
    expect(seen.filter((call) => call.startsWith(label))).toEqual(
      Array.from({ length: batches }, (_, batch) => `${label} ${batch}`),
    );
  }
}, 120_000);

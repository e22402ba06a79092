/**
 * A batch's checkpoint: each finished item is saved before its event is emitted, and the same
 * batch started again skips what was saved — from a JSON Lines file (a last line cut short by a
 * crash is run again) or a store of the user's own.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, lastValueFrom, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, InvalidArgumentError, Runner, jsonLinesCheckpoint, type BatchRecord } from '../../src/index.js';
import { echoModel } from './batchModels.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'batch-'));
  dirs.push(dir);
  return join(dir, 'results.jsonl');
}

const items = Array.from({ length: 10 }, (_, i) => ({ id: `id-${i}`, input: `q${i}` }));

describe('runBatch checkpoint', () => {
  it('saves each finished item as a JSON line; started again, it skips them and runs the rest', async () => {
    const file = tempFile();
    const model = echoModel({ scheduler: asyncScheduler, delayMs: () => 1 });
    const agent = new Agent({ name: 'Echo', model });
    const runner = new Runner();
    const first = await lastValueFrom(
      runner.runBatch(agent, items, { checkpoint: file, concurrency: 2 }).pipe(toArray()),
    );
    expect(first.filter((event) => event.type === 'item-completed')).toHaveLength(10);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBe(10);
    // Drop all but the first four lines, as if the process had died then.
    writeFileSync(file, lines.slice(0, 4).join('\n') + '\n');
    appendFileSync(file, '{"id":"id-9","stat'); // a line cut short
    const callsBefore = model.calls.length;
    const second = await lastValueFrom(runner.runBatch(agent, items, { checkpoint: file }).pipe(toArray()));
    const savedIds = lines.slice(0, 4).map((line) => (JSON.parse(line) as BatchRecord).id);
    const ran = second.filter((event) => event.type === 'item-completed').map((event) => event.id);
    expect(ran.sort()).toEqual(
      items
        .map((item) => item.id)
        .filter((id) => !savedIds.includes(id))
        .sort(),
    );
    expect(model.calls.length - callsBefore).toBe(6);
    expect(second.at(-1)).toMatchObject({ type: 'batch-completed', completed: 6, skipped: 4 });
    // Every id exactly once in the file: the cut line was run again and written on a line of its own.
    const records = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{"id":') && line.endsWith('}'))
      .map((line) => JSON.parse(line) as BatchRecord);
    expect(records.map((record) => record.id).sort()).toEqual(items.map((item) => item.id).sort());
    expect(records.find((record) => record.id === 'id-3')).toEqual({
      id: 'id-3',
      status: 'completed',
      finalOutput: 'answer to q3',
      usage: { requests: 1, inputTokens: 5, outputTokens: 5, totalTokens: 10 },
    });
  });

  it('emits an item only once the checkpoint has saved it, and fails the batch when it cannot save', async () => {
    const model = echoModel({ scheduler: asyncScheduler, delayMs: () => 0 });
    const agent = new Agent({ name: 'Echo', model });
    const saved: string[] = [];
    const store = {
      read: () => [],
      append: async (record: BatchRecord) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (record.id === 'id-5') throw new Error('disk full');
        saved.push(record.id);
      },
    };
    const emitted: string[] = [];
    const failure = await lastValueFrom(
      new Runner().runBatch(agent, items, { checkpoint: store, concurrency: 1 }).pipe(
        tap((event) => {
          if (event.type === 'item-completed') {
            expect(saved).toContain(event.id);
            emitted.push(event.id);
          }
        }),
        toArray(),
      ),
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toBe('disk full');
    expect(saved).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);
    expect(emitted).toEqual(saved);
  });

  it('started again, skips a bad item whose failure it saved instead of recording it twice', async () => {
    const file = tempFile();
    const agent = new Agent({ name: 'Echo', model: echoModel({ scheduler: asyncScheduler, delayMs: () => 1 }) });
    const mixed = ['q0', 42, 'q2'] as unknown as string[];
    const runner = new Runner();
    await lastValueFrom(runner.runBatch(agent, mixed, { checkpoint: file }).pipe(toArray()));
    const second = await lastValueFrom(runner.runBatch(agent, mixed, { checkpoint: file }).pipe(toArray()));

    expect(second.filter((event) => event.type === 'item-failed' || event.type === 'item-completed')).toEqual([]);
    expect(second.at(-1)).toMatchObject({ type: 'batch-completed', failed: 0, skipped: 3 });
    const ids = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as BatchRecord).id);
    expect(ids.sort()).toEqual(['0', '1', '2']);
  });

  it('refuses a checkpoint path that is empty', () => {
    expect(() => jsonLinesCheckpoint('')).toThrow(InvalidArgumentError);
  });
});

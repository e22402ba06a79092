/**
 * How a job of the local server's Batch API ends other than `completed`: cancelled (cancelling →
 * cancelled, with an output file of what was answered), expired (`batches.outcome: 'expired'`:
 * half the lines answered, the rest `batch_expired` in the error file), and a server that closes
 * mid-job, which leaves no timer or socket behind.
 */
import OpenAI, { ConflictError } from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { startServer } from '../../../src/testing/server/index.js';
import { jsonl, line, pollToEnd, readLines, statuses, upload, useServer } from '../../helpers/batchServer.js';

const batches = useServer();

/** A gate a responder waits at, opened by the test. */
function gate(): { readonly wait: Promise<void>; readonly open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('startServer: how a batch ends', () => {
  it('cancels: cancelling, then cancelled, with the lines answered so far in the output file', async () => {
    const held = gate();
    let asked = 0;
    const client = await batches.serve({
      respond: async (request) => {
        asked += 1;
        if (request.batch?.customId === 'l2') await held.wait;
        return `answer ${request.batch?.customId ?? ''}`;
      },
      batches: { stepMs: 1, linesPerStep: 1 },
    });
    const input_file_id = await upload(client, jsonl(['l1', 'l2', 'l3', 'l4'].map((id) => line(id, id))));
    const { id } = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    while (asked < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    // l1 answered, l2 in flight: cancel, then let l2 finish.
    const cancelling = await client.batches.cancel(id);
    expect(cancelling).toMatchObject({ status: 'cancelling', cancelling_at: expect.any(Number), cancelled_at: null });
    held.open();
    const seen = [cancelling, ...(await pollToEnd(client, id))];
    expect(statuses(seen)).toEqual(['cancelling', 'cancelled']);
    const done = seen.at(-1)!;
    expect(done).toMatchObject({
      status: 'cancelled',
      cancelled_at: expect.any(Number),
      completed_at: null,
      error_file_id: null,
      request_counts: { total: 4, completed: 2, failed: 0 },
    });
    expect((await readLines(client, done.output_file_id!)).map((entry) => entry['custom_id'])).toEqual(['l1', 'l2']);
    expect(asked).toBe(2);
    // Cancelling again is a no-op while cancelling; a finished batch cannot be cancelled.
    await expect(client.batches.cancel(id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('cancels a job still validating, which answers no line', async () => {
    const client = await batches.serve({ echo: true, batches: { stepMs: 200 } });
    const input_file_id = await upload(client, jsonl([line('a', 'a')]));
    const { id } = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    expect((await client.batches.cancel(id)).status).toBe('cancelling');
    expect((await client.batches.cancel(id)).status).toBe('cancelling');
    const done = (await pollToEnd(client, id)).at(-1)!;
    expect(done).toMatchObject({
      status: 'cancelled',
      in_progress_at: null,
      output_file_id: null,
      error_file_id: null,
    });
    expect(batches.server.requests.filter((request) => request.batch !== undefined)).toEqual([]);
  });

  it("expires with batches.outcome 'expired': the first half answered, the rest batch_expired", async () => {
    const client = await batches.serve({ echo: true, batches: { stepMs: 1, outcome: 'expired' } });
    const ids = ['e1', 'e2', 'e3', 'e4', 'e5'];
    const input_file_id = await upload(client, jsonl(ids.map((id) => line(id, `hi ${id}`))));
    const created = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    const seen = [created, ...(await pollToEnd(client, created.id))];
    expect(statuses(seen)).toEqual(['validating', 'in_progress', 'expired']);
    const done = seen.at(-1)!;
    expect(done).toMatchObject({
      expired_at: expect.any(Number),
      completed_at: null,
      finalizing_at: null,
      request_counts: { total: 5, completed: 2, failed: 3 },
    });
    expect((await readLines(client, done.output_file_id!)).map((entry) => entry['custom_id'])).toEqual(['e1', 'e2']);
    const errors = await readLines(client, done.error_file_id!);
    expect(errors.map((entry) => entry['custom_id'])).toEqual(['e3', 'e4', 'e5']);
    expect(errors[0]).toEqual({
      id: expect.any(String),
      custom_id: 'e3',
      response: null,
      error: { code: 'batch_expired', message: expect.any(String) },
    });
    expect(batches.server.requests.filter((request) => request.batch !== undefined)).toHaveLength(2);
  });

  it('close() stops a job midway and leaves no timer or socket running', async () => {
    const count = (kinds: readonly string[], kind: string) => kinds.filter((each) => each === kind).length;
    const before = process.getActiveResourcesInfo();
    const set = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const server = await startServer({ echo: true, batches: { stepMs: 60_000 } });
      const client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
      const input_file_id = await upload(client, jsonl([line('a', 'a')]));
      await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
      const stepTimers = set.mock.results.filter((_, index) => set.mock.calls[index]?.[1] === 60_000);
      expect(stepTimers).toHaveLength(1);
      await server.close();
      expect(cleared).toHaveBeenCalledWith(stepTimers[0]!.value);
    } finally {
      set.mockRestore();
      cleared.mockRestore();
    }
    // Closed handles leave the list on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    const after = process.getActiveResourcesInfo();
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap'])
      expect(count(after, kind)).toBeLessThanOrEqual(count(before, kind));
  });

  it('close() mid-line: the line in flight ends quietly, no other line is asked, close() reports nothing', async () => {
    const held = gate();
    let asked = 0;
    const server = await startServer({
      respond: async () => {
        asked += 1;
        await held.wait;
        return 'late';
      },
      batches: { stepMs: 1 },
    });
    const client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
    const input_file_id = await upload(client, jsonl([line('a', 'a'), line('b', 'b')]));
    await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    while (asked < 1) await new Promise((resolve) => setTimeout(resolve, 1));
    await server.close();
    held.open();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(asked).toBe(1);
    expect(server.requests.filter((request) => request.batch !== undefined).map((request) => request.batch)).toEqual([
      { id: 'batch_1', customId: 'a' },
    ]);
  });
});

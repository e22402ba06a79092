/**
 * runSync()'s worker threads when they cannot answer: an event that cannot be copied back to the
 * calling thread, a model worker out of heap. Each must become a SyncRunError on the calling
 * thread (on the old bridge both blocked it forever), and the next runSync() must work again.
 * Over real loopback HTTP, with the servers in child processes, since the calling thread blocks.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, OpenAIChatCompletionsModel, runSync, SyncRunError } from '../../../src/index.js';
import { syncDescriptorOf } from '../../../src/internal/syncDescriptorOf.js';
import { chunkEvents } from '../../../src/runner/sync/syncProtocol.js';
import { callOnWorker, setModelWorkerLimits } from '../../../src/runner/sync/workerLink.js';
import { startServerProcess } from '../../../src/testing/server/index.js';
import { startRawSseProcess } from '../../helpers/rawSseProcess.js';
import { thrown } from '../../helpers/thrown.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  setModelWorkerLimits(undefined);
  await Promise.all(closers.splice(0).map((close) => close()));
});

const modelOn = (url: string) =>
  new OpenAIChatCompletionsModel({
    model: 'm',
    client: new OpenAI({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 }),
  });
const agentOn = (url: string) => new Agent({ name: 'A', model: modelOn(url) });

async function healthyServer(): Promise<string> {
  const server = await startServerProcess({ turns: [{ text: 'Still here.' }] });
  closers.push(() => server.close());
  return server.url;
}

describe('runSync when its worker cannot answer', () => {
  it('an event nested 20,000 levels deep: a SyncRunError that names the event, and the worker serves the next run', async () => {
    const server = await startRawSseProcess({ nestedDepth: 20_000 });
    closers.push(() => server.close());
    const error = thrown(() => runSync(agentOn(server.url), 'Hi'));
    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as Error).message).toMatch(/could not bring event \d+ of the model's stream \(a 'raw' event\) back/);
    expect((error as Error).message).toMatch(/Maximum call stack size exceeded/);
    expect((error as Error).message).toMatch(/Use run\(\)/);
    expect(runSync(agentOn(await healthyServer()), 'Hi').finalOutput).toBe('Still here.');
  });

  it('a model worker out of heap: a SyncRunError that says so, and the next runSync() starts a new worker', async () => {
    setModelWorkerLimits({ maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 });
    const server = await startRawSseProcess({ bigDeltas: 3_000, bigDeltaChars: 64 * 1024 });
    closers.push(() => server.close());
    // 190 MB of text: past the default maxOutputCharacters, which would stop the call first.
    const error = thrown(() => runSync(agentOn(server.url), 'Hi', { maxOutputCharacters: 2 ** 29 }));
    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as Error).message).toMatch(/worker thread, which makes the model's HTTP calls, died/);
    expect((error as Error).message).toMatch(/ERR_WORKER_OUT_OF_MEMORY/);
    setModelWorkerLimits(undefined);
    expect(runSync(agentOn(await healthyServer()), 'Hi').finalOutput).toBe('Still here.');
    // Filling a worker's heap streams up to 190 MB over loopback: on a busy machine, past 20 s.
  }, 60_000);

  it('replies event by event in bounded chunks, not one buffered answer', async () => {
    const deltas = Array.from({ length: 2_000 }, (_, index) => `d${index} `);
    const server = await startServerProcess({ turns: [{ text: deltas }] });
    closers.push(() => server.close());
    const chunks: number[] = [];
    const error = callOnWorker(
      {
        descriptor: modelOn(server.url)[syncDescriptorOf](),
        request: { input: [{ type: 'message', role: 'user', content: 'Hi' }], tools: [], settings: {} },
        policy: {},
      },
      ({ events }) => {
        chunks.push(events.length);
        return true;
      },
    );
    expect(error).toBeUndefined();
    const total = chunks.reduce((sum, n) => sum + n, 0);
    expect(total).toBeGreaterThan(2 * deltas.length); // a raw and a text-delta event per delta
    expect(Math.max(...chunks)).toBeLessThanOrEqual(chunkEvents);
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(total / chunkEvents));
  });
});

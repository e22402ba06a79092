/**
 * What runSync() refuses at once instead of leaving behind or waiting out: an `async` tool (before
 * any model call), a tool's Promise (its signal aborted, its rejection handled), and a local server
 * started on this very thread (which a blocked thread could never let answer).
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, OpenAIResponsesModel, runSync, SyncRunError, tool } from '../../../src/index.js';
import { fakeModel } from '../../../src/testing/index.js';
import { startServer, type LocalServer } from '../../../src/testing/server/index.js';
import { thrown } from '../../helpers/thrown.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const turns = () => [{ toolCalls: [{ name: 'slow' }] }, 'done'];

describe('runSync and asynchronous tools', () => {
  it('refuses an async execute before the first model call, naming the tool and its agent', () => {
    const slow = tool({ name: 'slow', description: '', parameters: z.object({}), execute: async () => 'late' });
    const model = fakeModel(turns());
    const helper = new Agent({ name: 'Helper', model, tools: [slow] });
    const agent = new Agent({ name: 'Main', model, handoffs: [helper] });
    const error = thrown(() => runSync(agent, 'Go'));
    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as Error).message).toMatch(/Tool 'slow' of agent 'Helper' has an async execute function/);
    expect((error as Error).message).toMatch(/Use run\(\)/);
    expect(model.requests).toHaveLength(0);
  });

  it("a tool that returns a Promise: SyncRunError, the tool's signal aborted, and no unhandled rejection", async () => {
    let signal: AbortSignal | undefined;
    const slow = tool({
      name: 'slow',
      description: '',
      parameters: z.object({}),
      // Not an async function: only its result tells.
      execute: (_args, context) => {
        signal = context.signal;
        return new Promise<string>((_resolve, reject) => {
          context.signal.addEventListener('abort', () => setTimeout(() => reject(new Error('aborted late')), 5));
        });
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const error = thrown(() => runSync(new Agent({ name: 'A', model: fakeModel(turns()), tools: [slow] }), 'Go'));
      expect(error).toBeInstanceOf(SyncRunError);
      expect((error as Error).message).toMatch(/Tool 'slow' returned a Promise.*Use run\(\)/);
      expect(signal?.aborted).toBe(true);
      // Let the Promise reject, and Node decide whether anyone handled it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('runSync and a local server on the same thread', () => {
  it('throws at once a SyncRunError that names startServerProcess, and sends no request', async () => {
    server = await startServer({ turns: ['unused'] });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const agent = new Agent({ name: 'A', model: new OpenAIResponsesModel({ model: 'm', client }) });
    const error = thrown(() => runSync(agent, 'Hi'));
    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as Error).message).toMatch(/startServer\(\) on this same thread/);
    expect((error as Error).message).toMatch(/startServerProcess\(\)/);
    expect(server.requests).toHaveLength(0);
  });

  it('knows the server by its port on any loopback name, and forgets it once closed', async () => {
    server = await startServer({ turns: [] });
    const { isInThreadServer } = await import('../../../src/runner/sync/inThreadServers.js');
    const port = new URL(server.url).port;
    expect(isInThreadServer(`http://localhost:${port}/v1`)).toBe(true);
    expect(isInThreadServer(`http://127.0.0.1:${port}/v1`)).toBe(true);
    expect(isInThreadServer(`http://api.example.com:${port}/v1`)).toBe(false);
    await server.close();
    expect(isInThreadServer(`http://127.0.0.1:${port}/v1`)).toBe(false);
  });
});

/**
 * runSync() over real HTTP: the calling thread blocks while a worker thread makes the model's
 * calls, so the local server runs in another process (a blocked thread could not serve it).
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  runSync,
  SyncRunError,
  tool,
  ModelProviderError,
} from '../../src/index.js';
import { startServerProcess, type ServerProcess } from '../../src/testing/server/index.js';
import { thrown } from '../helpers/thrown.js';

const apiKey = 'sk-test-secret-sync';
let server: ServerProcess | undefined;
afterEach(async () => server?.close());

const client = (url: string) => new OpenAI({ apiKey: apiKey, baseURL: url, maxRetries: 0 });
const add = tool({
  name: 'add',
  description: 'Adds.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

describe('runSync over HTTP', () => {
  it.each([
    ['Responses', (url: string) => new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client: client(url) })],
    ['Chat Completions', (url: string) => new OpenAIChatCompletionsModel({ model: 'llama3.2', client: client(url) })],
  ])(
    '%s: blocks the calling thread until the tool loop has ended, and returns its RunResult',
    async (_api, makeModel) => {
      server = await startServerProcess({
        turns: [
          { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }], delayMs: 20 },
          { text: 'It is 5.', delayMs: 20, usage: { inputTokens: 7, outputTokens: 3 } },
        ],
      });
      const agent = new Agent({ name: 'Calc', model: makeModel(server.url), tools: [add] });
      // Probes of this thread's event loop, queued before the call: each runs the next time the loop
      // turns, whether through a returned Promise, an `await`, or a nested loop pumped from inside.
      let immediateRan = false;
      let microtaskRan = false;
      setImmediate(() => (immediateRan = true));
      queueMicrotask(() => (microtaskRan = true));

      const started = performance.now();
      const result = runSync(agent, 'What is 2+3?');
      const elapsed = performance.now() - started;
      const probesAtReturn = { immediateRan, microtaskRan };

      // What these assertions rule out:
      // - runSync returning early, before the run ended (a Promise, or a result filled in later): the
      //   result would be incomplete here, and the call would take less time than the server spent
      //   answering (ten or more 20 ms gaps between the two responses' events).
      // - a run completed by turning this thread's event loop (deasync-style pumping, or awaiting
      //   the HTTP calls on this thread): the probes above would have run before it returned.
      // So the run happened while runSync held the thread, with the HTTP calls made elsewhere.
      expect(result).not.toBeInstanceOf(Promise);
      expect(result.finalOutput).toBe('It is 5.');
      expect(result.usage.requests).toBe(2);
      expect(result.newItems.filter((i) => i.type === 'function_call_output')).toEqual([
        expect.objectContaining({ output: '5' }),
      ]);
      expect(probesAtReturn).toEqual({ immediateRan: false, microtaskRan: false });

      const requests = await server.requests();
      expect(requests).toHaveLength(2);
      // Each clock measures a duration on its own, so the two processes' clocks need not agree.
      // (`closedAt` is noted a moment after the last byte left the server: 2 ms of slack.)
      const served = requests[1]!.closedAt! - requests[0]!.receivedAt;
      expect(served).toBeGreaterThan(150); // ten or more 20 ms gaps, less what early timers may shave off
      expect(elapsed).toBeGreaterThanOrEqual(served - 2);

      // And the probes do see a turn of the loop: the one this `await` gives them.
      await new Promise((resolve) => setImmediate(resolve));
      expect({ immediateRan, microtaskRan }).toEqual({ immediateRan: true, microtaskRan: true });
    },
  );

  it('throws the provider error, without the API key, when the call fails', async () => {
    server = await startServerProcess({
      turns: [
        {
          status: 401,
          body: {
            error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
          },
        },
      ],
    });
    const agent = new Agent({
      name: 'A',
      model: new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client: client(server.url) }),
    });
    const error = thrown(() => runSync(agent, 'Hi'));
    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(`${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`).not.toContain(apiKey);
  });

  it('refuses an asynchronous tool with an error that says to use run()', async () => {
    server = await startServerProcess({
      turns: [{ toolCalls: [{ name: 'slow', arguments: {} }] }, { text: 'unused' }],
    });
    const slow = tool({ name: 'slow', description: '', parameters: z.object({}), execute: async () => 'late' });
    const agent = new Agent({
      name: 'A',
      model: new OpenAIResponsesModel({ model: 'm', client: client(server.url) }),
      tools: [slow],
    });
    const error = thrown(() => runSync(agent, 'Go'));
    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as Error).message).toMatch(/use run\(\)/i);
  });
});

/**
 * A new user's first run without `OPENAI_API_KEY`: the run fails at once with an error that says
 * the key is not set and how to pass one; not retryable, so `retry` does not repeat it, and no
 * request reaches the server (`OPENAI_BASE_URL` points at the local server to prove it).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Agent,
  ModelProviderError,
  OpenAIChatCompletionsModel,
  OpenAIProvider,
  OpenAIResponsesModel,
  run,
  runSync,
  type Model,
} from '../../src/index.js';
import { defer } from 'rxjs';
import { startServerProcess } from '../../src/testing/server/index.js';
import { useLocalServer } from '../helpers/localServer.js';

const { serve } = useLocalServer();
const variables = ['OPENAI_API_KEY', 'OPENAI_ADMIN_KEY', 'OPENAI_BASE_URL'] as const;
let saved: Partial<Record<(typeof variables)[number], string>> = {};

beforeEach(() => {
  saved = {};
  for (const name of variables) {
    if (process.env[name] !== undefined) saved[name] = process.env[name];
    delete process.env[name];
  }
});
afterEach(() => {
  for (const name of variables) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const retry = { maxRetries: 3, initialDelayMs: 1 };

describe('no API key', () => {
  it.each([
    ['a model name on the default provider', () => 'gpt-4.1-mini'],
    ['an OpenAIResponsesModel without a client', () => new OpenAIResponsesModel({ model: 'gpt-4.1-mini' })],
    ['an OpenAIChatCompletionsModel without a client', () => new OpenAIChatCompletionsModel({ model: 'llama3.2' })],
  ])(
    '%s: run() rejects at once, saying OPENAI_API_KEY is not set; nothing is requested or retried',
    async (_, model) => {
      const { url, requests } = await serve({ text: 'never' }, { text: 'never' });
      process.env['OPENAI_BASE_URL'] = url;
      const error = await run(new Agent({ name: 'A', model: model() }), 'Hello', { retry }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelProviderError);
      expect(error).toMatchObject({ code: 'missing_api_key', retryable: false });
      const { message } = error as Error;
      expect(message).toContain('OPENAI_API_KEY environment variable is not set');
      expect(message).toContain('new OpenAI({ apiKey })');
      expect(message).not.toContain('connection');
      expect(requests).toHaveLength(0);
    },
  );

  it('the same through an OpenAIProvider made without a client; retry calls the model once', async () => {
    const { url, requests } = await serve({ text: 'never' });
    process.env['OPENAI_BASE_URL'] = url;
    const real = new OpenAIProvider().getModel('gpt-4.1-mini');
    let calls = 0;
    const counted: Model = {
      name: real.name,
      stream: (request) => defer(() => ((calls += 1), real.stream(request))),
    };
    const error = await run(new Agent({ name: 'A', model: counted }), 'Hello', { retry }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'missing_api_key', retryable: false });
    expect(calls).toBe(1);
    expect(requests).toHaveLength(0);
  });

  it('runSync() throws the same error, from its worker thread', async () => {
    // In a child process: runSync() refuses a server on its own thread before it asks for a key.
    const server = await startServerProcess({ turns: [{ text: 'never' }] });
    try {
      process.env['OPENAI_BASE_URL'] = server.url;
      let error: unknown;
      try {
        runSync(new Agent({ name: 'A', model: 'gpt-4.1-mini' }), 'Hello', { retry });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ name: 'ModelProviderError', code: 'missing_api_key', retryable: false });
      expect(await server.requests()).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('with the key set, the same agent reaches the server', async () => {
    const { url, requests } = await serve({ text: 'Hi.' });
    process.env['OPENAI_BASE_URL'] = url;
    process.env['OPENAI_API_KEY'] = 'sk-test-0123456789';
    const result = await run(new Agent({ name: 'A', model: new OpenAIResponsesModel({ model: 'm' }) }), 'Hello');
    expect(result.finalOutput).toBe('Hi.');
    expect(requests).toHaveLength(1);
  });
});

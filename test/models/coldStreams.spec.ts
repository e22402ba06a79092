/**
 * What both OpenAI models promise alike: cold Observables over real HTTP, abort on
 * unsubscription, SDK errors as ModelProviderError, the API key kept out of sight, and a client
 * made on first use only.
 */
import { inspect } from 'node:util';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI, { APIConnectionError, AuthenticationError, OpenAIError } from 'openai';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { InvalidArgumentError, ModelProviderError } from '../../src/errors.js';
import type { Model, ModelEvent } from '../../src/model.js';
import { OpenAIChatCompletionsModel, OpenAIResponsesModel } from '../../src/models/index.js';
import { keyEchoing401 } from '../helpers/keyEcho.js';
import { nextMacrotask, quietFor } from '../helpers/waiting.js';
import { apiKey, clientFor, collect, modelRequest, textOf } from './helpers.js';
import { syncDescriptorOf } from '../../src/internal/syncDescriptorOf.js';

const kinds = [
  { kind: 'openai-responses', Model: OpenAIResponsesModel, path: '/v1/responses' },
  { kind: 'openai-chat-completions', Model: OpenAIChatCompletionsModel, path: '/v1/chat/completions' },
] as const;

describe.each(kinds)('$kind', ({ kind, Model: ModelClass, path }) => {
  let server: LocalServer;
  let model: Model;

  beforeEach(async () => {
    server = await startServer();
    model = new ModelClass({ model: 'gpt-test', client: clientFor(server.url) });
  });
  afterEach(() => server.close());

  it('labels itself with its kind', () => {
    expect(model.name).toBe(kind);
  });

  it('requests nothing before subscription, and once per subscription', async () => {
    server.push({ text: 'first' }, { text: 'second' });
    const fetches: string[] = [];
    const spied = new ModelClass({
      model: 'gpt-test',
      client: clientFor(server.url, {
        fetch: (url: string | URL | Request, init?: RequestInit) => {
          fetches.push(String(url));
          return fetch(url, init);
        },
      }),
    });
    const call = spied.stream(modelRequest());
    // A stream() that started its request at once would have reached the client's fetch by now:
    // the SDK gets there in promise continuations, and they all run before the next macrotask.
    await nextMacrotask();
    expect(fetches).toEqual([]);
    expect(server.requests).toHaveLength(0);
    const first = await collect(call);
    expect(server.requests).toHaveLength(1);
    const second = await collect(call);
    expect(server.requests).toHaveLength(2);
    expect(fetches).toHaveLength(2);
    expect(server.requests.map((request) => request.path)).toEqual([path, path]);
    expect([textOf(first.events), textOf(second.events)]).toEqual(['first', 'second']);
  });

  it('unsubscribing mid-stream closes the request within 100 ms, and nothing follows', async () => {
    // The stall keeps the request open after the first deltas (Responses: created, in_progress, item, part, a, b).
    server.push({ text: ['a', 'b', 'c', 'd', 'e', 'f'], stallAfter: 6 });
    const received: ModelEvent[] = [];
    let ended = false;
    let unsubscribedAt = 0;
    await new Promise<void>((resolve) => {
      const subscription = model.stream(modelRequest()).subscribe({
        next: (event) => {
          received.push(event);
          if (event.type === 'text-delta') {
            unsubscribedAt = performance.now();
            subscription.unsubscribe();
            resolve();
          }
        },
        error: () => (ended = true),
        complete: () => (ended = true),
      });
    });
    const countAtUnsubscribe = received.length;
    await expect.poll(() => server.requests[0]?.closedAt, { interval: 5 }).toBeDefined();
    const request = server.requests[0]!;
    expect(request.closedAt! - unsubscribedAt).toBeLessThan(100);
    expect(request.aborted).toBe(true);
    await quietFor(20); // nothing is the point: a late event or error would arrive meanwhile
    expect(received).toHaveLength(countAtUnsubscribe);
    expect(ended).toBe(false);
  });

  it('unsubscribing while the server sends nothing aborts the request quietly', async () => {
    server.push({ text: 'late', stallAfter: 0 });
    let ended = false;
    const subscription = model.stream(modelRequest()).subscribe({
      error: () => (ended = true),
      complete: () => (ended = true),
    });
    await expect.poll(() => server.requests.length, { interval: 5 }).toBe(1);
    subscription.unsubscribe();
    await expect.poll(() => server.requests[0]?.closedAt, { interval: 5 }).toBeDefined();
    expect(server.requests[0]?.aborted).toBe(true);
    await quietFor(20); // nothing is the point: a late error or completion would arrive meanwhile
    expect(ended).toBe(false);
  });

  it('an HTTP 401 becomes a ModelProviderError with status, code and the SDK error as cause', async () => {
    server.push({ status: 401 });
    const { events, error } = await collect(model.stream(modelRequest()));
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ModelProviderError);
    const failure = error as ModelProviderError;
    expect(failure.status).toBe(401);
    expect(failure.code).toBe('invalid_api_key');
    expect(failure.cause).toBeInstanceOf(AuthenticationError);
    expect(ModelProviderError.isInstance(failure)).toBe(true);
    for (const text of [failure.message, String(failure), JSON.stringify(failure), (failure.cause as Error).message]) {
      expect(text).not.toContain(apiKey);
    }
  });

  it('keeps the API key out of the message even when the server echoes it', async () => {
    server.push(keyEchoing401(apiKey));
    const { error } = await collect(model.stream(modelRequest()));
    const failure = error as ModelProviderError;
    expect(failure.message).toContain('Incorrect API key provided');
    expect(failure.message).not.toContain(apiKey);
    expect(JSON.stringify(failure)).not.toContain(apiKey);
  });

  it('a 500 keeps its status', async () => {
    server.push({ status: 500 });
    const { error } = await collect(model.stream(modelRequest()));
    expect((error as ModelProviderError).status).toBe(500);
  });

  it('a refused connection becomes a ModelProviderError with the connection error as cause', async () => {
    const url = server.url;
    await server.close();
    const offline = new ModelClass({ model: 'gpt-test', client: clientFor(url) });
    const { error } = await collect(offline.stream(modelRequest()));
    expect(error).toBeInstanceOf(ModelProviderError);
    expect((error as ModelProviderError).status).toBeUndefined();
    expect((error as Error).cause).toBeInstanceOf(APIConnectionError);
  });

  it('never shows its client (nor the key) in JSON, strings or util.inspect', () => {
    const shown = [JSON.stringify(model), String(model), inspect(model, { depth: 10, showHidden: true })];
    for (const text of shown) expect(text).not.toContain(apiKey);
    expect(JSON.parse(shown[0]!)).toEqual({ name: kind, model: 'gpt-test' });
  });

  it('throws InvalidArgumentError naming `model` when the model id is missing or empty', () => {
    for (const options of [{ model: '' }, { model: '  ' }, {}, undefined]) {
      let thrown: unknown;
      try {
        new ModelClass(options as unknown as { model: string });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).argument).toBe('model');
    }
  });

  describe('without a client', () => {
    const saved = { key: process.env['OPENAI_API_KEY'], url: process.env['OPENAI_BASE_URL'] };
    const restore = (name: string, value: string | undefined): void => {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    };
    afterEach(() => {
      restore('OPENAI_API_KEY', saved.key);
      restore('OPENAI_BASE_URL', saved.url);
    });

    it('makes `new OpenAI()` on first use, reading the environment then', async () => {
      delete process.env['OPENAI_API_KEY'];
      delete process.env['OPENAI_BASE_URL'];
      const lazy = new ModelClass({ model: 'gpt-test' });
      const call = lazy.stream(modelRequest());
      process.env['OPENAI_API_KEY'] = apiKey;
      process.env['OPENAI_BASE_URL'] = server.url;
      server.push({ text: 'from env' });
      const { events, error } = await collect(call);
      expect(error).toBeUndefined();
      expect(textOf(events)).toBe('from env');
      expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${apiKey}`);
      expect(lazy[syncDescriptorOf]().clientOptions).toEqual({});
    });

    it('fails the call, not the constructor, when no key is set', async () => {
      delete process.env['OPENAI_API_KEY'];
      const lazy = new ModelClass({ model: 'gpt-test' });
      const { error } = await collect(lazy.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as Error).cause).toBeInstanceOf(OpenAIError);
      expect((error as Error).message).toContain('OPENAI_API_KEY');
    });
  });

  it('a given client is used as it is', async () => {
    server.push({ text: 'ok' });
    const client = new OpenAI({
      apiKey: 'sk-other',
      baseURL: server.url,
      maxRetries: 0,
      defaultHeaders: { 'x-team': 'blue' },
    });
    await collect(new ModelClass({ model: 'm', client }).stream(modelRequest()));
    expect(server.requests[0]?.headers['x-team']).toBe('blue');
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer sk-other');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  OpenAIChatCompletionsModel,
  OpenAIProvider,
  OpenAIResponsesModel,
  modelFromSyncDescriptor,
  type SyncModelDescriptor,
} from '../../src/models/index.js';
import { apiKey, clientFor, collect, modelRequest, textOf } from './helpers.js';
import { syncDescriptorOf } from '../../src/internal/syncDescriptorOf.js';

describe('toSyncDescriptor / modelFromSyncDescriptor', () => {
  let server: LocalServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  it('describes a given client by its options, as structured-cloneable data', () => {
    const client = new OpenAI({
      apiKey: apiKey,
      baseURL: server.url,
      organization: 'org-1',
      project: 'proj-1',
      maxRetries: 1,
      timeout: 5_000,
      defaultHeaders: { 'x-team': 'blue', 'x-removed': null },
      defaultQuery: { 'api-version': '2025-01-01' },
    });
    const descriptor = new OpenAIChatCompletionsModel({ model: 'm', client })[syncDescriptorOf]();
    expect(descriptor).toEqual({
      kind: 'openai-chat-completions',
      model: 'm',
      clientOptions: {
        apiKey: apiKey,
        baseURL: server.url,
        organization: 'org-1',
        project: 'proj-1',
        maxRetries: 1,
        timeout: 5_000,
        defaultHeaders: { 'x-team': 'blue' },
        defaultQuery: { 'api-version': '2025-01-01' },
      },
    });
    expect(structuredClone(descriptor)).toEqual(descriptor);
  });

  it('leaves the key and URL out for a client made on first use', () => {
    const descriptor = new OpenAIResponsesModel({ model: 'gpt-test' })[syncDescriptorOf]();
    expect(descriptor).toEqual({ kind: 'openai-responses', model: 'gpt-test', clientOptions: {} });
  });

  it.each([
    ['openai-responses', OpenAIResponsesModel, '/v1/responses'],
    ['openai-chat-completions', OpenAIChatCompletionsModel, '/v1/chat/completions'],
  ] as const)('rebuilds a working %s model from a cloned descriptor', async (kind, ModelClass, path) => {
    const client = clientFor(server.url, { defaultHeaders: { 'x-team': 'green' } });
    const original = new ModelClass({ model: 'gpt-test', client });
    const descriptor = structuredClone(original[syncDescriptorOf]());
    const rebuilt = modelFromSyncDescriptor(descriptor);
    expect(rebuilt).toBeInstanceOf(ModelClass);
    expect(rebuilt.name).toBe(kind);
    expect((rebuilt as InstanceType<typeof ModelClass>).model).toBe('gpt-test');
    expect((rebuilt as InstanceType<typeof ModelClass>)[syncDescriptorOf]()).toEqual(descriptor);
    expect(server.requests).toHaveLength(0);

    server.push({ text: 'rebuilt' });
    const { events, error } = await collect(rebuilt.stream(modelRequest()));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('rebuilt');
    expect(server.requests[0]?.path).toBe(path);
    expect(server.requests[0]?.headers['x-team']).toBe('green');
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${apiKey}`);
  });

  it('rejects an unknown kind', () => {
    const descriptor = { kind: 'anthropic', model: 'm', clientOptions: {} } as unknown as SyncModelDescriptor;
    expect(() => modelFromSyncDescriptor(descriptor)).toThrow(InvalidArgumentError);
  });

  it('keeps the key out of the model JSON even though the descriptor carries it', () => {
    const model = new OpenAIResponsesModel({ model: 'm', client: clientFor(server.url) });
    expect(model[syncDescriptorOf]().clientOptions.apiKey).toBe(apiKey);
    expect(JSON.stringify(model)).toBe('{"name":"openai-responses","model":"m"}');
  });
});

describe('OpenAIProvider', () => {
  let server: LocalServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  it('gives Responses models by default, on the shared client', async () => {
    const provider = new OpenAIProvider({ client: clientFor(server.url) });
    const model = provider.getModel('gpt-test');
    expect(model).toBeInstanceOf(OpenAIResponsesModel);
    expect(model.name).toBe('openai-responses');
    expect((model as OpenAIResponsesModel).model).toBe('gpt-test');
    server.push({ text: 'ok' });
    await collect(model.stream(modelRequest()));
    expect(server.requests[0]?.path).toBe('/v1/responses');
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-test' });
  });

  it('gives Chat Completions models with useResponses: false', async () => {
    const provider = new OpenAIProvider({ client: clientFor(server.url), useResponses: false });
    const model = provider.getModel('llama');
    expect(model).toBeInstanceOf(OpenAIChatCompletionsModel);
    server.push({ text: 'ok' });
    await collect(model.stream(modelRequest()));
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('makes no client until a model is called, and describes the lazy client as empty options', () => {
    const saved = process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_API_KEY'];
    try {
      const model = new OpenAIProvider().getModel('gpt-test') as OpenAIResponsesModel;
      expect(model[syncDescriptorOf]()).toEqual({ kind: 'openai-responses', model: 'gpt-test', clientOptions: {} });
    } finally {
      if (saved !== undefined) process.env['OPENAI_API_KEY'] = saved;
    }
  });

  it('rejects an empty model name', () => {
    expect(() => new OpenAIProvider().getModel('')).toThrow(InvalidArgumentError);
  });

  it('shows nothing of its client in JSON', () => {
    expect(JSON.stringify(new OpenAIProvider({ client: clientFor(server.url) }))).toBe('{"useResponses":true}');
  });
});

/**
 * Runs over loopback HTTP, with the real `openai` client and `@opentelemetry/instrumentation-undici`
 * tracing its fetch: the model's HTTP request is a child of its `chat` span, the server and what
 * the wire says of the response (its model, finish reasons, cached and reasoning tokens) are on the
 * span, for both OpenAI APIs and for recorded streams; spans a tool makes nest under its
 * `execute_tool` span; and `runSync`, whose calls go over a worker thread, has one chat span per
 * call.
 */
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, Runner, tool, type Model } from '../../src/index.js';
import { openTelemetry } from '../../src/otel/index.js';
import { loadFixture, splitResponses, startServerProcess, type ServerProcess } from '../../src/testing/server/index.js';
import { keyEchoing401 } from '../helpers/keyEcho.js';
import { useLocalServer } from '../helpers/localServer.js';
import { histogramPoints, spanNamed, spanTree, useOtel } from './otelHarness.js';

const otel = useOtel();
const server = useLocalServer();
const apiKey = 'sk-otel-http-5d1e8b';
const runner = new Runner({
  tracing: openTelemetry({
    tracer: otel.tracerProvider.getTracer('spec'),
    meter: otel.meterProvider.getMeter('spec'),
  }),
});
const fixture = (path: string) => loadFixture(new URL(`../fixtures/openai/${path}`, import.meta.url));

// The undici instrumentation traces Node's fetch, which the `openai` client uses, for this file only.
// (Made enabled: one made with `enabled: false` keeps ignoring requests after `enable()`.)
let undici: UndiciInstrumentation | undefined;
beforeAll(() => {
  undici = new UndiciInstrumentation();
  undici.setTracerProvider(otel.tracerProvider);
});
afterAll(() => {
  undici?.disable();
});

const client = (url: string) => new OpenAI({ apiKey, baseURL: url, maxRetries: 0 });
const apis = {
  Responses: (url: string, model = 'gpt-4.1-mini'): Model => new OpenAIResponsesModel({ model, client: client(url) }),
  'Chat Completions': (url: string, model = 'gpt-4.1-mini'): Model =>
    new OpenAIChatCompletionsModel({ model, client: client(url) }),
};

const add = tool({
  name: 'add',
  description: 'Adds two numbers.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

const chatsOf = (spans: readonly ReadableSpan[], name: string) =>
  spans
    .filter((span) => span.name === name)
    .sort((a, b) => Number(a.attributes['rxjs_agents.turn']) - Number(b.attributes['rxjs_agents.turn']));
const childrenOf = (spans: readonly ReadableSpan[], parent: ReadableSpan) =>
  spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

describe.each(Object.entries(apis))('over the %s API', (_api, modelAt) => {
  it('puts each model request’s HTTP span under its chat span, with the server and what the wire said', async () => {
    const { url } = await server.serve(
      {
        toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 }, callId: 'call_add' }],
        usage: { inputTokens: 9, outputTokens: 4 },
      },
      { text: 'It is 5.', usage: { inputTokens: 15, outputTokens: 3 } },
    );
    const port = Number(new URL(url).port);
    const agent = new Agent({ name: 'Calc', model: modelAt(url), tools: [add] });
    await lastValueFrom(runner.runStreamed(agent, 'What is 2+3?').pipe(toArray()));

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual([
      'invoke_agent Calc',
      ['chat gpt-4.1-mini', ['POST'], 'execute_tool add', 'chat gpt-4.1-mini', ['POST']],
    ]);
    const [first, second] = chatsOf(spans, 'chat gpt-4.1-mini');
    for (const chat of [first!, second!]) {
      expect(chat.attributes).toMatchObject({
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4.1-mini',
        'gen_ai.response.model': 'gpt-4.1-mini',
        'server.address': '127.0.0.1',
        'server.port': port,
      });
      expect(chat.attributes['gen_ai.response.id']).toEqual(expect.any(String));
      expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toEqual(expect.any(Number));
      const [http] = childrenOf(spans, chat);
      expect(http!.attributes).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': port });
      expect(String(http!.attributes['url.full'])).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/v1\/(responses|chat\/completions)$/,
      );
    }
    expect(first!.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 4,
    });
    expect(second!.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 15,
      'gen_ai.usage.output_tokens': 3,
    });
    expect(spanNamed(spans, 'invoke_agent Calc').attributes['gen_ai.provider.name']).toBe('openai');

    // The metrics carry the server too.
    const metrics = await otel.metrics();
    const points = histogramPoints(metrics.get('gen_ai.client.operation.duration')).filter(
      (point) => (point.attributes as Record<string, unknown>)['server.port'] === port,
    );
    expect(points).toEqual([
      expect.objectContaining({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4.1-mini',
          'gen_ai.response.model': 'gpt-4.1-mini',
          'server.address': '127.0.0.1',
          'server.port': port,
        },
        count: 2,
      }),
    ]);
  });

  it('a retried request: two chat spans, each with its own HTTP span, the first ERROR with the status', async () => {
    const { url } = await server.serve({ status: 503 }, { text: 'Hello.' });
    await runner.run(new Agent({ name: 'A', model: modelAt(url) }), 'Hi', {
      retry: { maxRetries: 1, initialDelayMs: 0 },
    });

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat gpt-4.1-mini', ['POST'], 'chat gpt-4.1-mini', ['POST']]]);
    const [first, second] = spans
      .filter((span) => span.name === 'chat gpt-4.1-mini')
      .sort((a, b) => Number(a.attributes['rxjs_agents.attempt']) - Number(b.attributes['rxjs_agents.attempt']));
    expect(first!.attributes).toMatchObject({ 'rxjs_agents.attempt': 1, 'error.type': 'ModelProviderError' });
    expect(childrenOf(spans, first!)[0]!.attributes['http.response.status_code']).toBe(503);
    expect(second!.attributes).toMatchObject({ 'rxjs_agents.attempt': 2, 'gen_ai.response.finish_reasons': ['stop'] });
  });
});

describe('recorded streams, replayed', () => {
  it('Responses: the four-turn calculator loop, with the recorded response model and the cached and reasoning tokens', async () => {
    const turns = splitResponses(fixture('responses/calculator-four-turns.jsonl'));
    const { url } = await server.serve(...turns.map((events) => ({ events })));
    const calculator = tool({
      name: 'calculator',
      description: 'A minimal calculator.',
      parameters: z.object({ a: z.number(), b: z.number(), op: z.enum(['add', 'subtract', 'multiply', 'divide']) }),
      execute: ({ a, b, op }) => ({ add: a + b, subtract: a - b, multiply: a * b, divide: a / b })[op],
    });
    const agent = new Agent({ name: 'Calculator', model: apis.Responses(url, 'codex'), tools: [calculator] });
    await runner.run(agent, 'Compute ((12 + 7) * 3) * 10.');

    const spans = otel.spans();
    const chats = chatsOf(spans, 'chat codex');
    expect(chats).toHaveLength(4);
    expect(chats.map((chat) => chat.attributes['gen_ai.response.finish_reasons'])).toEqual([
      ['tool_calls'],
      ['tool_calls'],
      ['tool_calls'],
      ['stop'],
    ]);
    expect(
      chats.map((chat) => [
        chat.attributes['gen_ai.usage.input_tokens'],
        chat.attributes['gen_ai.usage.output_tokens'],
      ]),
    ).toEqual([
      [134, 28],
      [221, 26],
      [260, 26],
      [299, 12],
    ]);
    for (const chat of chats) {
      expect(chat.attributes['gen_ai.response.model']).toMatch(/^gpt-5\.1-codex-max/);
      expect(chat.attributes).toMatchObject({
        'gen_ai.request.model': 'codex',
        'gen_ai.usage.cache_read.input_tokens': 0,
        'gen_ai.usage.reasoning.output_tokens': 0,
      });
      expect(chat.attributes['gen_ai.response.id']).toMatch(/^resp_/);
    }
    expect(spanNamed(spans, 'invoke_agent Calculator').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 914,
      'gen_ai.usage.output_tokens': 92,
    });
  });

  it('Chat Completions: 302 recorded chunks, with their model, finish reason, id and usage', async () => {
    const { url } = await server.serve({ events: fixture('chat/text-300-chunks.jsonl') });
    await runner.run(new Agent({ name: 'Writer', model: apis['Chat Completions'](url, 'nano') }), 'Write.');

    const chat = spanNamed(otel.spans(), 'chat nano');
    expect(chat.attributes).toMatchObject({
      'gen_ai.request.model': 'nano',
      'gen_ai.response.model': 'gpt-4.1-nano-2025-04-14',
      'gen_ai.response.id': 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 16,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.reasoning.output_tokens': 0,
    });
  });
});

describe("a tool's own spans", () => {
  it('nest under its execute_tool span: one it starts, and the HTTP request it makes', async () => {
    const { url } = await server.serve(
      { toolCalls: [{ name: 'lookup', arguments: { id: 7 }, callId: 'call_l' }] },
      { text: 'Found it.' },
    );
    const appTracer = otel.tracerProvider.getTracer('app');
    const lookup = tool({
      name: 'lookup',
      description: 'Looks a record up.',
      parameters: z.object({ id: z.number() }),
      execute: async ({ id }) => {
        // The active span is the tool call's: a database client would nest its spans under it.
        expect(trace.getSpan(context.active())?.spanContext().spanId).toEqual(expect.any(String));
        await appTracer.startActiveSpan('db.query', async (span) => {
          await Promise.resolve();
          span.end();
        });
        await fetch(`${url}/models`).then((response) => response.arrayBuffer());
        return { id };
      },
    });
    await runner.run(new Agent({ name: 'A', model: apis.Responses(url), tools: [lookup] }), 'Find 7');

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual([
      'invoke_agent A',
      ['chat gpt-4.1-mini', ['POST'], 'execute_tool lookup', ['db.query', 'GET'], 'chat gpt-4.1-mini', ['POST']],
    ]);
  });
});

describe('runSync over the worker thread', () => {
  let serverProcess: ServerProcess | undefined;
  afterEach(async () => {
    await serverProcess?.close();
    serverProcess = undefined;
  });

  // One API is enough: the worker's calls are the same for both (test/integration/runSync.spec.ts runs both), and each
  // server process costs a second.
  it('one chat span per call, with what the wire said', async () => {
    const modelAt = apis.Responses;
    const started = (serverProcess = await startServerProcess({
      turns: [
        { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }], usage: { inputTokens: 7, outputTokens: 2 } },
        { text: 'It is 5.', usage: { inputTokens: 12, outputTokens: 3 } },
      ],
    }));
    const port = Number(new URL(started.url).port);
    const result = runner.runSync(
      new Agent({ name: 'Calc', model: modelAt(started.url), tools: [add] }),
      'What is 2+3?',
    );
    expect(result.finalOutput).toBe('It is 5.');

    const spans = otel.spans();
    // The HTTP requests are made on the worker thread, which this thread's instrumentation does not see.
    expect(spanTree(spans)).toEqual([
      'invoke_agent Calc',
      ['chat gpt-4.1-mini', 'execute_tool add', 'chat gpt-4.1-mini'],
    ]);
    const [first, second] = chatsOf(spans, 'chat gpt-4.1-mini');
    expect(first!.attributes).toMatchObject({
      'server.address': '127.0.0.1',
      'server.port': port,
      'rxjs_agents.attempt': 1,
      'gen_ai.response.model': 'gpt-4.1-mini',
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
    expect(second!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(first!.attributes['gen_ai.response.id']).toEqual(expect.any(String));
    expect(first!.attributes['gen_ai.response.id']).not.toBe(second!.attributes['gen_ai.response.id']);
    expect(spanNamed(spans, 'invoke_agent Calc').attributes['rxjs_agents.run.outcome']).toBe('completed');
  });

  it('a 401 that quotes the API key: the chat span is ERROR, and the key is in no span', async () => {
    const started = (serverProcess = await startServerProcess({ turns: [keyEchoing401(apiKey)] }));
    expect(() => runner.runSync(new Agent({ name: 'A', model: apis.Responses(started.url) }), 'Hi')).toThrow();

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat gpt-4.1-mini']]);
    const chat = spanNamed(spans, 'chat gpt-4.1-mini');
    expect(chat.status.code).toBe(SpanStatusCode.ERROR);
    expect(chat.attributes['error.type']).toBe('ModelProviderError');
    expect(JSON.stringify(spans.map((span) => [span.attributes, span.events, span.status]))).not.toContain(apiKey);
  });
});

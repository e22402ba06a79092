/**
 * What of the conversation the spans hold, over loopback HTTP with the real `openai` client: with
 * `captureContent` off (the default) none of it; on, the instructions, the messages, the tool
 * arguments and results, in the GenAI conventions' shapes. The API key is in no span, in either
 * setting — not even when the provider's error message quotes it.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, OpenAIResponsesModel, Runner, tool } from '../../src/index.js';
import { openTelemetry } from '../../src/otel/index.js';
import { keyEchoing401 } from '../helpers/keyEcho.js';
import { useLocalServer } from '../helpers/localServer.js';
import { spanNamed, useOtel } from './otelHarness.js';

const otel = useOtel();
const server = useLocalServer();
const apiKey = 'sk-otel-content-7f3a9c2e1b-do-not-record';

const contentKeys = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
];

const weather = tool({
  name: 'weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'sunny' }),
});

async function runWeather(captureContent: boolean | undefined): Promise<ReadableSpan[]> {
  const { url } = await server.serve(
    { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' }, callId: 'call_w' }] },
    { text: 'Sunny in Paris.' },
  );
  const agent = new Agent({
    name: 'Forecaster',
    instructions: 'Answer in one sentence.',
    model: new OpenAIResponsesModel({
      model: 'gpt-4.1-mini',
      client: new OpenAI({ apiKey, baseURL: url, maxRetries: 0 }),
    }),
    tools: [weather],
  });
  const tracing = openTelemetry({
    tracer: otel.tracerProvider.getTracer('spec'),
    ...(captureContent === undefined ? {} : { captureContent }),
  });
  await new Runner({ tracing }).run(agent, 'Weather in Paris?');
  return otel.spans();
}

/** Everything a span exports that is text: its name, attributes, events and status. */
const exported = (spans: readonly ReadableSpan[]): string =>
  JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
      links: span.links,
    })),
  );

describe('captureContent off (the default)', () => {
  it.each([
    ['not given', undefined],
    ['false', false],
  ])('%s: no message, instruction, argument or result anywhere, nor the API key', async (_case, capture) => {
    const spans = await runWeather(capture);
    expect(spans.map((span) => span.name).sort()).toEqual([
      'chat gpt-4.1-mini',
      'chat gpt-4.1-mini',
      'execute_tool weather',
      'invoke_agent Forecaster',
    ]);
    for (const span of spans) for (const key of contentKeys) expect(span.attributes).not.toHaveProperty(key);
    const text = exported(spans);
    expect(text).not.toContain('Paris');
    expect(text).not.toContain('one sentence');
    expect(text).not.toContain(apiKey);
  });
});

describe('captureContent: true', () => {
  it('records the instructions, the messages in the conventions’ shape, the tool’s arguments and result', async () => {
    const spans = await runWeather(true);
    const [first, second] = spans
      .filter((span) => span.name === 'chat gpt-4.1-mini')
      .sort((a, b) => Number(a.attributes['rxjs_agents.turn']) - Number(b.attributes['rxjs_agents.turn']));
    const json = (span: ReadableSpan, key: string): unknown => JSON.parse(String(span.attributes[key]));

    expect(json(first!, 'gen_ai.system_instructions')).toEqual([{ type: 'text', content: 'Answer in one sentence.' }]);
    expect(json(first!, 'gen_ai.input.messages')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    ]);
    expect(json(first!, 'gen_ai.output.messages')).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_w', name: 'weather', arguments: { city: 'Paris' } }],
        finish_reason: 'tool_calls',
      },
    ]);
    expect(json(second!, 'gen_ai.input.messages')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_w', name: 'weather', arguments: { city: 'Paris' } }],
      },
      {
        role: 'tool',
        parts: [{ type: 'tool_call_response', id: 'call_w', response: '{"city":"Paris","sky":"sunny"}' }],
      },
    ]);
    expect(json(second!, 'gen_ai.output.messages')).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Sunny in Paris.' }], finish_reason: 'stop' },
    ]);

    const toolSpan = spanNamed(spans, 'execute_tool weather');
    expect(json(toolSpan, 'gen_ai.tool.call.arguments')).toEqual({ city: 'Paris' });
    expect(json(toolSpan, 'gen_ai.tool.call.result')).toEqual({ city: 'Paris', sky: 'sunny' });
    expect(json(spanNamed(spans, 'invoke_agent Forecaster'), 'gen_ai.output.messages')).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Sunny in Paris.' }] },
    ]);

    expect(exported(spans)).not.toContain(apiKey);
  });
});

describe('the API key', () => {
  it.each([false, true])(
    'captureContent %s: is in no span when the provider’s 401 quotes it, and the chat span still says what failed',
    async (captureContent) => {
      const { url } = await server.serve(keyEchoing401(apiKey));
      const agent = new Agent({
        name: 'A',
        model: new OpenAIResponsesModel({
          model: 'gpt-4.1-mini',
          client: new OpenAI({ apiKey, baseURL: url, maxRetries: 0 }),
        }),
      });
      const runner = new Runner({
        tracing: openTelemetry({ tracer: otel.tracerProvider.getTracer('spec'), captureContent }),
      });
      await expect(runner.run(agent, 'Hi')).rejects.toMatchObject({ status: 401 });

      const spans = otel.spans();
      const chat = spanNamed(spans, 'chat gpt-4.1-mini');
      expect(chat.attributes['error.type']).toBe('ModelProviderError');
      expect(chat.status.message).toContain('Incorrect API key provided');
      expect(exported(spans)).not.toContain(apiKey);
      // Nor any telling piece of it.
      expect(exported(spans)).not.toContain('7f3a9c2e1b');
    },
  );
});

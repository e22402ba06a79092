import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APIError } from 'openai';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { ModelProviderError } from '../../src/errors.js';
import { isFunctionCallItem } from '../../src/items.js';
import type { FunctionToolSpec } from '../../src/model.js';
import { OpenAIResponsesModel } from '../../src/models/index.js';
import { apiKey, clientFor, collect, fixture, modelRequest, rawOf, responseOf, textOf } from './helpers.js';

const weatherTool: FunctionToolSpec = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

describe('OpenAIResponsesModel', () => {
  let server: LocalServer;
  let model: OpenAIResponsesModel;

  beforeEach(async () => {
    server = await startServer();
    model = new OpenAIResponsesModel({ model: 'gpt-test', client: clientFor(server.url) });
  });
  afterEach(() => server.close());

  it('streams text: raw events, text deltas, and one response last', async () => {
    server.push({ text: ['Hel', 'lo', ' there'], usage: { inputTokens: 12, outputTokens: 3 } });
    const { events, error, completed } = await collect(model.stream(modelRequest({ instructions: 'Be brief.' })));
    expect(error).toBeUndefined();
    expect(completed).toBe(true);
    expect(textOf(events)).toBe('Hello there');
    expect(events.filter((event) => event.type === 'response')).toHaveLength(1);
    const raw = rawOf(events) as { type: string }[];
    expect(raw[0]?.type).toBe('response.created');
    expect(raw.at(-1)?.type).toBe('response.completed');
    expect(raw.filter((event) => event.type === 'response.output_text.delta')).toHaveLength(3);
    expect(responseOf(events)).toEqual({
      id: 'resp_1',
      output: [
        {
          id: 'msg_1',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Hello there' }],
        },
      ],
      usage: { requests: 1, inputTokens: 12, outputTokens: 3, totalTokens: 15 },
    });
    expect(model.name).toBe('openai-responses');
    expect(model.model).toBe('gpt-test');
  });

  it('sends instructions as a field and the input as is, without tools or settings it was not given', async () => {
    server.push({ text: 'ok' });
    const input = [
      { type: 'message' as const, role: 'user' as const, content: 'Hello' },
      { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'abc' },
    ];
    await collect(model.stream(modelRequest({ instructions: 'Be brief.', input })));
    expect(server.requests[0]?.path).toBe('/v1/responses');
    expect(server.requests[0]?.body).toEqual({ model: 'gpt-test', instructions: 'Be brief.', input, stream: true });
  });

  it('leaves out reasoning items without an id (read from a Chat Completions server), which the Responses API refuses', async () => {
    server.push({ text: 'ok' });
    const user = { type: 'message' as const, role: 'user' as const, content: 'Hello' };
    const fromChat = { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'Hmm.' }] };
    await collect(model.stream(modelRequest({ input: [user, fromChat] })));
    expect((server.requests[0]?.body as { input?: unknown }).input).toEqual([user]);
  });

  it('leaves out tool_choice and parallel_tool_calls when there are no tools', async () => {
    server.push({ text: 'ok' });
    await collect(model.stream(modelRequest({ settings: { toolChoice: 'required', parallelToolCalls: false } })));
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('sends tools and maps every setting; returns the function calls', async () => {
    server.push({
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_a' },
        { name: 'get_weather', arguments: { city: 'Rome' }, callId: 'call_b' },
      ],
    });
    const { events, error } = await collect(
      model.stream(
        modelRequest({
          tools: [weatherTool],
          settings: {
            temperature: 0.2,
            topP: 0.9,
            maxOutputTokens: 300,
            toolChoice: { type: 'function', name: 'get_weather' },
            parallelToolCalls: true,
            reasoning: { effort: 'low' },
          },
        }),
      ),
    );
    expect(error).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'The weather in a city.',
          parameters: weatherTool.parameters,
          strict: true,
        },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 300,
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: true,
      reasoning: { effort: 'low' },
      stream: true,
    });
    const calls = responseOf(events).output.filter(isFunctionCallItem);
    expect(calls.map((call) => [call.call_id, call.name, JSON.parse(call.arguments)])).toEqual([
      ['call_a', 'get_weather', { city: 'Paris' }],
      ['call_b', 'get_weather', { city: 'Rome' }],
    ]);
  });

  it('asks for structured output with a strict JSON schema in text.format', async () => {
    const answer = { destination: 'Lisbon', reason: 'Light.' };
    server.push({ output: answer });
    const schema = {
      type: 'object',
      properties: { destination: { type: 'string' }, reason: { type: 'string' } },
      required: ['destination', 'reason'],
      additionalProperties: false,
    };
    const { events } = await collect(model.stream(modelRequest({ outputSchema: { name: 'trip', schema } })));
    expect((server.requests[0]?.body as { text?: unknown }).text).toEqual({
      format: { type: 'json_schema', name: 'trip', schema, strict: true },
    });
    expect(JSON.parse(textOf(events))).toEqual(answer);
  });

  describe('recorded streams', () => {
    it('text-two-messages: joined deltas, but the output items of response.completed', async () => {
      const recorded = fixture('responses/text-two-messages.jsonl');
      server.push({ events: recorded });
      const { events, error } = await collect(model.stream(modelRequest()));
      expect(error).toBeUndefined();
      expect(textOf(events)).toBe('Got itHere are a few **AI');
      expect(rawOf(events)).toEqual(recorded);
      const completed = recorded.at(-1) as { response: { id: string; output: unknown[] } };
      const response = responseOf(events);
      expect(response.id).toBe(completed.response.id);
      expect(response.output).toEqual(completed.response.output);
      expect(response.output).toHaveLength(2);
      expect(response.usage).toEqual({ requests: 1, inputTokens: 7112, outputTokens: 463, totalTokens: 7575 });
    });

    it('failed-with-error-event: fails with the provider code and message', async () => {
      server.push({ events: fixture('responses/failed-with-error-event.jsonl') });
      const { events, error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      const failure = error as ModelProviderError;
      expect(failure.code).toBe('insufficient_quota');
      expect(failure.message).toContain('You exceeded your current quota');
      expect(events.some((event) => event.type === 'response')).toBe(false);
      expect((rawOf(events) as { type: string }[]).map((event) => event.type)).toEqual([
        'response.created',
        'response.in_progress',
      ]);
    });
  });

  describe('failures inside the stream', () => {
    const created = {
      type: 'response.created',
      sequence_number: 0,
      response: { id: 'resp_x', status: 'in_progress', output: [] },
    };

    it('an error event with a top-level code fails with that code and message', async () => {
      server.push({
        events: [
          created,
          { type: 'error', sequence_number: 1, code: 'rate_limit_exceeded', message: 'Slow down.', param: null },
        ],
      });
      const { events, error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as ModelProviderError).code).toBe('rate_limit_exceeded');
      expect((error as ModelProviderError).message).toContain('Slow down.');
      // The models read the stream themselves, as openai 7 does (since 7.6): the `error` event fails
      // the call at once, on openai 6 too (whose own reader yielded it first).
      const types = (rawOf(events) as { type: string }[]).map((event) => event.type);
      expect(types).toEqual(['response.created']);
    });

    it('response.failed fails with the response error code and message', async () => {
      server.push({
        events: [
          created,
          {
            type: 'response.failed',
            sequence_number: 1,
            response: {
              id: 'resp_x',
              status: 'failed',
              output: [],
              error: { code: 'server_error', message: 'It broke.' },
            },
          },
        ],
      });
      const { error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as ModelProviderError).code).toBe('server_error');
      expect((error as ModelProviderError).message).toContain('It broke.');
    });

    it('response.incomplete fails with the reason as code', async () => {
      server.push({
        events: [
          created,
          {
            type: 'response.incomplete',
            sequence_number: 1,
            response: {
              id: 'resp_x',
              status: 'incomplete',
              output: [],
              incomplete_details: { reason: 'max_output_tokens' },
            },
          },
        ],
      });
      const { error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as ModelProviderError).code).toBe('max_output_tokens');
      expect((error as ModelProviderError).message).toMatch(/incomplete.*max_output_tokens/);
    });

    it('a stream that ends without response.completed fails', async () => {
      server.push({ events: [created] });
      const { events, error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as Error).message).toContain('stream ended before the response completed');
      expect(rawOf(events)).toHaveLength(1);
    });

    it('a dropped connection fails with the underlying error as cause', async () => {
      server.push({ text: 'one two three four five', dropAfter: 4 });
      const { error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as Error).cause).toBeDefined();
    });

    it('a line that is not JSON fails instead of hanging', async () => {
      server.push({ text: 'one two', badLineAfter: 2 });
      const { error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as Error).message).toContain('not valid JSON');
    });
  });

  it('keeps the SDK error of an error event as cause', async () => {
    server.push({ events: fixture('responses/failed-with-error-event.jsonl') });
    const { error } = await collect(model.stream(modelRequest()));
    expect((error as Error).cause).toBeInstanceOf(APIError);
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });
});

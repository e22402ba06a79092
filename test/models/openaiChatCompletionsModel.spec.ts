import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { ModelProviderError } from '../../src/errors.js';
import type { FunctionCallItem, InputItem } from '../../src/items.js';
import type { FunctionToolSpec } from '../../src/model.js';
import { OpenAIChatCompletionsModel } from '../../src/models/index.js';
import { clientFor, collect, fixture, modelRequest, rawOf, responseOf, textOf } from './helpers.js';

const weatherTool: FunctionToolSpec = {
  type: 'function',
  name: 'weather',
  description: 'The weather at a location.',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string' } },
    required: ['location'],
    additionalProperties: false,
  },
  strict: true,
};

describe('OpenAIChatCompletionsModel', () => {
  let server: LocalServer;
  let model: OpenAIChatCompletionsModel;

  beforeEach(async () => {
    server = await startServer();
    model = new OpenAIChatCompletionsModel({ model: 'local-llama', client: clientFor(server.url) });
  });
  afterEach(() => server.close());

  it('streams text and answers with a Responses-shaped assistant message', async () => {
    server.push({ text: ['Hel', 'lo', ' there'], usage: { inputTokens: 7, outputTokens: 3 } });
    const { events, error, completed } = await collect(model.stream(modelRequest({ instructions: 'Be brief.' })));
    expect(error).toBeUndefined();
    expect(completed).toBe(true);
    expect(textOf(events)).toBe('Hello there');
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(3);
    expect(responseOf(events)).toEqual({
      id: 'chatcmpl-1',
      output: [
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hello there', annotations: [] }],
          status: 'completed',
        },
      ],
      usage: { requests: 1, inputTokens: 7, outputTokens: 3, totalTokens: 10 },
    });
    expect(model.name).toBe('openai-chat-completions');
  });

  it('sends the instructions as a leading system message and asks for usage', async () => {
    server.push({ text: 'ok' });
    await collect(model.stream(modelRequest({ instructions: 'Be brief.' })));
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(server.requests[0]?.body).toEqual({
      model: 'local-llama',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends tools and maps every setting; returns function_call items', async () => {
    server.push({
      toolCalls: [
        { name: 'weather', arguments: { location: 'Paris' }, callId: 'call_a' },
        { name: 'weather', arguments: { location: 'Rome' }, callId: 'call_b' },
      ],
    });
    const { events, error } = await collect(
      model.stream(
        modelRequest({
          tools: [weatherTool],
          settings: {
            temperature: 0.3,
            topP: 0.8,
            maxOutputTokens: 256,
            toolChoice: { type: 'function', name: 'weather' },
            parallelToolCalls: false,
            reasoning: { effort: 'high' },
          },
        }),
      ),
    );
    expect(error).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'The weather at a location.',
            parameters: weatherTool.parameters,
            strict: true,
          },
        },
      ],
      temperature: 0.3,
      top_p: 0.8,
      max_completion_tokens: 256,
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
      reasoning_effort: 'high',
    });
    expect(responseOf(events).output).toEqual([
      { type: 'function_call', call_id: 'call_a', name: 'weather', arguments: '{"location":"Paris"}' },
      { type: 'function_call', call_id: 'call_b', name: 'weather', arguments: '{"location":"Rome"}' },
    ]);
  });

  it('leaves out tools, tool_choice and parallel_tool_calls without tools', async () => {
    server.push({ text: 'ok' });
    await collect(model.stream(modelRequest({ settings: { toolChoice: 'none', parallelToolCalls: true } })));
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('asks for structured output with a strict json_schema response_format', async () => {
    const answer = { destination: 'Oslo' };
    server.push({ output: answer });
    const schema = {
      type: 'object',
      properties: { destination: { type: 'string' } },
      required: ['destination'],
      additionalProperties: false,
    };
    const { events } = await collect(model.stream(modelRequest({ outputSchema: { name: 'trip', schema } })));
    expect((server.requests[0]?.body as { response_format?: unknown }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'trip', schema, strict: true },
    });
    expect(JSON.parse(textOf(events))).toEqual(answer);
  });

  it('sends a whole conversation as chat messages', async () => {
    server.push({ text: 'ok' });
    const input: InputItem[] = [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Weather in ' },
          { type: 'input_text', text: 'Paris and Rome?' },
        ],
      },
      { type: 'reasoning', id: 'rs_1', summary: [] },
      {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Checking.' }],
        status: 'completed',
      },
      { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{"location":"Paris"}' },
      { type: 'reasoning', id: 'rs_2', summary: [] },
      { type: 'function_call', call_id: 'c2', name: 'weather', arguments: '{"location":"Rome"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
      { type: 'function_call_output', call_id: 'c2', output: 'rainy' },
    ];
    await collect(model.stream(modelRequest({ input, instructions: 'Use tools.' })));
    expect((server.requests[0]?.body as { messages: unknown }).messages).toEqual([
      { role: 'system', content: 'Use tools.' },
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } },
          { id: 'c2', type: 'function', function: { name: 'weather', arguments: '{"location":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'c2', content: 'rainy' },
    ]);
  });

  describe('recorded streams', () => {
    it('text-300-chunks: 1,724 characters and usage 16/300/316', async () => {
      const recorded = fixture('chat/text-300-chunks.jsonl');
      server.push({ events: recorded });
      const { events, error } = await collect(model.stream(modelRequest()));
      expect(error).toBeUndefined();
      expect(rawOf(events)).toEqual(recorded);
      const text = textOf(events);
      expect(text).toHaveLength(1724);
      const response = responseOf(events);
      expect(response.id).toBe('chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0');
      expect(response.usage).toEqual({ requests: 1, inputTokens: 16, outputTokens: 300, totalTokens: 316 });
      expect(response.output).toEqual([
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text, annotations: [] }],
          status: 'completed',
        },
      ]);
    });

    it('xai-tool-call: one function call; reasoning_content is a reasoning item, kept in raw events, never text', async () => {
      const recorded = fixture('chat/xai-tool-call.jsonl');
      server.push({ events: recorded });
      const { events, error } = await collect(model.stream(modelRequest({ tools: [weatherTool] })));
      expect(error).toBeUndefined();
      expect(events.filter((event) => event.type === 'text-delta')).toEqual([]);
      expect(rawOf(events)).toHaveLength(recorded.length);
      const output = responseOf(events).output;
      expect(output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
      expect(output[1]).toMatchObject({ type: 'function_call', call_id: 'call_79382389', name: 'weather' });
      expect(JSON.parse((output[1] as FunctionCallItem).arguments)).toEqual({ location: 'San Francisco' });
      expect(responseOf(events).usage).toEqual({ requests: 1, inputTokens: 307, outputTokens: 26, totalTokens: 560 });
    });
  });

  describe('failures', () => {
    const chunk = (delta: object, finish_reason: string | null = null): object => ({
      id: 'chatcmpl-x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta, finish_reason }],
    });

    it('a stream without a finish reason fails', async () => {
      server.push({ events: [chunk({ role: 'assistant', content: 'Hi' })] });
      const { events, error } = await collect(model.stream(modelRequest()));
      expect(textOf(events)).toBe('Hi');
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as Error).message).toContain('stream ended before the response completed');
    });

    it('finish_reason length fails with code max_output_tokens', async () => {
      server.push({ events: [chunk({ content: 'Hi' }), chunk({}, 'length')] });
      const { error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as ModelProviderError).code).toBe('max_output_tokens');
    });

    it('an error object inside the stream fails with its code and message', async () => {
      server.push({
        events: [
          chunk({ content: 'Hi' }),
          { error: { message: 'The model crashed.', type: 'server_error', code: 'model_crashed' } },
        ],
      });
      const { error } = await collect(model.stream(modelRequest()));
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as ModelProviderError).code).toBe('model_crashed');
      expect((error as Error).message).toContain('The model crashed.');
    });

    it('a choice that is not an object fails as a malformed event, not as a TypeError', async () => {
      // openai 7 reads each choice's finish_reason before it yields the chunk; openai 6 yields it.
      server.push({ events: [chunk({ content: 'Hi' }), { ...chunk({}), choices: [null] }] });
      const { events, error } = await collect(model.stream(modelRequest()));
      expect(textOf(events)).toBe('Hi');
      expect(error).toBeInstanceOf(ModelProviderError);
      expect((error as ModelProviderError).retryable).toBe(true);
      expect((error as Error).message).toMatch(/^OpenAI Chat Completions API sent a malformed event: /);
      expect((error as Error).message).not.toMatch(/Cannot read/);
    });
  });
});

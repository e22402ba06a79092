/**
 * Real and faithfully written streams of OpenAI-compatible servers (see `test/fixtures/README.md`,
 * "compat"), replayed over loopback HTTP by the local server, read by `OpenAIChatCompletionsModel`
 * through the real `openai` client, and run by the runner: one test per quirk.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, ModelProviderError, OpenAIChatCompletionsModel, run, runStreamed, tool } from '../../src/index.js';
import type { FunctionCallItem, OutputItem } from '../../src/items.js';
import type { RunEvent } from '../../src/events.js';
import { loadFixture, startServer, type LocalServer, type ServerTurn } from '../../src/testing/server/index.js';
import { clientFor, collect, modelRequest, rawOf, responseOf, textOf } from './helpers.js';

const compat = (name: string): unknown[] => loadFixture(new URL(`../fixtures/compat/${name}.jsonl`, import.meta.url));

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A chat model on a local server that replays `turns`. */
async function serve(...turns: ServerTurn[]): Promise<OpenAIChatCompletionsModel> {
  server = await startServer({ turns });
  return new OpenAIChatCompletionsModel({ model: 'compat-model', client: clientFor(server.url) });
}

/** One model call replaying the fixture `name`. */
async function replay(name: string) {
  const recorded = compat(name);
  const model = await serve({ events: recorded });
  const delivered = await collect(model.stream(modelRequest()));
  return { recorded, ...delivered };
}

const weather = tool({
  name: 'weather',
  description: 'The weather at a location.',
  parameters: z.object({ location: z.string() }),
  execute: ({ location }) => `sunny in ${location}`,
});

function agentOn(model: OpenAIChatCompletionsModel): Agent<string> {
  return new Agent({ name: 'Compat', instructions: 'Answer.', model, tools: [weather] });
}

async function eventsOf(agent: Agent<string>): Promise<RunEvent<string>[]> {
  return lastValueFrom(runStreamed(agent, 'Hello', { retry: { maxRetries: 2, initialDelayMs: 1 } }).pipe(toArray()));
}

function reasoningOf(output: readonly OutputItem[]): string | undefined {
  const item = output.find((candidate) => candidate.type === 'reasoning') as
    { content?: { type: string; text: string }[] } | undefined;
  return item?.content?.map((part) => part.text).join('');
}

const calls = (output: readonly OutputItem[]) =>
  output.filter((item): item is FunctionCallItem => item.type === 'function_call');

describe('Azure OpenAI', () => {
  it('the prompt-filter first chunk (id "") does not become the responseId: the real id of the next chunks does', async () => {
    const recorded = compat('azure-prompt-filter');
    const agent = agentOn(await serve({ events: recorded }));
    const events = await eventsOf(agent);
    const turn = events.find((event) => event.type === 'turn-completed');
    expect(turn).toMatchObject({
      responseId: 'chatcmpl-test',
      usage: { inputTokens: 15, outputTokens: 5, totalTokens: 20 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'Hello World' });
    // content_filter_results, content_filter_offsets and the choice without a delta are kept, untouched.
    expect(events.filter((event) => event.type === 'raw').map((event) => event.data)).toEqual(recorded);
  });

  it('finish_reason content_filter fails the run with code content_filter, naming the flagged category, not retried', async () => {
    const agent = agentOn(await serve({ events: compat('azure-content-filter') }));
    const error = await run(agent, 'Hello', { retry: { maxRetries: 2, initialDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelProviderError);
    const failure = error as ModelProviderError;
    expect(failure.code).toBe('content_filter');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toContain('content filter');
    expect(failure.message).toContain('violence');
    expect(failure.usage).toEqual({ requests: 1, inputTokens: 21, outputTokens: 4, totalTokens: 25 });
    expect(failure.partial?.text).toBe('The duel ends when');
    expect(server?.requests).toHaveLength(1);
  });
});

describe('Mistral', () => {
  it('content as a list of thinking and text parts: text is the answer, thinking is reasoning, never a malformed event', async () => {
    const { recorded, events, error } = await replay('mistral-thinking-parts');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('391');
    expect(rawOf(events)).toEqual(recorded);
    const { output, id, usage } = responseOf(events);
    expect(id).toBe('ed56a5f5c9254b8981e89c2ecfdd6a8d');
    expect(usage).toEqual({ requests: 1, inputTokens: 28, outputTokens: 139, totalTokens: 167 });
    const reasoning = reasoningOf(output);
    expect(reasoning).toMatch(/^Okay, the user is asking for the product of 17 and 23\./);
    expect(reasoning).toContain('17 * 23 = 391.');
    expect(output.at(-1)).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: '391', annotations: [] }],
      status: 'completed',
    });
  });

  it('a magistral run answers with the text parts only, in one request, and keeps the reasoning item in newItems', async () => {
    const agent = agentOn(await serve({ events: compat('mistral-magistral-reasoning') }));
    const result = await run(agent, 'What is 2+2?', { retry: { maxRetries: 2, initialDelayMs: 1 } });
    expect(result.finalOutput).toBe('2 + 2 = 4');
    expect(server?.requests).toHaveLength(1);
    expect(reasoningOf(result.newItems)).toBe('The user is asking for 2+2. This is basic arithmetic. 2+2=4.');
    expect(result.usage).toEqual({ requests: 1, inputTokens: 10, outputTokens: 46, totalTokens: 56 });
  });

  it('a tool call without index, its arguments whole in one delta, finish reason and usage in the same chunk', async () => {
    const model = await serve({ events: compat('mistral-tool-call-no-index') }, { text: 'Sunny.' });
    const events = await eventsOf(agentOn(model));
    const call = events.find((event) => event.type === 'tool-call');
    expect(call).toMatchObject({ callId: 'gSIMJiOkT', name: 'weather', arguments: { location: 'San Francisco' } });
    expect(events.find((event) => event.type === 'turn-completed')).toMatchObject({
      responseId: 'b3999b8c93e04e11bcbff7bcab829667',
      usage: { inputTokens: 124, outputTokens: 22, totalTokens: 146 },
    });
    const messages = (server?.requests[1]?.body as { messages: { role: string; tool_call_id?: string }[] }).messages;
    expect(messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'gSIMJiOkT' });
    expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'Sunny.' });
  });

  it('a choices: [] chunk in the middle of the stream adds nothing', async () => {
    const { events, error } = await replay('mistral-empty-choices');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Hello!');
    expect(responseOf(events)).toMatchObject({
      id: 'abc123',
      usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 },
    });
  });
});

describe('reasoning fields', () => {
  it('DeepSeek: reasoning_content is reasoning, not text; the tool call after it is read', async () => {
    const { events, error } = await replay('deepseek-reasoning-tool-call');
    expect(error).toBeUndefined();
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([]);
    const { output, usage } = responseOf(events);
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    expect(reasoningOf(output)).toMatch(/^The user/);
    expect(calls(output)).toHaveLength(1);
    expect(JSON.parse(calls(output)[0]!.arguments)).toEqual({ location: 'San Francisco' });
    expect(usage).toEqual({ requests: 1, inputTokens: 339, outputTokens: 83, totalTokens: 422 });
  });

  it('Groq: the reasoning field (qwen3) is reasoning, not text; usage from the finishing chunk', async () => {
    const { recorded, events, error } = await replay('groq-reasoning-field');
    expect(error).toBeUndefined();
    const reasoning = reasoningOf(responseOf(events).output) ?? '';
    expect(reasoning).toMatch(/^Okay, let me try to figure out how many times the letter 'r' appears/);
    const text = textOf(events);
    expect(text.startsWith('The word')).toBe(true);
    expect(text).not.toContain('Okay, let me');
    expect(rawOf(events)).toHaveLength(recorded.length);
    expect(responseOf(events).usage).toEqual({ requests: 1, inputTokens: 17, outputTokens: 1107, totalTokens: 1124 });
  });

  it('vLLM: reasoning_content is reasoning; a server that sends no usage at all gives zeros, not a crash', async () => {
    const { events, error } = await replay('vllm-reasoning-no-usage');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('9.8 is greater.');
    const { output, usage } = responseOf(events);
    expect(reasoningOf(output)).toBe('9.11 and 9.8: compare the tenths: 1 < 8.');
    expect(usage).toEqual({ requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it('vLLM in its rename: reasoning and reasoning_content both carry the same text, read once', async () => {
    const { events, error } = await replay('vllm-reasoning-both-fields');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Hi!');
    const { output, usage } = responseOf(events);
    expect(reasoningOf(output)).toBe('Greet back, briefly.');
    expect(usage).toEqual({ requests: 1, inputTokens: 12, outputTokens: 8, totalTokens: 20 });
  });

  it('OpenRouter: reasoning (with reasoning_details beside it) is reasoning; usage from a last chunk that has a choice', async () => {
    const { recorded, events, error } = await replay('openrouter-reasoning');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Hello!');
    const { output, usage, id } = responseOf(events);
    expect(id).toBe('gen-1765000000-AbCdEfGhIjKlMnOp');
    expect(reasoningOf(output)).toBe('The user wants a greeting.');
    expect(usage).toEqual({ requests: 1, inputTokens: 9, outputTokens: 12, totalTokens: 21 });
    expect(rawOf(events)).toEqual(recorded);
  });

  it('tool_calls: [] beside reasoning_content and content in every delta is no tool call', async () => {
    const { events, error } = await replay('compatible-empty-tool-calls');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Hello');
    const { output } = responseOf(events);
    expect(calls(output)).toEqual([]);
    expect(reasoningOf(output)).toBe('Think more...');
  });

  it('the reasoning item is not sent back to a Chat Completions server in the next turn', async () => {
    const model = await serve({ events: compat('deepseek-reasoning-tool-call') }, { text: 'Sunny.' });
    const result = await run(agentOn(model), 'Weather?');
    expect(result.finalOutput).toBe('Sunny.');
    const messages = (server?.requests[1]?.body as { messages: Record<string, unknown>[] }).messages;
    expect(messages.map((message) => message['role'])).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(JSON.stringify(messages)).not.toContain('reasoning');
  });
});

describe('tool calls', () => {
  it('Groq: a call whose arguments arrive whole in one delta; usage beside x_groq in the finishing chunk', async () => {
    const { events, error } = await replay('groq-tool-call-whole');
    expect(error).toBeUndefined();
    const { output, usage } = responseOf(events);
    expect(calls(output)).toEqual([{ type: 'function_call', call_id: 'tk85n1k4m', name: 'weather', arguments: '{}' }]);
    expect(usage).toEqual({ requests: 1, inputTokens: 210, outputTokens: 15, totalTokens: 225 });
  });

  it("Gemini: calls without index, one whole and one in pieces with an empty-string id, finish_reason 'stop': both run", async () => {
    const model = await serve({ events: compat('gemini-tool-calls-no-index') }, { text: 'Both sunny.' });
    const events = await eventsOf(agentOn(model));
    expect(events.filter((event) => event.type === 'tool-call')).toMatchObject([
      { callId: 'function-call-1', arguments: { location: 'Sydney' } },
      { callId: 'function-call-2', arguments: { location: 'Paris' } },
    ]);
    expect(events.filter((event) => event.type === 'tool-output').map((event) => event.output)).toEqual([
      'sunny in Sydney',
      'sunny in Paris',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'Both sunny.' });
  });

  it('a proxy that numbers every call 0: a new id at the same index is a new call', async () => {
    const { events, error } = await replay('proxy-tool-calls-all-index-0');
    expect(error).toBeUndefined();
    expect(calls(responseOf(events).output)).toEqual([
      { type: 'function_call', call_id: 'call_sydney', name: 'weather', arguments: '{"location":"Sydney"}' },
      { type: 'function_call', call_id: 'call_paris', name: 'weather', arguments: '{"location":"Paris"}' },
    ]);
  });

  it("a proxy that sends neither index nor id (id ''): each delta with a name starts a call, one without continues it", async () => {
    const model = await serve({ events: compat('proxy-tool-calls-no-id-no-index') }, { text: 'All sunny.' });
    const events = await eventsOf(agentOn(model));
    expect(events.filter((event) => event.type === 'tool-call')).toMatchObject([
      { callId: 'call_0', arguments: { location: 'Oslo' } },
      { callId: 'call_1', arguments: { location: 'Lima' } },
      { callId: 'call_2', arguments: { location: 'Quito' } },
    ]);
    const messages = (server?.requests[1]?.body as { messages: { role: string; tool_call_id?: string }[] }).messages;
    expect(messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id)).toEqual([
      'call_0',
      'call_1',
      'call_2',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'All sunny.' });
  });

  it('Ollama: two whole calls in one chunk', async () => {
    const { events, error } = await replay('ollama-two-tool-calls-one-chunk');
    expect(error).toBeUndefined();
    const { output, usage } = responseOf(events);
    expect(calls(output).map((call) => [call.call_id, JSON.parse(call.arguments)])).toEqual([
      ['call_k3c9a1xb', { location: 'Oslo' }],
      ['call_p0q2z7ye', { location: 'Lima' }],
    ]);
    expect(reasoningOf(output)).toBe('Two cities, two calls.');
    expect(usage).toEqual({ requests: 1, inputTokens: 151, outputTokens: 48, totalTokens: 199 });
  });
});

describe('ids and endings', () => {
  it("a proxy's placeholder first chunk (id '', model '') does not become the id", async () => {
    const { events, error } = await replay('proxy-placeholder-first-chunk');
    expect(error).toBeUndefined();
    expect(responseOf(events)).toMatchObject({
      id: 'chatcmpl-123',
      usage: { inputTokens: 10, outputTokens: 1, totalTokens: 11 },
    });
  });

  it('finish_reason length fails the run with code max_output_tokens, its usage and partial text, not retried', async () => {
    const agent = agentOn(await serve({ events: compat('compatible-length') }));
    const error = await run(agent, 'Hello', { retry: { maxRetries: 2, initialDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ code: 'max_output_tokens', retryable: false });
    expect((error as ModelProviderError).usage).toEqual({
      requests: 1,
      inputTokens: 30,
      outputTokens: 8,
      totalTokens: 38,
    });
    expect((error as ModelProviderError).partial?.text).toBe('Lisbon, because in May the');
    expect(server?.requests).toHaveLength(1);
  });
});

describe('what stays malformed', () => {
  const chunk = (delta: object, finish_reason: string | null = null): object => ({
    id: 'chatcmpl-bad',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason }],
  });

  it.each([
    ['content that is a number', 42, /content that is neither a string nor a list of parts/],
    ['a content part that is not an object', ['Hi'], /a content part that is not an object/],
    ['a text part without text', [{ type: 'text', text: 7 }], /a text content part without text/],
  ])('%s fails as a malformed event', async (_name, content, message) => {
    const model = await serve({ events: [chunk({ content }), chunk({}, 'stop')] });
    const { error } = await collect(model.stream(modelRequest()));
    expect(error).toBeInstanceOf(ModelProviderError);
    expect((error as Error).message).toMatch(/^OpenAI Chat Completions API sent a malformed event: /);
    expect((error as Error).message).toMatch(message);
  });

  it('parts of types it does not know (Mistral reference chunks) and reasoning that is not a string add nothing', async () => {
    const model = await serve({
      events: [
        chunk({ content: [{ type: 'reference', reference_ids: [1, 2] }], reasoning: { effort: 'low' } }),
        chunk({ content: [{ type: 'text', text: 'Cited.' }] }, 'stop'),
      ],
    });
    const { events, error } = await collect(model.stream(modelRequest()));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Cited.');
    expect(responseOf(events).output.map((item) => item.type)).toEqual(['message']);
  });
});

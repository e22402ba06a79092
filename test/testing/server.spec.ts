import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import OpenAI, { APIError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadFixture,
  splitResponses,
  startServer,
  startServerProcess,
  type LocalServer,
  type RecordedRequest,
  type ServerTurn,
} from '../../src/testing/server/index.js';
import { until } from '../helpers/waiting.js';

const fixture = (name: string): unknown[] => loadFixture(new URL(`../fixtures/openai/${name}`, import.meta.url));

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...turns: ServerTurn[]): Promise<OpenAI> {
  server = await startServer({ turns });
  return new OpenAI({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** Iterates until the stream fails; returns what arrived before, and the error. */
async function collectUntilError<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

const responsesStream = (client: OpenAI, signal?: AbortSignal) =>
  client.responses.create({ model: 'gpt-4.1-mini', input: 'Hi', stream: true }, signal ? { signal } : undefined);

const chatStream = (client: OpenAI, includeUsage = true) =>
  client.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
  });

const textDeltas = (events: ResponseStreamEvent[]): string[] =>
  events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));

/** The assistant text of a response (the SDK only adds `output_text` when it parses). */
const outputText = (response: OpenAI.Responses.Response): string =>
  response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');

const chatText = (chunks: ChatCompletionChunk[]): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

describe('startServer: Responses API', () => {
  it('streams scripted text as word-sized deltas, in the order and shapes OpenAI sends', async () => {
    const client = await serve({ text: 'Hello there, world!', usage: { inputTokens: 7, outputTokens: 3 } });
    const events = await collect(await responsesStream(client));

    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(textDeltas(events)).toEqual(['Hello', ' there,', ' world!']);
    expect(events[4]).toEqual({
      type: 'response.output_text.delta',
      sequence_number: 4,
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'Hello',
      logprobs: [],
    });
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response).toMatchObject({
      id: 'resp_1',
      created_at: 0,
      status: 'completed',
      model: 'gpt-4.1-mini',
      output: [
        {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello there, world!', annotations: [] }],
        },
      ],
      usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 },
    });
  });

  it("keeps an array's exact deltas and satisfies the SDK's responses.stream() accumulator", async () => {
    const client = await serve({ text: ['Bon', 'jour', ' !'], id: 'resp_custom' });
    const stream = client.responses.stream({ model: 'gpt-4.1-mini', input: 'Hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();

    expect(deltas).toEqual(['Bon', 'jour', ' !']);
    expect(response.id).toBe('resp_custom');
    expect(outputText(response)).toBe('Bonjour !');
    // Default usage: 10 input tokens, one output token per streamed piece.
    expect(response.usage).toMatchObject({ input_tokens: 10, output_tokens: 3, total_tokens: 13 });
  });

  it('streams tool calls as function_call items with argument deltas', async () => {
    const client = await serve({
      text: 'Checking.',
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris', days: 3 } },
        { name: 'raw', arguments: '{"not": json', callId: 'call_mine' },
      ],
    });
    const events = await collect(await responsesStream(client));
    const argumentDeltas = events.flatMap((event) =>
      event.type === 'response.function_call_arguments.delta' && event.output_index === 1 ? [event.delta] : [],
    );
    expect(argumentDeltas.length).toBeGreaterThan(1);
    expect(JSON.parse(argumentDeltas.join(''))).toEqual({ city: 'Paris', days: 3 });
    expect(events.find((event) => event.type === 'response.function_call_arguments.done')).toMatchObject({
      item_id: 'fc_1_0',
      output_index: 1,
      name: 'get_weather',
      arguments: '{"city":"Paris","days":3}',
    });

    const completed = events.at(-1);
    expect(completed?.type).toBe('response.completed');
    expect(completed?.type === 'response.completed' && completed.response.output).toEqual([
      expect.objectContaining({ type: 'message', id: 'msg_1' }),
      {
        id: 'fc_1_0',
        type: 'function_call',
        status: 'completed',
        call_id: 'call_1_0',
        name: 'get_weather',
        arguments: '{"city":"Paris","days":3}',
      },
      {
        id: 'fc_1_1',
        type: 'function_call',
        status: 'completed',
        call_id: 'call_mine',
        name: 'raw',
        arguments: '{"not": json',
      },
    ]);
  });

  it('streams a json turn in pieces that join to the JSON text', async () => {
    const answer = { destination: 'Lisbon', reason: 'Mild winters and good food.' };
    const client = await serve({ output: answer });
    const stream = client.responses.stream({ model: 'gpt-4.1-mini', input: 'Hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.every((delta) => delta.length <= 8)).toBe(true);
    expect(JSON.parse(outputText(response))).toEqual(answer);
  });

  it('echoes the request settings in the response object, as the API does', async () => {
    const client = await serve({ text: 'ok' });
    const response = await client.responses
      .stream({ model: 'gpt-4o', input: 'Hi', instructions: 'Be brief.', temperature: 0.2 })
      .finalResponse();
    expect(response).toMatchObject({ model: 'gpt-4o', instructions: 'Be brief.', temperature: 0.2 });
  });

  it('answers a non-streamed request with the final response object', async () => {
    const client = await serve({ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] });
    const response = await client.responses.create({ model: 'gpt-4.1-mini', input: 'Hi' });
    expect(response.id).toBe('resp_1');
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'function_call', name: 'add', arguments: '{"a":1,"b":2}' }),
    ]);
  });

  it('generates the same events for the same script', async () => {
    const script: ServerTurn[] = [{ text: 'Same again.' }, { toolCalls: [{ name: 't', arguments: {} }] }];
    const run = async () => {
      const client = await serve(...script);
      const events = [await collect(await responsesStream(client)), await collect(await responsesStream(client))];
      await server?.close();
      return events;
    };
    expect(await run()).toEqual(await run());
  });
});

describe('startServer: Chat Completions', () => {
  it('streams scripted text as content deltas, a finish_reason and a usage chunk', async () => {
    const client = await serve({ text: 'Hello there, world!', usage: { inputTokens: 5, outputTokens: 4 } });
    const chunks = await collect(await chatStream(client));

    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.slice(1, 4).map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['Hello', ' there,', ' world!']);
    expect(chunks.at(-2)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 0,
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
    });
    expect(chunks.every((chunk) => chunk.id === 'chatcmpl-1' && chunk.model === 'gpt-4.1-mini')).toBe(true);
  });

  it('sends no usage chunk unless the request asks for it', async () => {
    const client = await serve({ text: 'Hi' });
    const chunks = await collect(await chatStream(client, false));
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
  });

  it("streams tool calls by index and satisfies the SDK's chat.completions.stream() accumulator", async () => {
    const client = await serve({
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'San Francisco' } },
        { name: 'get_time', arguments: { zone: 'PST' }, callId: 'call_b' },
      ],
    });
    const stream = client.chat.completions.stream({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    stream.on('chunk', (chunk) => chunks.push(chunk));
    const completion = await stream.finalChatCompletion();

    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_1_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"San Francisco"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"zone":"PST"}' } },
    ]);
    const firstCallDeltas = chunks
      .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
      .filter((call) => call.index === 0);
    expect(firstCallDeltas[0]).toEqual({
      index: 0,
      id: 'call_1_0',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(firstCallDeltas.length).toBeGreaterThan(2);
  });

  it('answers a non-streamed request with a chat.completion', async () => {
    const client = await serve({ text: 'Just this.' });
    const completion = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: 'Just this.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
    });
  });
});

describe('startServer: the script', () => {
  it('serves one turn per request, in order, whichever endpoint is called', async () => {
    const client = await serve({ text: 'first' }, { text: 'second' });
    const first = await client.responses.stream({ model: 'm', input: 'Hi' }).finalResponse();
    const second = await client.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] })
      .finalChatCompletion();
    expect([first.id, outputText(first)]).toEqual(['resp_1', 'first']);
    expect([second.id, second.choices[0]?.message.content]).toEqual(['chatcmpl-2', 'second']);
  });

  it("scripts a refusal for both APIs, streamed and not, as the SDK's accumulators read it", async () => {
    const refusal = 'I can’t help with that.';
    const client = await serve({ refusal }, { refusal }, { refusal: ['I can’t', ' help.'] }, { refusal });

    const events: ResponseStreamEvent[] = [];
    const stream = client.responses.stream({ model: 'm', input: 'Hi' }).on('event', (event) => events.push(event));
    const response = await stream.finalResponse();
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array<string>(5).fill('response.refusal.delta'),
      'response.refusal.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.find((event) => event.type === 'response.refusal.done')).toMatchObject({ refusal });
    expect(response.output).toMatchObject([
      { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal }] },
    ]);
    expect(textDeltas(events)).toEqual([]);

    const plain = await client.responses.create({ model: 'm', input: 'Hi' });
    expect(plain.output[0]).toMatchObject({ type: 'message', content: [{ type: 'refusal', refusal }] });

    const chunks = await collect(await chatStream(client));
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: null, refusal: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.refusal ?? '').join('')).toBe('I can’t help.');
    expect(chatText(chunks)).toBe('');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');

    const completion = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: null, refusal });
  });

  it('takes turns pushed later', async () => {
    const client = await serve();
    server?.push({ text: 'pushed' });
    expect((await client.responses.create({ model: 'm', input: 'Hi' })).output_text).toBe('pushed');
  });

  it('answers 500 naming the exhausted script, and tells the SDK not to retry', async () => {
    server = await startServer({ turns: [{ text: 'only one' }] });
    const client = new OpenAI({ apiKey: 'test-key', baseURL: server.url }); // default retries
    await client.responses.create({ model: 'm', input: 'Hi' });
    const error = await client.responses.create({ model: 'm', input: 'Hi' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 500, code: 'script_exhausted' });
    expect((error as Error).message).toMatch(/script is exhausted/);
    expect(server.requests).toHaveLength(2);
  });

  it('answers 404 JSON for unknown paths', async () => {
    server = await startServer({ turns: [{ text: 'unused' }] });
    const response = await fetch(`${server.url}/models`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'unknown_url' } });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
  });
});

describe('startServer: replaying the recorded fixtures', () => {
  it('text-two-messages: the text deltas join to the recorded text', async () => {
    const client = await serve({ events: fixture('responses/text-two-messages.jsonl') });
    const events = await collect(await responsesStream(client));
    expect(events).toHaveLength(17);
    expect(textDeltas(events).join('')).toBe('Got itHere are a few **AI');
  });

  it('calculator-four-turns: four responses, three calculator calls, then the answer', async () => {
    const pieces = splitResponses(fixture('responses/calculator-four-turns.jsonl'));
    expect(pieces).toHaveLength(4);
    const client = await serve(...pieces.map((events) => ({ events })));
    const responses: OpenAI.Responses.Response[] = [];
    for (let turn = 0; turn < 4; turn += 1) {
      const events = await collect(await responsesStream(client));
      const completed = events.at(-1);
      if (completed?.type !== 'response.completed') throw new Error('no response.completed');
      responses.push(completed.response);
    }
    const calls = responses.flatMap((response) =>
      response.output.flatMap((item) => (item.type === 'function_call' ? [JSON.parse(item.arguments)] : [])),
    );
    expect(calls).toEqual([
      { a: 12, b: 7, op: 'add' },
      { a: 19, b: 3, op: 'multiply' },
      { a: 57, b: 10, op: 'multiply' },
    ]);
    const last = responses[3]?.output.find((item) => item.type === 'message');
    expect(last?.type === 'message' && last.content[0]?.type === 'output_text' && last.content[0].text).toBe(
      'The final result is **570**.',
    );
    const sum = (pick: (usage: NonNullable<OpenAI.Responses.Response['usage']>) => number) =>
      responses.reduce((total, response) => total + (response.usage ? pick(response.usage) : 0), 0);
    expect([sum((u) => u.input_tokens), sum((u) => u.output_tokens), sum((u) => u.total_tokens)]).toEqual([
      914, 92, 1006,
    ]);
  });

  it('failed-with-error-event: the SDK throws the recorded error', async () => {
    const client = await serve({ events: fixture('responses/failed-with-error-event.jsonl') });
    const { items, error } = await collectUntilError(await responsesStream(client));
    expect(items.map((event) => event.type)).toEqual(['response.created', 'response.in_progress']);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ code: 'insufficient_quota' });
    expect((error as Error).message).toMatch(/You exceeded your current quota/);
  });

  it('text-300-chunks: 1,724 characters of text and usage 16 / 300 / 316', async () => {
    const recorded = fixture('chat/text-300-chunks.jsonl');
    const client = await serve({ events: recorded });
    const chunks = await collect(await chatStream(client));
    expect(chunks).toEqual(recorded);
    expect(chatText(chunks)).toHaveLength(1724);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 300, total_tokens: 316 });
  });

  it('xai-tool-call: one weather call whose arguments parse', async () => {
    const client = await serve({ events: fixture('chat/xai-tool-call.jsonl') });
    const chunks = await collect(await chatStream(client));
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.function?.name).toBe('weather');
    expect(JSON.parse(calls[0]?.function?.arguments ?? '')).toEqual({ location: 'San Francisco' });
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('startServer: faults', () => {
  it('status: answers with that status, the given headers and an OpenAI-style error', async () => {
    const client = await serve({ status: 429, headers: { 'retry-after': '7' } }, { text: 'after' });
    const error = await responsesStream(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    expect((error as APIError).headers?.get('retry-after')).toBe('7');
    // The fault used up its turn; the next request gets the next one.
    expect((await client.responses.create({ model: 'm', input: 'Hi' })).output_text).toBe('after');
  });

  it('status: a custom body, and the SDK retrying 5xx on its own', async () => {
    server = await startServer({
      turns: [
        { status: 503, headers: { 'retry-after-ms': '10' }, body: { error: { message: 'busy', code: 'overloaded' } } },
        { text: 'recovered' },
      ],
    });
    const client = new OpenAI({ apiKey: 'test-key', baseURL: server.url, maxRetries: 1 });
    expect((await client.responses.create({ model: 'm', input: 'Hi' })).output_text).toBe('recovered');
    expect(server.requests).toHaveLength(2);

    server.push({ status: 503, body: { error: { message: 'busy', code: 'overloaded' } } });
    const error = await client.responses
      .create({ model: 'm', input: 'Hi' }, { maxRetries: 0 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 503, code: 'overloaded' });
    expect((error as Error).message).toMatch(/busy/);
  });

  it('dropAfter: destroys the socket after N events', async () => {
    const client = await serve({ text: 'one two three four five', dropAfter: 3 });
    const { items, error } = await collectUntilError(await responsesStream(client));
    expect(items).toHaveLength(3);
    expect(error).toBeInstanceOf(Error);
    await until(() => server?.requests[0]?.closedAt !== undefined);
    expect(server?.requests[0]?.aborted).toBe(false); // the server dropped it, not the client
  });

  it('dropAfter on Chat Completions: no [DONE], the stream fails', async () => {
    const client = await serve({ text: 'one two three', dropAfter: 2 });
    const { items, error } = await collectUntilError(await chatStream(client));
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(Error);
  });

  it('stallAfter: sends N events, then holds the socket open until the client leaves', async () => {
    const client = await serve({ text: 'one two three', stallAfter: 2 });
    const controller = new AbortController();
    const received: string[] = [];
    let abortedAt = 0;
    const iterating = (async () => {
      for await (const event of await responsesStream(client, controller.signal)) received.push(event.type);
    })();
    await until(() => received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(received).toEqual(['response.created', 'response.in_progress']);
    expect(server?.requests[0]?.closedAt).toBeUndefined();

    abortedAt = performance.now();
    controller.abort();
    await iterating; // an abort ends the SDK's iteration quietly
    await until(() => server?.requests[0]?.closedAt !== undefined);
    const record = server?.requests[0] as RecordedRequest;
    expect(record.aborted).toBe(true);
    expect(record.closedAt! - abortedAt).toBeLessThan(100);
  });

  it('badLineAfter: a line that is not JSON makes the SDK throw', async () => {
    const client = await serve({ text: 'one two three', badLineAfter: 1 });
    const { items, error } = await collectUntilError(await responsesStream(client));
    expect(items).toHaveLength(1);
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('delayMs: waits between events', async () => {
    const client = await serve({ text: ['a', 'b', 'c'], delayMs: 40 });
    const times: number[] = [];
    for await (const _chunk of await chatStream(client)) times.push(performance.now());
    expect(times).toHaveLength(6); // role, 3 deltas, finish, usage
    const gaps = times.slice(1).map((time, index) => time - (times[index] as number));
    expect(Math.min(...gaps)).toBeGreaterThan(25);
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(5 * 35);
  });
});

describe('startServer: recorded requests', () => {
  it('records method, path, headers, parsed body and times', async () => {
    const client = await serve({ text: 'ok' });
    const before = performance.now();
    await collect(await responsesStream(client));
    await until(() => server?.requests[0]?.closedAt !== undefined);
    const [record] = server?.requests ?? [];
    expect(record).toMatchObject({
      method: 'POST',
      path: '/v1/responses',
      body: { model: 'gpt-4.1-mini', input: 'Hi', stream: true },
      aborted: false,
    });
    expect(record?.headers['authorization']).toBe('Bearer test-key');
    expect(record?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(record?.closedAt).toBeGreaterThanOrEqual(record?.receivedAt ?? Infinity);
  });

  it('records that the client aborted mid-stream, and when the socket closed', async () => {
    const client = await serve({ text: 'one two three four five six', delayMs: 50 });
    const controller = new AbortController();
    let abortedAt = 0;
    for await (const event of await responsesStream(client, controller.signal)) {
      if (event.type === 'response.output_item.added') {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    await until(() => server?.requests[0]?.closedAt !== undefined);
    const record = server?.requests[0] as RecordedRequest;
    expect(record.aborted).toBe(true);
    expect(record.closedAt! - abortedAt).toBeLessThan(100);
  });

  it('close() ends a stalled response and leaves nothing listening', async () => {
    const client = await serve({ text: 'never finished', stallAfter: 1 });
    const stream = await responsesStream(client);
    const outcome = collectUntilError(stream);
    await until(() => server?.requests.length === 1);
    const url = server!.url;
    await server?.close();
    const { items, error } = await outcome;
    expect(items).toHaveLength(1);
    expect(error).toBeInstanceOf(Error);
    expect(server?.requests[0]?.aborted).toBe(false);
    await expect(fetch(`${url}/responses`, { method: 'POST' })).rejects.toThrow();
  });
});

describe('startServerProcess', () => {
  it('serves from a child process, so a blocked calling thread still gets answers', async () => {
    const child = await startServerProcess({ turns: [{ text: 'from the child' }, { text: 'second' }] });
    try {
      const client = new OpenAI({ apiKey: 'test-key', baseURL: child.url, maxRetries: 0 });
      const before = performance.now();
      const response = await client.responses.stream({ model: 'm', input: 'Hi' }).finalResponse();
      expect(outputText(response)).toBe('from the child');

      // spawnSync blocks this thread until the other process's request is answered: a server
      // on this thread could never answer it.
      const script = `const r = await fetch(process.argv[1] + '/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'x' }) }); const j = await r.json(); console.log(j.output[0].content[0].text);`;
      const blocked = spawnSync(process.execPath, ['--input-type=module', '-e', script, child.url], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(blocked.stdout.trim()).toBe('second');

      const requests = await child.requests();
      expect(requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
      expect(requests[0]?.body).toMatchObject({ model: 'm', input: 'Hi', stream: true });
      // Times are moved onto this process's performance.now() clock.
      expect(requests[0]?.receivedAt).toBeGreaterThanOrEqual(before - 5);
      expect(requests[0]?.receivedAt).toBeLessThanOrEqual(performance.now());
    } finally {
      await child.close();
    }
    await expect(fetch(`${child.url}/responses`, { method: 'POST' })).rejects.toThrow();
  });
});

/**
 * Runs whose history the model's server keeps: `previousResponseId` and `conversationId`, over
 * loopback HTTP with the real `openai` client and the local server, which keeps responses and
 * conversations as OpenAI does. The recorded requests show what each one sent (`body.input`) and
 * what the model saw (`history`).
 */
import OpenAI from 'openai';
import { OpenAIConversationsSession } from '../../src/sessions/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  runSync,
  tool,
  type InputItem,
} from '../../src/index.js';
import {
  startServer,
  startServerProcess,
  type LocalServer,
  type RecordedRequest,
  type ServerOptions,
  type ServerProcess,
} from '../../src/testing/server/index.js';

let server: LocalServer | undefined;
let process: ServerProcess | undefined;
afterEach(async () => {
  await server?.close();
  await process?.close();
  server = undefined;
  process = undefined;
});

const client = (url: string) => new OpenAI({ apiKey: 'sk-test-history', baseURL: url, maxRetries: 0 });
const weather = tool({
  name: 'weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `Sunny in ${city}`,
});
const agentOn = (url: string) =>
  new Agent({
    name: 'Travel',
    instructions: 'Be brief.',
    model: new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client: client(url) }),
    tools: [weather],
  });

async function serve(options: ServerOptions): Promise<{ server: LocalServer; openai: OpenAI }> {
  server = await startServer(options);
  return { server, openai: client(server.url) };
}

/** What a Promise rejected with; fails the test when it resolved. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (error: unknown) => error,
  );
const modelRequests = (requests: readonly RecordedRequest[]) =>
  requests.filter((request) => request.path === '/v1/responses');
const sent = (request: RecordedRequest | undefined) => request?.body as Record<string, unknown>;
const user = (text: string): InputItem => ({ type: 'message', role: 'user', content: text });
const toolTurn = { toolCalls: [{ name: 'weather', arguments: { city: 'Lisbon' }, callId: 'call_w' }] };
const toolOutput = { type: 'function_call_output', call_id: 'call_w', output: 'Sunny in Lisbon' };

describe('previousResponseId', () => {
  it('the first call continues the given response with the run’s input; each later one the last response with only the new items', async () => {
    const { server, openai } = await serve({ turns: [{ text: 'Hello Ana.' }, toolTurn, { text: 'Go to Lisbon.' }] });
    const earlier = await openai.responses.create({ model: 'gpt-4.1-mini', input: 'I am Ana.' });

    const result = await run(agentOn(server.url), 'Where in May?', { previousResponseId: earlier.id });

    expect(result.finalOutput).toBe('Go to Lisbon.');
    const [, first, second] = modelRequests(server.requests);
    expect(sent(first)).toMatchObject({ previous_response_id: 'resp_1', input: [user('Where in May?')] });
    expect(sent(first)).not.toHaveProperty('conversation');
    // Only the tool's output: the call it answers is in the response the server kept.
    expect(sent(second)).toMatchObject({ previous_response_id: 'resp_2', input: [toolOutput] });
    // The model saw it all, in order.
    expect(second?.history?.map((item) => (item as { type?: string }).type ?? 'message')).toEqual([
      'message', // I am Ana.
      'message', // Hello Ana.
      'message', // Where in May?
      'function_call',
      'function_call_output',
    ]);
    // The run's own view is the whole of what it saw and made, as without the option.
    expect(result.history.map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
      'message',
    ]);
    expect(result.newItems).toHaveLength(3);
    expect(result.rawResponses.map((response) => response.id)).toEqual(['resp_2', 'resp_3']);
  });

  it('an id the server does not know fails the run with its 400', async () => {
    const { server } = await serve({ turns: [{ text: 'unused' }] });
    const error = await rejection(run(agentOn(server.url), 'Hi', { previousResponseId: 'resp_unknown' }));
    expect(error).toMatchObject({ status: 400, code: 'previous_response_not_found' });
  });
});

describe('conversationId', () => {
  it('every call names the conversation and sends only what it lacks; a second run on it remembers', async () => {
    const { server, openai } = await serve({
      turns: [toolTurn, { text: 'Go to Lisbon.' }],
      // The second run's answer says what the model was given of the first.
      respond: (request) => ({
        text: request.api === 'responses' ? `You asked: ${firstUserText(request.history)}` : '',
      }),
    });
    const { id } = await openai.conversations.create();
    const agent = agentOn(server.url);

    const first = await run(agent, 'Where in May?', { conversationId: id });
    expect(first.finalOutput).toBe('Go to Lisbon.');
    const [one, two] = modelRequests(server.requests);
    expect(sent(one)).toMatchObject({ conversation: id, input: [user('Where in May?')] });
    expect(sent(one)).not.toHaveProperty('previous_response_id');
    expect(sent(two)).toMatchObject({ conversation: id, input: [toolOutput] });
    const kept = await openai.conversations.items.list(id, { order: 'asc' });
    expect(kept.data.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);

    const second = await run(agent, 'And in June?', { conversationId: id });
    expect(second.finalOutput).toBe('You asked: Where in May?');
    const three = modelRequests(server.requests)[2];
    expect(sent(three)).toMatchObject({ conversation: id, input: [user('And in June?')] });
    expect(three?.history).toHaveLength(5);
    expect(second.history).toEqual([user('And in June?'), ...second.newItems]);
  });
});

describe('a session whose server keeps the conversation (OpenAIConversationsSession)', () => {
  it('a run names the conversation and sends only new items; the next run on the session remembers', async () => {
    const { server, openai } = await serve({
      turns: [toolTurn, { text: 'Go to Lisbon.' }],
      respond: (request) => ({
        text: request.api === 'responses' ? `You asked: ${firstUserText(request.history)}` : '',
      }),
    });
    const session = new OpenAIConversationsSession({ client: openai });
    const agent = agentOn(server.url);

    await run(agent, 'Where in May?', { session });
    const id = await session.conversationId();
    const [one, two] = modelRequests(server.requests);
    expect(sent(one)).toMatchObject({ conversation: id, input: [user('Where in May?')] });
    expect(sent(two)).toMatchObject({ conversation: id, input: [toolOutput] });
    // The server recorded the turns; the run added nothing itself (no items.create requests).
    expect(server.requests.filter((request) => request.path.endsWith('/items') && request.method === 'POST')).toEqual(
      [],
    );
    expect((await session.getItems()).map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
      'message',
    ]);

    const second = await run(agent, 'And in June?', { session });
    expect(second.finalOutput).toBe('You asked: Where in May?');
    expect(sent(modelRequests(server.requests)[2])).toMatchObject({ conversation: id, input: [user('And in June?')] });
  });

  it('is not given with previousResponseId or conversationId', () => {
    const agent = agentOn('http://127.0.0.1:9');
    const session = new OpenAIConversationsSession({ client: client('http://127.0.0.1:9') });
    expect(() => run(agent, 'Hi', { session, conversationId: 'conv_1' })).toThrow(/a session, or previousResponseId/);
  });
});

function firstUserText(items: readonly unknown[]): string {
  const message = items.find((item) => (item as { role?: unknown }).role === 'user') as { content: unknown };
  const content = message.content;
  return typeof content === 'string' ? content : (content as { text: string }[])[0]!.text;
}

describe('the options are checked where they are given', () => {
  it.each([
    [{ previousResponseId: '' }, 'options.previousResponseId'],
    [{ conversationId: 42 as unknown as string }, 'options.conversationId'],
    [{ previousResponseId: 'resp_1', conversationId: 'conv_1' }, 'options.conversationId'],
  ])('%j', (options, argument) => {
    const agent = new Agent({ name: 'A', model: new OpenAIResponsesModel({ model: 'm', client: client('http://x') }) });
    const error = (() => {
      try {
        void run(agent, 'Hi', options);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ argument });
  });
});

describe('Chat Completions refuses them', () => {
  it.each([
    ['previousResponseId', { previousResponseId: 'resp_1' }],
    ['conversationId', { conversationId: 'conv_1' }],
  ])('%s: the run fails with InvalidArgumentError naming it, and nothing is sent', async (option, options) => {
    const { server } = await serve({ turns: [{ text: 'unused' }] });
    const model = new OpenAIChatCompletionsModel({ model: 'llama3.2', client: client(server.url) });
    const error = await rejection(run(new Agent({ name: 'A', model }), 'Hi', options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ argument: option });
    expect((error as Error).message).toMatch(/Responses API/);
    expect(server.requests).toEqual([]);
  });
});

describe('runSync', () => {
  it('carries previousResponseId and conversationId to the worker that makes the calls', async () => {
    process = await startServerProcess({ turns: [{ text: 'Hi.' }, toolTurn, { text: 'Lisbon.' }, { text: 'Yes.' }] });
    const openai = client(process.url);
    const earlier = await openai.responses.create({ model: 'gpt-4.1-mini', input: 'I am Ana.' });
    const { id } = await openai.conversations.create();
    const agent = agentOn(process.url);

    expect(runSync(agent, 'Where?', { previousResponseId: earlier.id }).finalOutput).toBe('Lisbon.');
    expect(runSync(agent, 'Sure?', { conversationId: id }).finalOutput).toBe('Yes.');

    const [, first, second, third] = modelRequests(await process.requests());
    expect(sent(first)).toMatchObject({ previous_response_id: earlier.id, input: [user('Where?')] });
    expect(sent(second)).toMatchObject({ previous_response_id: 'resp_2', input: [toolOutput] });
    expect(sent(third)).toMatchObject({ conversation: id, input: [user('Sure?')] });
  });

  it('a Chat Completions model refuses them with the same InvalidArgumentError', async () => {
    process = await startServerProcess({ turns: [{ text: 'unused' }] });
    const model = new OpenAIChatCompletionsModel({ model: 'llama3.2', client: client(process.url) });
    let error: unknown;
    try {
      runSync(new Agent({ name: 'A', model }), 'Hi', { conversationId: 'conv_1' });
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'conversationId' });
    expect(await process.requests()).toEqual([]);
  });
});

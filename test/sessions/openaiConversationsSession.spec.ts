/**
 * OpenAIConversationsSession over loopback HTTP, with the real `openai` client and the local
 * server's Conversations API.
 */
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  ModelProviderError,
  OpenAIResponsesModel,
  run,
  tool,
  type InputItem,
} from '../../src/index.js';
import { OpenAIConversationsSession } from '../../src/sessions/index.js';
import { startServer, type LocalServer, type ServerTurn } from '../../src/testing/server/index.js';
import { describeSessionConformance } from './sessionConformance.js';
import { conversationItemTypes, storedByOpenAI } from './storedByOpenAI.js';

const apiKey = 'sk-test-conversations-secret';
let server: LocalServer | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

async function serve(...turns: ServerTurn[]): Promise<{ server: LocalServer; client: OpenAI }> {
  server = await startServer({ turns });
  return { server, client: new OpenAI({ apiKey, baseURL: server.url, maxRetries: 0 }) };
}

const user = (text: string): InputItem => ({ type: 'message', role: 'user', content: text });
/** An item's text, as stored (content parts) or as given (a string). */
const textOf = (item: InputItem | undefined): string | undefined => {
  const content = (item as { content?: unknown } | undefined)?.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? (content[0] as { text?: string } | undefined)?.text : undefined;
};
const texts = (items: readonly InputItem[]) => items.map(textOf);
const calls = (requests: LocalServer['requests']) => requests.map((request) => `${request.method} ${request.path}`);

describe('OpenAIConversationsSession over the local server', () => {
  // One server for the whole suite; each of the suite's session ids is one conversation, so that
  // a second instance on an id opens the conversation the first one wrote.
  let suiteServer: LocalServer;
  let client: OpenAI;
  const conversations = new Map<string, string>();
  beforeAll(async () => {
    suiteServer = await startServer();
    client = new OpenAI({ apiKey, baseURL: suiteServer.url, maxRetries: 0 });
  });
  afterAll(() => suiteServer.close());

  describeSessionConformance(
    'OpenAIConversationsSession',
    async (sessionId) => {
      let conversationId = conversations.get(sessionId);
      if (conversationId === undefined) {
        conversationId = (await client.conversations.create()).id;
        conversations.set(sessionId, conversationId);
      }
      return new OpenAIConversationsSession({ client, conversationId });
    },
    {
      sharedStore: true,
      storedAs: storedByOpenAI,
      itemTypes: conversationItemTypes,
      clearDeletesConversation: true,
      // Deletes the session's conversation (one another instance deleted already counts as cleared).
      cleanup: (session) => session.clear(),
    },
  );

  it('the suite leaves no conversation behind', async () => {
    for (const id of conversations.values()) {
      await expect(client.conversations.retrieve(id)).rejects.toMatchObject({ status: 404 });
    }
    expect(conversations.size).toBeGreaterThan(10);
  });
});

describe('OpenAIConversationsSession', () => {
  it('a new session is empty, and makes no request until it needs a conversation', async () => {
    const { server, client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    expect(await session.getItems()).toEqual([]);
    expect(await session.getItems(3)).toEqual([]);
    expect(await session.popItem()).toBeUndefined();
    await session.clear();
    await session.addItems([]);
    expect(server.requests).toEqual([]);
  });

  it('adds items in order and gives them back oldest first, as OpenAI stores them', async () => {
    const { client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    await session.addItems([user('one'), user('two')]);
    await session.addItems([{ type: 'message', role: 'assistant', content: 'three' }]);
    const items = await session.getItems();
    expect(texts(items)).toEqual(['one', 'two', 'three']);
    expect(items[0]).toEqual({
      id: 'msg_i1',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_text', text: 'one' }],
    });
    expect(await session.conversationId()).toBe('conv_1');
  });

  it('round-trips tool calls and their outputs', async () => {
    const { client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    const items = [
      user('Weather?'),
      { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{"city":"Lisbon"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'Sunny' },
    ] as InputItem[];
    await session.addItems(items);
    const back = await session.getItems();
    expect(back[1]).toMatchObject(items[1]!);
    expect(back[2]).toMatchObject(items[2]!);
    // What it gives back can be given again, to another session.
    const copy = new OpenAIConversationsSession({ client });
    await copy.addItems(back);
    expect((await copy.getItems()).map(({ type }) => type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
    ]);
  });

  it('getItems(limit): the most recent items, oldest first', async () => {
    const { client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    await session.addItems(['a', 'b', 'c', 'd'].map(user));
    expect(texts(await session.getItems(2))).toEqual(['c', 'd']);
    expect(texts(await session.getItems(10))).toEqual(['a', 'b', 'c', 'd']);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(session.getItems(bad)).rejects.toSatisfy((error) => InvalidArgumentError.isInstance(error));
    }
  });

  it('adds 20 items a request and reads every page', async () => {
    const { server, client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    const many = Array.from({ length: 130 }, (_, index) => user(`m${index}`));
    await session.addItems(many);
    const adds = calls(server.requests).filter((call) => call === 'POST /v1/conversations/conv_1/items');
    expect(adds).toHaveLength(7);
    const all = await session.getItems();
    expect(texts(all)).toEqual(many.map(textOf));
    expect(texts(await session.getItems(105))).toEqual(many.slice(25).map(textOf));
  });

  it('popItem removes the most recent item and gives it, until the conversation is empty', async () => {
    const { client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    await session.addItems([user('first'), user('second')]);
    expect(textOf(await session.popItem())).toBe('second');
    expect(texts(await session.getItems())).toEqual(['first']);
    expect(textOf(await session.popItem())).toBe('first');
    expect(await session.popItem()).toBeUndefined();
  });

  it('two popItems at once take two different items', async () => {
    const { client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    await session.addItems([user('a'), user('b'), user('c')]);
    const popped = await Promise.all([session.popItem(), session.popItem()]);
    expect(popped.map(textOf).sort()).toEqual(['b', 'c']);
    expect(texts(await session.getItems())).toEqual(['a']);
  });

  it('clear deletes the conversation; the next use starts a new one', async () => {
    const { server, client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    await session.addItems([user('old')]);
    await session.clear();
    expect(calls(server.requests).at(-1)).toBe('DELETE /v1/conversations/conv_1');
    expect(await session.getItems()).toEqual([]);
    await session.addItems([user('new')]);
    expect(await session.conversationId()).toBe('conv_2');
    expect(texts(await session.getItems())).toEqual(['new']);
    await expect(client.conversations.retrieve('conv_1')).rejects.toMatchObject({ status: 404 });
  });

  it('concurrent first uses share one conversation', async () => {
    const { server, client } = await serve();
    const session = new OpenAIConversationsSession({ client });
    const [, , id] = await Promise.all([
      session.addItems([user('a')]),
      session.addItems([user('b')]),
      session.conversationId(),
    ]);
    expect(id).toBe('conv_1');
    expect(calls(server.requests).filter((call) => call === 'POST /v1/conversations')).toHaveLength(1);
    expect(texts(await session.getItems()).sort()).toEqual(['a', 'b']);
  });

  it('continues a conversation given by id', async () => {
    const { client } = await serve();
    const { id } = await client.conversations.create({ items: [user('kept') as never] });
    const session = new OpenAIConversationsSession({ client, conversationId: id });
    expect(texts(await session.getItems())).toEqual(['kept']);
    expect(await session.serverConversationId()).toBe(id);
  });

  it('a failed request rejects with ModelProviderError, its status kept and the API key nowhere', async () => {
    const { client } = await serve();
    const session = new OpenAIConversationsSession({ client, conversationId: 'conv_missing' });
    const error = await session.getItems().catch((caught: unknown) => caught);
    expect(ModelProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 404 });
    expect((error as Error).message).toContain("Conversation with id 'conv_missing' not found.");
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(apiKey);
    expect(JSON.stringify(error)).not.toContain(apiKey);
    expect(inspect(session, { depth: 10, showHidden: true })).not.toContain(apiKey);
  });

  it('checks its options where they are given', () => {
    expect(() => new OpenAIConversationsSession({ conversationId: '' })).toThrow(InvalidArgumentError);
    expect(() => new OpenAIConversationsSession({ client: {} as never })).toThrow(InvalidArgumentError);
  });

  it('without a client, makes new OpenAI() on first use, from the environment', async () => {
    const { server } = await serve();
    vi.stubEnv('OPENAI_API_KEY', apiKey);
    vi.stubEnv('OPENAI_BASE_URL', server.url);
    const session = new OpenAIConversationsSession();
    await session.addItems([user('from the environment')]);
    expect(texts(await session.getItems())).toEqual(['from the environment']);
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${apiKey}`);
  });

  it('without a client or a key, rejects with ModelProviderError saying so', async () => {
    vi.stubEnv('OPENAI_API_KEY', undefined);
    const error = await new OpenAIConversationsSession().addItems([user('a')]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'missing_api_key' });
    expect((error as Error).message).toMatch(/OPENAI_API_KEY/);
  });

  it('rxjs-agents/sessions does not import openai, except when a session makes its own client', async () => {
    const entry = fileURLToPath(new URL('../../src/sessions/index.ts', import.meta.url));
    const { metafile } = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      external: ['openai', 'rxjs', 'zod'],
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
    const openai = imports.filter((imported) => imported.path.startsWith('openai'));
    expect(openai.map((imported) => imported.kind)).toEqual(['dynamic-import']);
  });

  it('a run on its conversation sends only new items, and the session sees what the run did', async () => {
    const weather = tool({
      name: 'weather',
      description: 'The weather.',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => `Sunny in ${city}`,
    });
    const { server, client } = await serve(
      { toolCalls: [{ name: 'weather', arguments: { city: 'Lisbon' }, callId: 'c1' }] },
      { text: 'Go to Lisbon.' },
    );
    const session = new OpenAIConversationsSession({ client });
    await session.addItems([user('I like the sea.')]);
    const model = new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client });
    const agent = new Agent({ name: 'Travel', model, tools: [weather] });

    const result = await run(agent, 'Where in May?', { conversationId: await session.serverConversationId() });

    expect(result.finalOutput).toBe('Go to Lisbon.');
    const sent = server.requests
      .filter((request) => request.path === '/v1/responses')
      .map((request) => (request.body as { input: InputItem[] }).input.map((item) => item.type));
    expect(sent).toEqual([['message'], ['function_call_output']]);
    expect((await session.getItems()).map((item) => textOf(item) ?? item.type)).toEqual([
      'I like the sea.',
      'Where in May?',
      'function_call',
      'function_call_output',
      'Go to Lisbon.',
    ]);
  });
});

import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startServer,
  startServerProcess,
  type LocalServer,
  type ServerOptions,
  type ServerRequest,
} from '../../src/testing/server/index.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: ServerOptions = {}): Promise<OpenAI> {
  server = await startServer(options);
  return new OpenAI({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
}

const user = (text: string) => ({ role: 'user' as const, content: text });

describe('startServer: the Conversations API', () => {
  it('creates a conversation with items and metadata, and gives it back', async () => {
    const client = await serve();
    const created = await client.conversations.create({ items: [user('Hi')], metadata: { topic: 'trips' } });
    expect(created).toEqual({ id: 'conv_1', object: 'conversation', created_at: 0, metadata: { topic: 'trips' } });
    expect(await client.conversations.retrieve(created.id)).toEqual(created);
    const page = await client.conversations.items.list(created.id, { order: 'asc' });
    expect(page.data).toEqual([
      {
        id: 'msg_i1',
        type: 'message',
        status: 'completed',
        role: 'user',
        content: [{ type: 'input_text', text: 'Hi' }],
      },
    ]);
    expect(server?.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/conversations',
      'GET /v1/conversations/conv_1',
      'GET /v1/conversations/conv_1/items',
    ]);
  });

  it('adds items with ids by type, each retrievable and deletable', async () => {
    const client = await serve();
    const { id } = await client.conversations.create();
    const added = await client.conversations.items.create(id, {
      items: [
        user('What is the weather?'),
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        { type: 'message', role: 'assistant', content: 'Sunny.' },
      ],
    });
    expect(added).toMatchObject({ object: 'list', first_id: 'msg_i1', last_id: 'msg_i4', has_more: false });
    expect(added.data.map((item) => item.id)).toEqual(['msg_i1', 'fc_i2', 'fco_i3', 'msg_i4']);
    expect(added.data[3]).toEqual({
      id: 'msg_i4',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Sunny.', annotations: [] }],
    });
    expect(await client.conversations.items.retrieve('fc_i2', { conversation_id: id })).toEqual({
      id: 'fc_i2',
      type: 'function_call',
      status: 'completed',
      call_id: 'call_1',
      name: 'weather',
      arguments: '{}',
    });
    expect(await client.conversations.items.delete('fc_i2', { conversation_id: id })).toMatchObject({
      id,
      object: 'conversation',
    });
    const left = await client.conversations.items.list(id, { order: 'asc' });
    expect(left.data.map((item) => item.id)).toEqual(['msg_i1', 'fco_i3', 'msg_i4']);
  });

  it('lists newest first by default, with limit, after and has_more, and the SDK pages through them', async () => {
    const client = await serve();
    const items = Array.from({ length: 5 }, (_, index) => user(`m${index}`));
    const { id } = await client.conversations.create({ items });
    const desc = await client.conversations.items.list(id, { limit: 2 });
    expect(desc.data.map((item) => item.id)).toEqual(['msg_i5', 'msg_i4']);
    expect(desc).toMatchObject({ has_more: true, last_id: 'msg_i4' });
    const next = await client.conversations.items.list(id, { limit: 2, after: 'msg_i4' });
    expect(next.data.map((item) => item.id)).toEqual(['msg_i3', 'msg_i2']);
    const all: string[] = [];
    for await (const item of client.conversations.items.list(id, { limit: 2, order: 'asc' })) all.push(item.id ?? '');
    expect(all).toEqual(['msg_i1', 'msg_i2', 'msg_i3', 'msg_i4', 'msg_i5']);
    // Three pages of 2, 2 and 1, after the two lists above.
    expect(server?.requests.filter((request) => request.path.endsWith('/items'))).toHaveLength(5);
  });

  it('answers 404 in OpenAI’s error shape for an unknown conversation or item, and after a delete', async () => {
    const client = await serve();
    const { id } = await client.conversations.create({ items: [user('Hi')] });
    const unknownItem = await client.conversations.items
      .retrieve('msg_nope', { conversation_id: id })
      .catch((error: unknown) => error);
    expect(unknownItem).toBeInstanceOf(NotFoundError);
    expect((unknownItem as NotFoundError).message).toContain("Item with id 'msg_nope' not found.");
    expect(await client.conversations.delete(id)).toEqual({ id, object: 'conversation.deleted', deleted: true });
    const gone = await client.conversations.retrieve(id).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(NotFoundError);
    expect((gone as NotFoundError).error).toEqual({
      message: `Conversation with id '${id}' not found.`,
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    const listed = await client.conversations.items.list(id).catch((error: unknown) => error);
    expect(listed).toBeInstanceOf(NotFoundError);
  });

  it('refuses more than 20 items at a time, and a bad limit, with 400', async () => {
    const client = await serve();
    const { id } = await client.conversations.create();
    const items = Array.from({ length: 21 }, (_, index) => user(`m${index}`));
    const tooMany = await client.conversations.items.create(id, { items }).catch((error: unknown) => error);
    expect(tooMany).toBeInstanceOf(BadRequestError);
    expect((tooMany as BadRequestError).message).toContain('up to 20 items');
    const badLimit = await client.conversations.items.list(id, { limit: 0 }).catch((error: unknown) => error);
    expect(badLimit).toBeInstanceOf(BadRequestError);
  });

  it('shows an input image’s URL and a reasoning item’s encrypted content only when include asks for them', async () => {
    const client = await serve();
    const image = { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } as const;
    const reasoning = { type: 'reasoning' as const, id: 'rs_1', summary: [], encrypted_content: 'gAAAA' };
    const { id } = await client.conversations.create({
      items: [{ type: 'message', role: 'user', content: [image] }, reasoning],
    });
    const plain = await client.conversations.items.list(id, { order: 'asc' });
    expect(plain.data.map((item) => (item.type === 'message' ? item.content[0] : item))).toEqual([
      { ...image, image_url: null },
      { ...reasoning, encrypted_content: null },
    ]);
    const include = ['message.input_image.image_url', 'reasoning.encrypted_content'] as const;
    const full = await client.conversations.items.list(id, { order: 'asc', include: [...include] });
    expect(full.data.map((item) => (item.type === 'message' ? item.content[0] : item))).toEqual([image, reasoning]);
    expect(await client.conversations.items.retrieve('rs_1', { conversation_id: id })).toMatchObject({
      encrypted_content: null,
    });
  });

  it('refuses an item of a type OpenAI does not take, naming it, and stores none of the request', async () => {
    const client = await serve();
    const { id } = await client.conversations.create({ items: [user('kept')] });
    const provider = { type: 'acme_search_call', id: 'acme_1', query: 'weather' };
    for (const items of [[user('not kept'), provider], ['just text']]) {
      const refused = await client.conversations.items
        .create(id, { items: items as never })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BadRequestError);
      expect((refused as BadRequestError).param).toBe(items.length === 2 ? 'items[1].type' : 'items[0]');
    }
    const created = await client.conversations.create({ items: [provider as never] }).catch((error: unknown) => error);
    expect((created as BadRequestError).message).toContain(
      'Invalid value: "acme_search_call". Supported values are: \'message\'',
    );
    const page = await client.conversations.items.list(id, { order: 'asc' });
    expect(page.data.map((item) => (item as { content: { text: string }[] }).content[0]!.text)).toEqual(['kept']);
    // A message without a type is OpenAI's EasyInputMessage, and is taken.
    await client.conversations.items.create(id, { items: [{ role: 'user', content: 'no type' }] });
    expect((await client.conversations.items.list(id)).data).toHaveLength(2);
  });
});

describe('startServer: the Responses API keeps what OpenAI keeps', () => {
  it('conversation: the conversation’s items come before the input, and the input and output join it', async () => {
    const seen: ServerRequest[] = [];
    const client = await serve({
      turns: [{ text: 'Lisbon.' }],
      respond: (request) => {
        seen.push(request);
        return { text: `you said ${request.lastUserText ?? ''}` };
      },
    });
    const { id } = await client.conversations.create();
    const first = await client.responses.create({ model: 'm', conversation: id, input: 'Where in May?' });
    expect(first.output_text).toBe('Lisbon.');
    expect(first.conversation).toEqual({ id });
    const second = await client.responses.create({ model: 'm', conversation: { id }, input: 'And June?' });
    expect(second.output_text).toBe('you said And June?');

    const kept = await client.conversations.items.list(id, { order: 'asc' });
    expect(kept.data.map((item) => item.type === 'message' && [item.role, item.content[0]])).toEqual([
      ['user', { type: 'input_text', text: 'Where in May?' }],
      ['assistant', { type: 'output_text', text: 'Lisbon.', annotations: [], logprobs: [] }],
      ['user', { type: 'input_text', text: 'And June?' }],
      ['assistant', { type: 'output_text', text: 'you said And June?', annotations: [], logprobs: [] }],
    ]);
    // What the second request sent, and what the model saw.
    const [, secondRequest] = server!.requests.filter((request) => request.path === '/v1/responses');
    expect((secondRequest!.body as { input: unknown }).input).toBe('And June?');
    expect(secondRequest!.history).toEqual([...kept.data.slice(0, 2), user('And June?')]);
    expect(seen[0]).toMatchObject({ api: 'responses', conversationId: id, history: secondRequest!.history });
  });

  it('previous_response_id: the stored response’s input and output come first, along the chain', async () => {
    const client = await serve({ turns: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] });
    const first = await client.responses.create({ model: 'm', input: 'a' });
    const second = await client.responses.create({ model: 'm', input: 'b', previous_response_id: first.id });
    await client.responses.create({ model: 'm', input: [user('c')], previous_response_id: second.id });
    const histories = server!.requests.map((request) => request.history);
    const text = (items: readonly unknown[] | undefined) =>
      (items ?? []).map((item) => {
        const content = (item as { content: unknown }).content;
        return typeof content === 'string' ? content : (content as { text: string }[])[0]!.text;
      });
    expect(text(histories[0])).toEqual(['a']);
    expect(text(histories[1])).toEqual(['a', 'one', 'b']);
    expect(text(histories[2])).toEqual(['a', 'one', 'b', 'two', 'c']);
    expect(second.previous_response_id).toBe(first.id);
  });

  it('answers an unknown previous_response_id with 400, an unknown conversation with 404, both with 400', async () => {
    const client = await serve({ turns: [{ text: 'unused' }] });
    const previous = await client.responses
      .create({ model: 'm', input: 'a', previous_response_id: 'resp_nope' })
      .catch((error: unknown) => error);
    expect(previous).toBeInstanceOf(BadRequestError);
    expect((previous as BadRequestError).error).toEqual({
      message: "Previous response with id 'resp_nope' not found.",
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });
    const conversation = await client.responses
      .create({ model: 'm', input: 'a', conversation: 'conv_nope' })
      .catch((error: unknown) => error);
    expect(conversation).toBeInstanceOf(NotFoundError);
    expect((conversation as NotFoundError).message).toContain("Conversation with id 'conv_nope' not found.");
    const { id } = await client.conversations.create();
    const both = await client.responses
      .create({ model: 'm', input: 'a', conversation: id, previous_response_id: 'resp_1' })
      .catch((error: unknown) => error);
    expect(both).toBeInstanceOf(BadRequestError);
    expect((both as BadRequestError).code).toBe('mutually_exclusive_parameters');
    // None of them took the scripted turn.
    expect((await client.responses.create({ model: 'm', input: 'a' })).output_text).toBe('unused');
  });

  it('a streamed response is stored before its completed event reaches the client', async () => {
    const client = await serve({ turns: [{ text: 'first' }, { text: 'second' }] });
    const { id } = await client.conversations.create();
    const stream = await client.responses.create({ model: 'm', conversation: id, input: 'a', stream: true });
    for await (const event of stream) {
      if (event.type !== 'response.completed') continue;
      const kept = await client.conversations.items.list(id);
      expect(kept.data).toHaveLength(2);
    }
  });

  it('a response that failed is not kept', async () => {
    const client = await serve({ turns: [{ status: 500, headers: { 'x-should-retry': 'false' } }] });
    const { id } = await client.conversations.create();
    await expect(client.responses.create({ model: 'm', conversation: id, input: 'a' })).rejects.toThrow();
    expect((await client.conversations.items.list(id)).data).toEqual([]);
  });

  it('works the same in a server process', async () => {
    const process = await startServerProcess({ turns: [{ text: 'one' }, { text: 'two' }] });
    try {
      const client = new OpenAI({ apiKey: 'test-key', baseURL: process.url, maxRetries: 0 });
      const first = await client.responses.create({ model: 'm', input: 'a' });
      await client.responses.create({ model: 'm', input: 'b', previous_response_id: first.id });
      const requests = await process.requests();
      expect(requests[1]?.history).toHaveLength(3);
    } finally {
      await process.close();
    }
  });
});

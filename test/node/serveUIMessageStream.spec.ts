import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json } from 'node:stream/consumers';
import OpenAI from 'openai';
import {
  AbstractChat,
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  readUIMessageStream,
  uiMessageChunkSchema,
  type ChatState,
  type UIMessage,
} from 'ai';
import { tap, type Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  fromUIMessages,
  OpenAIResponsesModel,
  Runner,
  RunState,
  tool,
  toUIMessageStreamResponse,
  uiApprovalResponses,
  type RunEvent,
  type RunStateData,
  type UIMessageLike,
} from '../../src/index.js';
import { serveUIMessageStream } from '../../src/node/index.js';
import { fakeModel, type FakeModel } from '../../src/testing/index.js';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { until } from '../helpers/waiting.js';

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, celsius: 21 }),
});

/** A weather agent whose scripted model calls the tool, then answers; a new model per request. */
function weatherAgent(): { agent: Agent; model: FakeModel } {
  const model = fakeModel([
    { text: 'Let me check. ', toolCalls: [{ callId: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } }] },
    'Sunny in Lisbon, 21 degrees.',
  ]);
  return { agent: new Agent({ name: 'Weather', model, tools: [getWeather] }), model };
}

type Handler = (body: { id: string; messages: UIMessageLike[] }, response: ServerResponse) => void | Promise<void>;

let server: Server | undefined;
let local: LocalServer | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await local?.close();
  local = undefined;
});

/** A loopback HTTP server whose POSTs are read as `useChat` sends them and handled by `handle`. */
async function serve(handle: Handler): Promise<string> {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void json(request).then((body) => handle(body as { id: string; messages: UIMessageLike[] }, response));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
}

/** Writes a web `Response` to a Node response, the way a fetch-style adapter does; cancels its body on close. */
async function sendWeb(web: Response, response: ServerResponse): Promise<void> {
  web.headers.forEach((value, name) => response.setHeader(name, value));
  response.writeHead(web.status);
  const reader = web.body!.getReader();
  response.once('close', () => void reader.cancel());
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    response.write(value);
  }
  response.end();
}

/** What each kind of server does with a run's events. */
const servers = {
  serveUIMessageStream: (events: Observable<RunEvent<unknown>>, response: ServerResponse) =>
    void serveUIMessageStream(response, events),
  toUIMessageStreamResponse: (events: Observable<RunEvent<unknown>>, response: ServerResponse) =>
    void sendWeb(toUIMessageStreamResponse(events), response),
};

/** A `Chat` of the `ai` package in Node: `AbstractChat` with its state in plain arrays. */
class NodeChat extends AbstractChat<UIMessage> {
  constructor(init: Omit<ConstructorParameters<typeof AbstractChat<UIMessage>>[0], 'state'>) {
    const state: ChatState<UIMessage> = {
      status: 'ready',
      error: undefined,
      messages: [],
      pushMessage(message) {
        this.messages = [...this.messages, message];
      },
      popMessage() {
        this.messages = this.messages.slice(0, -1);
      },
      replaceMessage(index, message) {
        this.messages = this.messages.map((old, at) => (at === index ? message : old));
      },
      snapshot: (thing) => structuredClone(thing),
    };
    super({ ...init, state });
  }
}

const user = (text: string): UIMessage => ({ id: `u_${text.length}`, role: 'user', parts: [{ type: 'text', text }] });

describe.each(Object.entries(servers))('%s, read by the ai package over loopback HTTP', (_name, send) => {
  it("reconstructs the run's text, tool part and output with readUIMessageStream; every frame fits the schema", async () => {
    const seen: RunEvent<unknown>[] = [];
    const url = await serve((body, response) => {
      const { agent } = weatherAgent();
      send(
        new Runner().runStreamed(agent, fromUIMessages(body.messages)).pipe(tap((event) => seen.push(event))),
        response,
      );
    });
    const transport = new DefaultChatTransport<UIMessage>({ api: url });
    const chunks = await transport.sendMessages({
      chatId: 'chat_1',
      messages: [user('Weather in Lisbon?')],
      abortSignal: undefined,
      trigger: 'submit-message',
      messageId: undefined,
    });
    let message: UIMessage | undefined;
    for await (const snapshot of readUIMessageStream<UIMessage>({ stream: chunks, terminateOnError: true })) {
      message = snapshot;
    }
    const text = seen.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    const call = seen.find((event) => event.type === 'tool-call');
    const output = seen.find((event) => event.type === 'tool-output');
    expect(message?.role).toBe('assistant');
    expect(message?.parts.map((part) => part.type)).toEqual([
      'step-start',
      'text',
      'tool-get_weather',
      'step-start',
      'text',
    ]);
    const texts = message!.parts.flatMap((part) => (part.type === 'text' ? [part.text] : []));
    expect(texts.join('')).toBe(text);
    expect(message!.parts[2]).toMatchObject({
      type: 'tool-get_weather',
      toolCallId: 'call_1',
      state: 'output-available',
      input: call?.type === 'tool-call' ? call.arguments : 'missing',
      output: output?.type === 'tool-output' ? output.output : 'missing',
    });

    // The wire itself: the protocol's header, one JSON chunk per frame, each valid, then [DONE].
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ id: 'c', messages: [user('Hi')] }) });
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = (await response.text()).split('\n\n').filter((frame) => frame !== '');
    expect(frames.at(-1)).toBe('data: [DONE]');
    const schema = uiMessageChunkSchema();
    for (const frame of frames.slice(0, -1)) {
      expect(frame.startsWith('data: ')).toBe(true);
      expect(await schema.validate!(JSON.parse(frame.slice('data: '.length)))).toMatchObject({ success: true });
    }
    expect(JSON.parse(frames.at(-2)!.slice(6))).toEqual({ type: 'finish', finishReason: 'stop' });
  });

  it("continues the conversation: Chat's second message reaches the model with the first exchange", async () => {
    const models: FakeModel[] = [];
    const url = await serve((body, response) => {
      const { agent, model } = weatherAgent();
      models.push(model);
      send(new Runner().runStreamed(agent, fromUIMessages(body.messages)), response);
    });
    const chat = new NodeChat({ transport: new DefaultChatTransport({ api: url }) });
    await chat.sendMessage({ text: 'Weather in Lisbon?' });
    expect(chat.status).toBe('ready');
    expect(chat.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    await chat.sendMessage({ text: 'And tomorrow?' });
    expect(chat.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(models[1]!.requests[0]!.input).toEqual([
      { type: 'message', role: 'user', content: 'Weather in Lisbon?' },
      { type: 'message', role: 'assistant', content: 'Let me check. ' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Lisbon"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"city":"Lisbon","celsius":21}' },
      { type: 'message', role: 'assistant', content: 'Sunny in Lisbon, 21 degrees.' },
      { type: 'message', role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it("shows a failed run as the Chat's error, with the generic message", async () => {
    const url = await serve((_body, response) => {
      const model = fakeModel([{ error: new Error('db password is hunter2'), text: 'Partly ' }]);
      send(new Runner().runStreamed(new Agent({ name: 'A', model }), 'Hi'), response);
    });
    const chat = new NodeChat({ transport: new DefaultChatTransport({ api: url }) });
    await chat.sendMessage({ text: 'Hi' });
    expect(chat.status).toBe('error');
    // The thrown Error is wrapped by the run (it keeps `partial`); its message stays on the server.
    expect(chat.error?.message).toBe('The run failed (AgentsError).');
    expect(chat.messages[1]?.parts).toContainEqual(expect.objectContaining({ type: 'text', text: 'Partly ' }));
  });

  it("stops the run on the server when the Chat's stop() is called: the model's request is aborted", async () => {
    local = await startServer({ turns: [{ text: Array.from({ length: 400 }, (_, i) => `w${i} `), delayMs: 5 }] });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: local.url });
    const agent = new Agent({ name: 'Talker', model: new OpenAIResponsesModel({ model: 'm', client }) });
    const url = await serve((body, response) =>
      send(new Runner().runStreamed(agent, fromUIMessages(body.messages)), response),
    );
    const chat = new NodeChat({ transport: new DefaultChatTransport({ api: url }) });
    const sent = chat.sendMessage({ text: 'Talk' });
    await until(() => chat.status === 'streaming');
    await chat.stop();
    await sent;
    await until(() => local!.requests[0]?.closedAt !== undefined);
    expect(local.requests[0]!.aborted).toBe(true);
    const text = chat.messages[1]!.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
    expect(text.startsWith('w0 ')).toBe(true);
    expect(text).not.toContain('w399');
  });

  it('approves a tool with addToolApprovalResponse: the server resumes its stored state, and the tool runs once', async () => {
    const refunds: string[] = [];
    const refund = tool({
      name: 'refund',
      description: 'Refunds an order.',
      parameters: z.object({ order: z.string() }),
      needsApproval: true,
      execute: ({ order }) => {
        refunds.push(order);
        return `refunded ${order}`;
      },
    });
    const model = fakeModel([
      { toolCalls: [{ callId: 'call_r', name: 'refund', arguments: { order: 'A-17' } }] },
      'Order A-17 is refunded.',
    ]);
    const agent = new Agent({ name: 'Support', model, tools: [refund] });
    const stored = new Map<string, RunStateData>();
    const url = await serve((body, response) => {
      const answers = uiApprovalResponses(body.messages);
      const saved = stored.get(body.id);
      let input: RunState | ReturnType<typeof fromUIMessages> = fromUIMessages(body.messages);
      if (answers.length > 0 && saved !== undefined) {
        const state = RunState.fromJSON(agent, saved);
        for (const answer of answers) {
          if (answer.approved) state.approve(answer.callId);
          else state.reject(answer.callId, answer.reason === undefined ? {} : { message: answer.reason });
        }
        input = state;
      }
      const events = new Runner().runStreamed(agent, input).pipe(
        tap((event) => {
          if (event.type === 'run-interrupted') stored.set(body.id, event.state);
        }),
      );
      send(events, response);
    });
    const chat = new NodeChat({
      id: 'chat_refund',
      transport: new DefaultChatTransport({ api: url }),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    });
    await chat.sendMessage({ text: 'Refund A-17' });
    const asked = chat.messages[1]!.parts.find((part) => part.type === 'tool-refund');
    expect(asked).toMatchObject({ state: 'approval-requested', toolCallId: 'call_r', approval: { id: 'call_r' } });
    expect(refunds).toEqual([]);

    await chat.addToolApprovalResponse({ id: 'call_r', approved: true });
    await until(() => chat.status === 'ready' && chat.messages[1]!.parts.some((part) => part.type === 'text'));
    expect(chat.messages).toHaveLength(2);
    const done = chat.messages[1]!.parts.filter((part) => part.type === 'tool-refund');
    expect(done).toEqual([expect.objectContaining({ state: 'output-available', output: 'refunded A-17' })]);
    expect(chat.messages[1]!.parts.at(-1)).toMatchObject({ type: 'text', text: 'Order A-17 is refunded.' });
    expect(refunds).toEqual(['A-17']);
  });
});

describe('serveUIMessageStream', () => {
  it('refuses a response whose headers were sent, and wrong options, where it is called', () => {
    const events = weatherAgent();
    const run = new Runner().runStreamed(events.agent, 'Hi');
    expect(() => serveUIMessageStream({ headersSent: true } as ServerResponse, run)).toThrow(
      expect.objectContaining({ argument: 'response' }),
    );
    expect(() =>
      serveUIMessageStream({ headersSent: false } as ServerResponse, run, { partialOutput: 'yes' as never }),
    ).toThrow(expect.objectContaining({ argument: 'options.partialOutput' }));
    expect(events.model.requests).toHaveLength(0);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json } from 'node:stream/consumers';
import OpenAI from 'openai';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { tap } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  fromUIMessages,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  Runner,
  tool,
  type Model,
  type RunEvent,
  type UIMessageLike,
} from '../../src/index.js';
import { serveUIMessageStream } from '../../src/node/index.js';
import { loadFixture, splitResponses, startServer, type LocalServer } from '../../src/testing/server/index.js';

/**
 * Recorded provider streams (test/fixtures), played by the local server to the real OpenAI models,
 * served with serveUIMessageStream and read by the ai package: the reasoning the provider streamed
 * arrives as reasoning parts, next to the run's text and tools.
 */
const recorded = (path: string) => loadFixture(new URL(`../fixtures/${path}`, import.meta.url));
const calculator = tool({
  name: 'calculator',
  description: 'Arithmetic.',
  parameters: z.object({ a: z.number(), b: z.number(), op: z.enum(['add', 'subtract', 'multiply', 'divide']) }),
  execute: ({ a, b, op }) => ({ add: a + b, subtract: a - b, multiply: a * b, divide: a / b })[op],
});

let local: LocalServer | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await local?.close();
  server = local = undefined;
});

/** Serves `agent` to a useChat transport, sends one message, and returns the message it rebuilt and the run's events. */
async function chatOnce(agent: Agent): Promise<{ message: UIMessage; events: RunEvent<unknown>[] }> {
  const events: RunEvent<unknown>[] = [];
  server = createServer((request, response) => {
    void json(request).then((body) => {
      const { messages } = body as { messages: UIMessageLike[] };
      const run = new Runner().runStreamed(agent, fromUIMessages(messages));
      serveUIMessageStream(response, run.pipe(tap((event) => events.push(event))));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
  const stream = await new DefaultChatTransport<UIMessage>({ api }).sendMessages({
    chatId: 'c',
    messages: [{ id: 'u', role: 'user', parts: [{ type: 'text', text: 'Compute.' }] }],
    abortSignal: undefined,
    trigger: 'submit-message',
    messageId: undefined,
  });
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream<UIMessage>({ stream, terminateOnError: true })) message = snapshot;
  return { message: message!, events };
}

const reasoningOf = (message: UIMessage) =>
  message.parts.flatMap((part) => (part.type === 'reasoning' ? [part.text] : []));
const textOf = (message: UIMessage) =>
  message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

function model(kind: 'responses' | 'chat', url: string): Model {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: url });
  return kind === 'responses'
    ? new OpenAIResponsesModel({ model: 'gpt-5-mini', client })
    : new OpenAIChatCompletionsModel({ model: 'reasoner', client });
}

describe('recorded streams through the UI message stream', () => {
  it('a Responses agent loop: each reasoning summary a part, four steps, the tools with their outputs', async () => {
    const fixture = recorded('openai/responses/calculator-four-turns.jsonl') as Record<string, unknown>[];
    local = await startServer({ turns: splitResponses(fixture).map((events) => ({ events })) });
    const agent = new Agent({ name: 'Calc', model: model('responses', local.url), tools: [calculator] });
    const { message, events } = await chatOnce(agent);

    const summaries = new Map<string, string>();
    for (const event of fixture) {
      if (event['type'] !== 'response.reasoning_summary_text.delta') continue;
      const key = `${String(event['item_id'])}:${String(event['summary_index'])}`;
      summaries.set(key, (summaries.get(key) ?? '') + String(event['delta']));
    }
    expect(summaries.size).toBeGreaterThan(0);
    expect(reasoningOf(message)).toEqual([...summaries.values()]);
    expect(message.parts.filter((part) => part.type === 'step-start')).toHaveLength(4);
    expect(textOf(message)).toBe('The final result is **570**.');
    const outputs = events.flatMap((event) => (event.type === 'tool-output' ? [event.output] : []));
    expect(outputs).toEqual([19, 57, 570]);
    const tools = message.parts.filter((part) => part.type === 'tool-calculator');
    expect(tools.map((part) => ('output' in part ? part.output : undefined))).toEqual(outputs);
  });

  it("a Chat Completions reasoner (vLLM's reasoning_content): its reasoning, then its text", async () => {
    const fixture = recorded('compat/vllm-reasoning-no-usage.jsonl') as {
      choices?: { delta?: Record<string, unknown> }[];
    }[];
    local = await startServer({ turns: [{ events: fixture }] });
    const { message } = await chatOnce(new Agent({ name: 'R', model: model('chat', local.url) }));
    const reasoning = fixture.map((chunk) => chunk.choices?.[0]?.delta?.['reasoning_content'] ?? '').join('');
    expect(reasoning).not.toBe('');
    expect(reasoningOf(message)).toEqual([reasoning]);
    expect(textOf(message)).toBe('9.8 is greater.');
    expect(message.parts.map((part) => part.type)).toEqual(['step-start', 'reasoning', 'text']);
  });
});

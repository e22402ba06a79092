/**
 * AG-UI against its real client: `@ag-ui/client`'s `HttpAgent` runs our endpoint over loopback
 * HTTP (`serveAgUi` on a Node response, and `toAgUiResponse` as a web `Response`), and the agent's
 * model is a real `OpenAIResponsesModel` on the local OpenAI-compatible server. Every event we
 * send is checked against `@ag-ui/core`'s schemas and the client's own order verifier.
 */
import { HttpAgent, type Message } from '@ag-ui/client';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, OpenAIResponsesModel, tool, type AgentConfig, type FinalOutputEvent } from '../../src/index.js';
import { startAgUiEndpoint, type AgUiEndpoint, type Serving } from '../helpers/agUiEndpoint.js';
import { expectValidAgUiEvents, expectValidAgUiRun } from '../helpers/agUiSchemas.js';
import { useLocalServer } from '../helpers/localServer.js';
import { until } from '../helpers/waiting.js';

const local = useLocalServer();
let endpoint: AgUiEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

const model = (url: string) =>
  new OpenAIResponsesModel({ model: 'm', client: new OpenAI({ apiKey: 'sk-local-secret', baseURL: url }) });
const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, celsius: 3 }),
});
const agentConfig = (url: string): AgentConfig<unknown> => ({
  name: 'Weather agent',
  instructions: 'Answer about the weather.',
  model: model(url),
  tools: [getWeather],
});
const user = (id: string, content: string): Message => ({ id, role: 'user', content });
const weatherTurns = [
  { text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, callId: 'call_oslo' }] },
  { text: 'It is 3 degrees in Oslo.' },
];

/** The run's final-output, from the events the endpoint recorded for request `index`. */
const finalOutput = (index: number) =>
  endpoint!.runEvents[index]!.find((event): event is FinalOutputEvent<unknown> => event.type === 'final-output')!;

describe.each<Serving>(['serveAgUi', 'toAgUiResponse'])('an AG-UI endpoint with %s', (serving) => {
  it('gives HttpAgent the messages and tool calls the run produced, in events AG-UI accepts', async () => {
    const server = await local.serve(...weatherTurns);
    endpoint = await startAgUiEndpoint(agentConfig(server.url), serving);
    const agent = new HttpAgent({ url: endpoint.url, threadId: 'thread_1', initialMessages: [user('u1', 'Oslo?')] });

    const { newMessages } = await agent.runAgent({ runId: 'run_1' });

    // What the run produced: its new items, read the way AG-UI holds them.
    const produced = finalOutput(0).newItems;
    expect(produced.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expect(newMessages).toEqual([
      {
        id: 'run_1:1',
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [
          { id: 'call_oslo', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      {
        id: 'run_1:result:call_oslo',
        role: 'tool',
        toolCallId: 'call_oslo',
        content: (produced[2] as { output: string }).output,
      },
      { id: 'run_1:2', role: 'assistant', content: finalOutput(0).output },
    ]);
    expect(agent.messages).toEqual([user('u1', 'Oslo?'), ...newMessages]);
    await expectValidAgUiRun(endpoint.sent[0]!);
    expect(JSON.stringify(endpoint.sent)).not.toContain('sk-local-secret');
  });

  it('cancels the run on the server when the client calls abortRun()', async () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i} `);
    const server = await local.serve({ text: words, delayMs: 5 });
    endpoint = await startAgUiEndpoint(agentConfig(server.url), serving);
    const agent = new HttpAgent({ url: endpoint.url, threadId: 'thread_1', initialMessages: [user('u1', 'Talk.')] });
    let contents = 0;

    const running = agent.runAgent(
      { runId: 'run_1' },
      { onTextMessageContentEvent: () => void (++contents === 3 && agent.abortRun()) },
    );
    await running.catch(() => undefined);

    await until(() => server.requests[0]?.aborted === true && endpoint!.ended() === 1);
    expect(contents).toBeLessThan(words.length);
    expect(endpoint.runEvents[0]!.some((event) => event.type === 'final-output')).toBe(false);
    expectValidAgUiEvents(endpoint.sent[0]!);
  });
});

describe('an AG-UI thread', () => {
  it('continues: the second runAgent posts the whole conversation, which fromAgUiInput gives the run as its history', async () => {
    const server = await local.serve(...weatherTurns, { text: 'Tomorrow too.' });
    endpoint = await startAgUiEndpoint(agentConfig(server.url), 'serveAgUi');
    const agent = new HttpAgent({ url: endpoint.url, threadId: 'thread_1', initialMessages: [user('u1', 'Oslo?')] });
    await agent.runAgent({ runId: 'run_1' });

    agent.addMessage(user('u2', 'And tomorrow?'));
    const { newMessages } = await agent.runAgent({ runId: 'run_2' });

    expect(newMessages).toEqual([{ id: 'run_2:1', role: 'assistant', content: 'Tomorrow too.' }]);
    // The second run's input is the first run's history, then the new question.
    const essence = (item: object) => {
      const { id: _id, status: _status, ...rest } = item as Record<string, unknown>;
      const content = rest.content;
      return Array.isArray(content)
        ? { ...rest, content: content.map((part: { text: string }) => part.text).join('') }
        : rest;
    };
    expect(endpoint.inputs[1]!.input.map(essence)).toEqual(
      [...finalOutput(0).history, { type: 'message', role: 'user', content: 'And tomorrow?' }].map(essence),
    );
    expect((server.requests[2]!.body as { input: unknown[] }).input).toHaveLength(6);
    await expectValidAgUiRun(endpoint.sent[1]!);
  });

  it('sends a front-end tool’s call to the client instead of running it, and goes on with the result it posts', async () => {
    const server = await local.serve(
      { toolCalls: [{ name: 'confirm_trip', arguments: { city: 'Oslo' }, callId: 'call_confirm' }] },
      { text: 'Your trip is confirmed.' },
    );
    endpoint = await startAgUiEndpoint(agentConfig(server.url), 'serveAgUi');
    const confirmTrip = {
      name: 'confirm_trip',
      description: 'Asks the traveller to confirm.',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    };
    const agent = new HttpAgent({
      url: endpoint.url,
      threadId: 'thread_1',
      initialMessages: [user('u1', 'Book Oslo.')],
    });
    let pending: string[] = [];

    await agent.runAgent(
      { runId: 'run_1', tools: [confirmTrip] },
      { onRunFinishedEvent: (params) => void (params.outcome === 'success' && (pending = params.pendingToolCallIds)) },
    );

    expect(pending).toEqual(['call_confirm']);
    expect(agent.messages.at(-1)).toEqual({
      id: 'run_1:1',
      role: 'assistant',
      toolCalls: [
        { id: 'call_confirm', type: 'function', function: { name: 'confirm_trip', arguments: '{"city":"Oslo"}' } },
      ],
    });
    const offered = (server.requests[0]!.body as { tools: { name: string; parameters: unknown }[] }).tools;
    expect(offered.find((spec) => spec.name === 'confirm_trip')?.parameters).toEqual(confirmTrip.parameters);
    expect(endpoint.runEvents[0]!.some((event) => event.type === 'tool-output')).toBe(false);

    agent.addMessage({ id: 't1', role: 'tool', toolCallId: 'call_confirm', content: 'confirmed' });
    await agent.runAgent({ runId: 'run_2', tools: [confirmTrip] });

    expect((server.requests[1]!.body as { input: unknown[] }).input).toContainEqual({
      type: 'function_call_output',
      call_id: 'call_confirm',
      output: 'confirmed',
    });
    expect(agent.messages.at(-1)).toEqual({ id: 'run_2:1', role: 'assistant', content: 'Your trip is confirmed.' });
    await expectValidAgUiRun(endpoint.sent[0]!);
    await expectValidAgUiRun(endpoint.sent[1]!);
  });

  it('interrupts for an approval, and resumes with the client’s resume entry', async () => {
    const server = await local.serve(
      { toolCalls: [{ name: 'refund', arguments: { order: 7 }, callId: 'call_refund' }] },
      { text: 'Refunded.' },
    );
    let refunded = 0;
    const refund = tool({
      name: 'refund',
      description: 'Refunds an order.',
      parameters: z.object({ order: z.number() }),
      needsApproval: true,
      execute: () => ++refunded,
    });
    endpoint = await startAgUiEndpoint({ ...agentConfig(server.url), tools: [refund] }, 'serveAgUi');
    const agent = new HttpAgent({
      url: endpoint.url,
      threadId: 'thread_1',
      initialMessages: [user('u1', 'Refund 7.')],
    });

    await agent.runAgent({ runId: 'run_1' });

    expect(agent.pendingInterrupts).toEqual([
      expect.objectContaining({ id: 'call_refund', reason: 'tool_approval', toolCallId: 'call_refund' }),
    ]);
    expect(refunded).toBe(0);

    await agent.runAgent({
      runId: 'run_2',
      resume: [{ interruptId: 'call_refund', status: 'resolved', payload: { approved: true } }],
    });

    expect(refunded).toBe(1);
    expect(agent.pendingInterrupts).toEqual([]);
    expect(agent.messages.at(-1)).toEqual({ id: 'run_2:2', role: 'assistant', content: 'Refunded.' });
    await expectValidAgUiRun(endpoint.sent[0]!);
    await expectValidAgUiRun(endpoint.sent[1]!);
  });

  it('shows an agent called as a tool as a subagent, whose messages the client attributes to it', async () => {
    const server = await local.serve(
      { toolCalls: [{ name: 'ask_expert', arguments: { input: 'Oslo?' }, callId: 'call_expert' }] },
      { text: 'Bring a coat.' },
      { text: 'The expert says: bring a coat.' },
    );
    const expert = new Agent({ name: 'Expert', instructions: 'Advise.', model: model(server.url) });
    endpoint = await startAgUiEndpoint(
      { ...agentConfig(server.url), tools: [expert.asTool({ toolName: 'ask_expert', toolDescription: 'Asks.' })] },
      'serveAgUi',
    );
    const agent = new HttpAgent({ url: endpoint.url, threadId: 'thread_1', initialMessages: [user('u1', 'Oslo?')] });

    const { newMessages } = await agent.runAgent({ runId: 'run_1' });

    const sub = 'run_1:call_expert:agent';
    expect(newMessages).toEqual([
      expect.objectContaining({
        id: 'run_1:1',
        role: 'assistant',
        toolCalls: [expect.objectContaining({ id: 'call_expert' })],
      }),
      expect.objectContaining({ id: 'run_1:result:call_expert', role: 'tool', content: 'Bring a coat.' }),
      expect.objectContaining({
        id: 'run_1:call_expert:1',
        role: 'assistant',
        content: 'Bring a coat.',
        subagentRunId: sub,
      }),
      { id: 'run_1:2', role: 'assistant', content: 'The expert says: bring a coat.' },
    ]);
    expect(endpoint.sent[0]!.filter((event) => event.type.startsWith('SUBAGENT_')).map((event) => event.type)).toEqual([
      'SUBAGENT_STARTED',
      'SUBAGENT_FINISHED',
    ]);
    await expectValidAgUiRun(endpoint.sent[0]!);
  });

  it('answers 400 naming the field when the body is not a RunAgentInput', async () => {
    endpoint = await startAgUiEndpoint(agentConfig('http://127.0.0.1:9/v1'), 'serveAgUi');
    const response = await fetch(endpoint.url, {
      method: 'POST',
      body: JSON.stringify({ threadId: 't', runId: 'r', messages: [{ id: 'm', role: 'user', content: 3 }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'Invalid argument `input.messages[0].content`: expected a string or a list of content parts.',
    });
  });
});

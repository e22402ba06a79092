/**
 * Whole runs over real loopback HTTP: the real `openai` client, our models, the local server
 * replaying recorded OpenAI streams.
 */
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  ModelProviderError,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  runStreamed,
  tool,
} from '../../src/index.js';
import { loadFixture, splitResponses, startServer, type LocalServer } from '../../src/testing/server/index.js';

const fixture = (path: string) => loadFixture(new URL(`../fixtures/openai/${path}`, import.meta.url));
const apiKey = 'sk-test-secret-calculator';
let server: LocalServer | undefined;
afterEach(async () => server?.close());

const calculator = tool({
  name: 'calculator',
  description: 'A minimal calculator for basic arithmetic. Call it once per step.',
  parameters: z.object({ a: z.number(), b: z.number(), op: z.enum(['add', 'subtract', 'multiply', 'divide']) }),
  execute: ({ a, b, op }) => ({ add: a + b, subtract: a - b, multiply: a * b, divide: a / b })[op],
});

function responsesModel(url: string) {
  return new OpenAIResponsesModel({
    model: 'gpt-5.1-codex-max',
    client: new OpenAI({ apiKey: apiKey, baseURL: url, maxRetries: 0 }),
  });
}

describe('the recorded four-turn calculator loop, end to end', () => {
  it('calls the tool three times, sends each output back under its call_id, and sums usage over the four responses', async () => {
    const turns = splitResponses(fixture('responses/calculator-four-turns.jsonl'));
    expect(turns).toHaveLength(4);
    server = await startServer({ turns: turns.map((events) => ({ events })) });
    const agent = new Agent({ name: 'Calculator', model: responsesModel(server.url), tools: [calculator] });

    const events = await lastValueFrom(runStreamed(agent, 'Compute ((12 + 7) * 3) * 10.').pipe(toArray()));
    const calls = events.filter((e) => e.type === 'tool-call');
    expect(calls.map((e) => e.arguments)).toEqual([
      { a: 12, b: 7, op: 'add' },
      { a: 19, b: 3, op: 'multiply' },
      { a: 57, b: 10, op: 'multiply' },
    ]);
    expect(events.filter((e) => e.type === 'tool-output').map((e) => e.output)).toEqual([19, 57, 570]);

    // Each request after the first carries the previous call's output under that call's id.
    const bodies = server.requests.map(
      (r) => r.body as { input: { type: string; call_id?: string; output?: string }[] },
    );
    expect(bodies).toHaveLength(4);
    calls.forEach((call, index) => {
      const outputs = bodies[index + 1]!.input.filter((item) => item.type === 'function_call_output');
      expect(outputs.at(-1)).toEqual({
        type: 'function_call_output',
        call_id: call.callId,
        output: String([19, 57, 570][index]),
      });
    });
    // Reasoning items go back unchanged in the next turn's input.
    expect(bodies[1]!.input.some((item) => item.type === 'reasoning')).toBe(true);

    const final = events.at(-1);
    expect(final).toMatchObject({ type: 'final-output', output: 'The final result is **570**.' });
    expect(final).toMatchObject({ usage: { requests: 4, inputTokens: 914, outputTokens: 92, totalTokens: 1006 } });
    expect(events.filter((e) => e.type === 'turn-completed')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'raw').every((e) => e.source === 'openai-responses')).toBe(true);
  });

  it('takes the final text from the completed response, not the joined deltas', async () => {
    server = await startServer({ turns: [{ events: fixture('responses/text-two-messages.jsonl') }] });
    const agent = new Agent({ name: 'A', model: responsesModel(server.url) });
    const events = await lastValueFrom(runStreamed(agent, 'Hi').pipe(toArray()));
    const deltas = events.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : [])).join('');
    expect(deltas).toBe('Got itHere are a few **AI');
    const final = events.at(-1);
    expect(final?.type).toBe('final-output');
    // The last assistant message of the completed response, in full.
    const output = (final as { output: string }).output;
    expect(output.startsWith('Here are a few **AI headlines for today')).toBe(true);
    expect(output.endsWith('investor-grade morning brief with timestamps.')).toBe(true);
  });

  it('fails with the provider code and message of a recorded error event, keeping the key out', async () => {
    server = await startServer({ turns: [{ events: fixture('responses/failed-with-error-event.jsonl') }] });
    const error = await run(new Agent({ name: 'A', model: responsesModel(server.url) }), 'Hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ code: 'insufficient_quota' });
    expect(
      JSON.stringify({ ...(error as object), message: (error as Error).message, stack: (error as Error).stack }),
    ).not.toContain(apiKey);
  });
});

describe('Chat Completions runs', () => {
  it('runs a tool loop over Chat Completions with a scripted server', async () => {
    server = await startServer({
      turns: [{ toolCalls: [{ name: 'calculator', arguments: { a: 2, b: 3, op: 'add' } }] }, { text: 'It is 5.' }],
    });
    const model = new OpenAIChatCompletionsModel({
      model: 'llama3.2',
      client: new OpenAI({ apiKey: 'ollama', baseURL: server.url, maxRetries: 0 }),
    });
    const result = await run(
      new Agent({ name: 'Calc', instructions: 'Use the calculator.', model, tools: [calculator] }),
      'What is 2+3?',
    );
    expect(result.finalOutput).toBe('It is 5.');
    const second = server.requests[1]!.body as {
      messages: { role: string; tool_call_id?: string; content?: unknown }[];
    };
    expect(second.messages[0]).toEqual({ role: 'system', content: 'Use the calculator.' });
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', content: '5' });
  });

  it('replays 300 recorded chunks into 1,724 characters with usage 16 / 300 / 316', async () => {
    server = await startServer({ turns: [{ events: fixture('chat/text-300-chunks.jsonl') }] });
    const model = new OpenAIChatCompletionsModel({
      model: 'gpt-4.1-nano',
      client: new OpenAI({ apiKey: apiKey, baseURL: server.url, maxRetries: 0 }),
    });
    const result = await run(new Agent({ name: 'A', model }), 'Write');
    expect(result.finalOutput).toHaveLength(1724);
    expect(result.usage).toEqual({ requests: 1, inputTokens: 16, outputTokens: 300, totalTokens: 316 });
  });

  it('turns the recorded xAI tool call into a validated call', async () => {
    server = await startServer({ turns: [{ events: fixture('chat/xai-tool-call.jsonl') }, { text: 'Sunny.' }] });
    const weather = tool({
      name: 'weather',
      description: 'Weather.',
      parameters: z.object({ location: z.string() }),
      execute: ({ location }) => `Sunny in ${location}`,
    });
    const model = new OpenAIChatCompletionsModel({
      model: 'grok-3-mini',
      client: new OpenAI({ apiKey: apiKey, baseURL: server.url, maxRetries: 0 }),
    });
    const events = await lastValueFrom(
      runStreamed(new Agent({ name: 'A', model, tools: [weather] }), 'Weather?').pipe(toArray()),
    );
    expect(events.filter((e) => e.type === 'tool-call').map((e) => e.arguments)).toEqual([
      { location: 'San Francisco' },
    ]);
    expect(events.filter((e) => e.type === 'tool-output').map((e) => e.output)).toEqual(['Sunny in San Francisco']);
  });
});

describe('structured output over HTTP', () => {
  const Destination = z.object({ city: z.string(), country: z.string() });

  it.each([
    ['Responses', (url: string) => responsesModel(url), (body: Record<string, any>) => body.text.format],
    [
      'Chat Completions',
      (url: string) =>
        new OpenAIChatCompletionsModel({
          model: 'm',
          client: new OpenAI({ apiKey: apiKey, baseURL: url, maxRetries: 0 }),
        }),
      (body: Record<string, any>) => body.response_format.json_schema,
    ],
  ])(
    '%s: the request carries the strict schema, and the result is parsed and typed',
    async (_api, makeModel, formatOf) => {
      server = await startServer({ turns: [{ output: { city: 'Porto', country: 'Portugal' } }] });
      const agent = new Agent({ name: 'Travel', model: makeModel(server.url), outputType: Destination });
      const result = await run(agent, 'Where?');
      expect(result.status).toBe('completed');
      const output: { city: string; country: string } | undefined = result.finalOutput;
      expect(output).toEqual({ city: 'Porto', country: 'Portugal' });
      expect(formatOf(server.requests[0]!.body as Record<string, any>)).toMatchObject({
        name: 'final_output',
        strict: true,
        schema: {
          type: 'object',
          properties: { city: { type: 'string' }, country: { type: 'string' } },
          required: ['city', 'country'],
          additionalProperties: false,
        },
      });
    },
  );
});

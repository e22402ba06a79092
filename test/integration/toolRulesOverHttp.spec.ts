/**
 * Tool guardrails and toolUseBehavior over loopback HTTP: what the model's server receives for a
 * rejected call, and that a stopping rule makes no second request.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, Runner, tool } from '../../src/index.js';
import { useLocalServer } from '../helpers/localServer.js';

const runner = new Runner();
const lookup = tool({
  name: 'lookup',
  description: 'Looks an order up.',
  parameters: z.object({ order: z.string() }),
  inputGuardrails: [
    {
      name: 'known_orders',
      execute: ({ order }) =>
        order.startsWith('A-') ? { behavior: 'allow' } : { behavior: 'reject', message: `No such order: ${order}.` },
    },
  ],
  execute: ({ order }) => ({ order, status: 'shipped' }),
});

describe.each([
  ['Responses', OpenAIResponsesModel],
  ['Chat Completions', OpenAIChatCompletionsModel],
] as const)('%s over HTTP', (_, Model) => {
  const { serve } = useLocalServer();
  const modelFor = (url: string) =>
    new Model({ model: 'gpt-4.1-mini', client: new OpenAI({ apiKey: 'k', baseURL: url, maxRetries: 0 }) });

  it("a rejected call: the server receives the guardrail's message as the call's output", async () => {
    const server = await serve({ toolCalls: [{ name: 'lookup', arguments: { order: 'Z-9' } }] }, 'No such order.');
    const agent = new Agent({ name: 'Support', model: modelFor(server.url), tools: [lookup] });
    await expect(runner.run(agent, 'Where is Z-9?')).resolves.toMatchObject({ finalOutput: 'No such order.' });
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(server.requests[1]!.body)).toContain('No such order: Z-9.');
  });

  it("stop_on_first_tool: the tool's output is the answer, and no second request is made", async () => {
    const server = await serve({ toolCalls: [{ name: 'lookup', arguments: { order: 'A-1' } }] }, 'never');
    const agent = new Agent({
      name: 'Support',
      model: modelFor(server.url),
      tools: [lookup],
      outputType: z.object({ order: z.string(), status: z.string() }),
      toolUseBehavior: 'stop_on_first_tool',
    });
    await expect(runner.run(agent, 'Where is A-1?')).resolves.toMatchObject({
      finalOutput: { order: 'A-1', status: 'shipped' },
    });
    expect(server.requests).toHaveLength(1);
  });
});

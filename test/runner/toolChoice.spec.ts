/**
 * A forced toolChoice applies until the agent has called a tool; then `'auto'`, so that a model
 * which obeys it can answer (as both Agents SDKs do with `resetToolChoice`).
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  Runner,
  tool,
  type ToolChoice,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { useLocalServer } from '../helpers/localServer.js';

const runner = new Runner();
const add = tool({
  name: 'add',
  description: 'Adds two numbers.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});
const script = () => fakeModel([{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, 'It is 3.']);

describe('toolChoice across turns', () => {
  it.each<[string, ToolChoice]>([
    ['required', 'required'],
    ['a named tool', { type: 'function', name: 'add' }],
  ])('%s is sent until the agent has called a tool, then auto: the run ends in two calls', async (_, toolChoice) => {
    const model = script();
    const result = await runner.run(
      new Agent({ name: 'A', model, tools: [add], modelSettings: { toolChoice } }),
      'Add',
    );
    expect(result.finalOutput).toBe('It is 3.');
    expect(model.requests.map((request) => request.settings.toolChoice)).toEqual([toolChoice, 'auto']);
  });

  it('is kept every turn with resetToolChoice: false', async () => {
    const model = script();
    const agent = new Agent({
      name: 'A',
      model,
      tools: [add],
      modelSettings: { toolChoice: 'required' },
      resetToolChoice: false,
    });
    await runner.run(agent, 'Add');
    expect(model.requests.map((request) => request.settings.toolChoice)).toEqual(['required', 'required']);
  });

  it("leaves 'none' and 'auto' alone", async () => {
    const model = script();
    await runner.run(new Agent({ name: 'A', model, tools: [add], modelSettings: { toolChoice: 'auto' } }), 'Add');
    expect(model.requests.map((request) => request.settings.toolChoice)).toEqual(['auto', 'auto']);
  });

  it('refuses a resetToolChoice that is not a boolean, where the agent is made', () => {
    expect(() => new Agent({ name: 'A', resetToolChoice: 'yes' as unknown as boolean })).toThrow(/resetToolChoice/);
  });

  describe('over HTTP', () => {
    const { serve } = useLocalServer();
    it.each([
      ['Responses', OpenAIResponsesModel],
      ['Chat Completions', OpenAIChatCompletionsModel],
    ] as const)('%s: the second request sends tool_choice auto', async (_, Model) => {
      const server = await serve({ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, 'It is 3.');
      const model = new Model({ model: 'gpt-4.1-mini', client: new OpenAI({ apiKey: 'k', baseURL: server.url }) });
      const agent = new Agent({ name: 'A', model, tools: [add], modelSettings: { toolChoice: 'required' } });
      await expect(runner.run(agent, 'Add')).resolves.toMatchObject({ finalOutput: 'It is 3.' });
      const sent = server.requests.map((request) => (request.body as { tool_choice?: unknown }).tool_choice);
      expect(sent).toEqual(['required', 'auto']);
    });
  });
});

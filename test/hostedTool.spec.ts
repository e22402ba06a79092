/** hostedTool(): checked where made, accepted among an agent's tools, offered in requests, its items kept. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, hostedTool, InvalidArgumentError, isHostedTool, Runner, tool } from '../src/index.js';
import { fakeModel } from '../src/testing/index.js';
import { decideNextStep } from '../src/runner/nextStep.js';
import { citedMessage, webSearchCall } from './helpers/webSearchEvents.js';

const runner = new Runner();
const search = hostedTool({ type: 'web_search' });
const files = hostedTool({ type: 'file_search', vector_store_ids: ['vs_1'], max_num_results: 3 });
const code = hostedTool({ type: 'code_interpreter', container: { type: 'auto' } });
const add = tool({
  name: 'add',
  description: 'Adds.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

describe('hostedTool()', () => {
  it('keeps the options as the Responses API takes them', () => {
    expect(isHostedTool(files)).toBe(true);
    expect(isHostedTool(add)).toBe(false);
    expect(files.spec).toEqual({ type: 'file_search', vector_store_ids: ['vs_1'], max_num_results: 3 });
  });

  it.each([
    ['an unknown type', { type: 'image_generation' }, /web_search.*file_search.*code_interpreter/],
    ['file search without vector stores', { type: 'file_search' }, /vector_store_ids/],
    ['the code interpreter without a container', { type: 'code_interpreter' }, /container/],
  ])('refuses %s where it is made', (_, spec, message) => {
    expect(() => hostedTool(spec as never)).toThrow(InvalidArgumentError);
    expect(() => hostedTool(spec as never)).toThrow(message);
  });
});

describe('an agent with hosted tools', () => {
  it('takes them among its tools, apart from its function tools; a second of one type is refused', () => {
    const agent = new Agent({ name: 'A', tools: [search, add, files, code] });
    expect(agent.tools).toEqual([add]);
    expect(agent.hostedTools).toEqual([search, files, code]);
    expect(() => new Agent({ name: 'A', tools: [search, hostedTool({ type: 'web_search' })] })).toThrow(
      /second hosted tool of type 'web_search'/,
    );
  });

  it('offers them in the request as hostedTools (and nothing for an agent without any)', async () => {
    const model = fakeModel(['Hi.', 'Hi.']);
    await runner.run(new Agent({ name: 'A', model, tools: [add, search, files] }), 'Hi');
    await runner.run(new Agent({ name: 'B', model, tools: [add] }), 'Hi');
    expect(model.requests[0]!.tools.map((spec) => spec.name)).toEqual(['add']);
    expect(model.requests[0]!.hostedTools).toEqual([search.spec, files.spec]);
    expect(model.requests[1]).not.toHaveProperty('hostedTools');
  });

  it('keeps their output items untouched in the history and answers with the message after them', async () => {
    const response = {
      output: [webSearchCall, citedMessage],
      usage: { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    };
    const model = fakeModel([
      {
        events: [
          { type: 'raw', data: { type: 'response.web_search_call.searching' } },
          { type: 'response', response },
        ],
      },
      'Rivers.',
    ]);
    const agent = new Agent({ name: 'A', model, tools: [search] });
    expect(decideNextStep(agent, response)).toEqual({ type: 'final-output', output: 'Otters are thriving.' });
    const first = await runner.run(agent, 'News?');
    expect(first.finalOutput).toBe('Otters are thriving.');
    expect(first.newItems).toEqual([webSearchCall, citedMessage]);
    await runner.run(agent, [...first.history, { type: 'message', role: 'user', content: 'Where?' }]);
    expect(model.requests[1]!.input.slice(1, 3)).toEqual([webSearchCall, citedMessage]);
  });
});

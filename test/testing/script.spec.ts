/**
 * One scripting vocabulary for `fakeModel` and the local server: the same turns give the same run
 * on both, and each refuses, where the script is given, what only the other can do.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  tool,
} from '../../src/index.js';
import { fakeModel, type ScriptedTurn, type TurnContent } from '../../src/testing/index.js';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { thrown } from '../helpers/thrown.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const lookUp = tool({
  name: 'look_up',
  description: 'Looks a city up.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `${city}: sunny`,
});
const Answer = z.object({ city: z.string(), sunny: z.boolean() });

/**
 * A script in the shared vocabulary, usage given so that both fakes report the same. Content
 * only, and no `events` (whose type is each fake's own): what both accept.
 */
const script = (): TurnContent<never>[] => [
  {
    text: 'Checking. ',
    toolCalls: [{ name: 'look_up', arguments: { city: 'Lisbon' }, callId: 'c1' }],
    usage: { inputTokens: 5, outputTokens: 2 },
  },
  { output: { city: 'Lisbon', sunny: true }, usage: { inputTokens: 9, outputTokens: 4, totalTokens: 20 } },
];

const models = {
  fakeModel: async () => fakeModel(script()),
  'the server, Responses': async () => {
    server = await startServer({ turns: script() });
    const client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
    return new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client });
  },
  'the server, Chat Completions': async () => {
    server = await startServer({ turns: script() });
    const client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
    return new OpenAIChatCompletionsModel({ model: 'llama3.2', client });
  },
};

describe('one script, every fake', () => {
  it.each(Object.entries(models))('%s plays it to the same run', async (_name, makeModel) => {
    const agent = new Agent({ name: 'A', model: await makeModel(), tools: [lookUp], outputType: Answer });

    const result = await run(agent, 'Is Lisbon sunny?');

    expect(result.finalOutput).toEqual({ city: 'Lisbon', sunny: true });
    expect(result.usage).toEqual({ requests: 2, inputTokens: 14, outputTokens: 6, totalTokens: 27 });
    expect(result.newItems.find((item) => item.type === 'function_call_output')).toMatchObject({
      call_id: 'c1',
      output: 'Lisbon: sunny',
    });
  });

  it('a string is short for { text } on both', async () => {
    server = await startServer({ turns: ['Hello there.'] });
    const client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
    const overHttp = new Agent({ name: 'A', model: new OpenAIResponsesModel({ model: 'm', client }) });
    const fake = new Agent({ name: 'A', model: fakeModel(['Hello there.']) });

    expect((await run(overHttp, 'Hi')).finalOutput).toBe('Hello there.');
    expect((await run(fake, 'Hi')).finalOutput).toBe('Hello there.');
  });
});

describe('what each fake refuses, when the script is given', () => {
  it.each([
    [{ text: 'x', dropAfter: 2 }, /`dropAfter` is one of the local server's faults/],
    [{ status: 429 }, /`status` is one of the local server's faults/],
    [{ text: 'x', output: {} }, /not text and output/],
    [{ events: [], text: 'x' }, /drop text/],
    [{ error: new Error('x'), toolCalls: [{ name: 't' }] }, /makes no `toolCalls`/],
    [{ error: new Error('x'), stall: true }, /not both/],
    [{ json: {} }, /unknown field `json`/],
  ])('fakeModel: %o', (turn, message) => {
    const error = thrown(() => fakeModel(['fine', turn as ScriptedTurn] as never));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'turns[1]', message: expect.stringMatching(message) });
  });

  it.each([
    [{ text: 'x', stall: true }, /`stall` is one of fakeModel's faults/],
    [{ error: { message: 'x' } }, /`error` is one of fakeModel's faults/],
    [{ text: 'x', output: {} }, /not text and output/],
    [{ events: [], usage: { inputTokens: 1 } }, /drop usage/],
  ])('the server: %o', async (turn, message) => {
    const error = await startServer({ turns: [turn as never] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'options.turns[0]', message: expect.stringMatching(message) });

    server = await startServer();
    const pushed = thrown(() => server!.push('fine', turn as never));
    expect(pushed).toMatchObject({ argument: 'push[1]', message: expect.stringMatching(message) });
  });
});

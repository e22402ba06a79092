/**
 * The local server answering by request (`respond`, `echo`, `fixture`), over loopback HTTP with
 * the real `openai` client, through the runner on both APIs.
 */
import OpenAI, { APIError } from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  ModelProviderError,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  runStreamed,
  tool,
  type Model,
} from '../../src/index.js';
import {
  echo,
  ResponderError,
  startServer,
  startServerProcess,
  type LocalServer,
  type ServerOptions,
  type ServerProcessOptions,
  type ServerRequest,
} from '../../src/testing/server/index.js';

const fixturePath = (name: string): string => new URL(`../fixtures/openai/${name}`, import.meta.url).pathname;

let server: LocalServer | undefined;
afterEach(async () => {
  // Tests that make respond fail close the server themselves and check the rejection.
  await server?.close();
  server = undefined;
});

async function serve(options: ServerOptions): Promise<LocalServer> {
  server = await startServer(options);
  return server;
}

const clientFor = (url: string, maxRetries = 0) =>
  new OpenAI({ apiKey: 'test-key', baseURL: url, maxRetries, logLevel: 'off' });

const models = {
  responses: (url: string, name: string): Model => new OpenAIResponsesModel({ model: name, client: clientFor(url) }),
  'chat-completions': (url: string, name: string): Model =>
    new OpenAIChatCompletionsModel({ model: name, client: clientFor(url) }),
} as const;

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city today.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `Sunny in ${city}`,
});

/** Answers from the request: a weather call when the tool is offered, then the tool's output. */
function weatherResponder(seen: ServerRequest[]) {
  return (request: ServerRequest) => {
    seen.push(request);
    const weather = request.tools.find((offered) => offered.name === 'get_weather');
    const output = request.toolOutputs.at(-1);
    if (output !== undefined) return `${request.model} says: ${String(output.output)} (${output.name})`;
    if (weather !== undefined) {
      const city = request.lastUserText?.replace(/^Weather in (.*)\?$/, '$1') ?? 'nowhere';
      return { toolCalls: [{ name: weather.name, arguments: { city } }] };
    }
    return { text: `No tools for ${request.model}.` };
  };
}

describe('startServer({ respond })', () => {
  for (const api of ['responses', 'chat-completions'] as const) {
    it(`answers each request from its model, tools and tool outputs (${api})`, async () => {
      const seen: ServerRequest[] = [];
      const { url } = await serve({ respond: weatherResponder(seen) });

      const withTools = new Agent({ name: 'Weather', model: models[api](url, 'gpt-weather'), tools: [getWeather] });
      const events = await lastValueFrom(runStreamed(withTools, 'Weather in Lisbon?').pipe(toArray()));
      const bare = await run(new Agent({ name: 'Bare', model: models[api](url, 'gpt-bare') }), 'Hi');

      expect(events.filter((event) => event.type === 'tool-call')).toMatchObject([
        { name: 'get_weather', arguments: { city: 'Lisbon' } },
      ]);
      expect(events.at(-1)).toMatchObject({
        type: 'final-output',
        output: 'gpt-weather says: Sunny in Lisbon (get_weather)',
      });
      expect(bare.finalOutput).toBe('No tools for gpt-bare.');

      expect(seen.map((request) => [request.api, request.index, request.model, request.stream])).toEqual([
        [api, 1, 'gpt-weather', true],
        [api, 2, 'gpt-weather', true],
        [api, 3, 'gpt-bare', true],
      ]);
      expect(seen[0]?.tools).toEqual([
        {
          type: 'function',
          name: 'get_weather',
          description: 'The weather in a city today.',
          parameters: expect.objectContaining({ type: 'object', properties: { city: { type: 'string' } } }),
        },
      ]);
      expect(seen[0]?.lastUserText).toBe('Weather in Lisbon?');
      expect(seen[0]?.toolOutputs).toEqual([]);
      expect(seen[1]?.toolOutputs).toEqual([{ callId: 'call_1_0', name: 'get_weather', output: 'Sunny in Lisbon' }]);
      expect(seen[2]?.tools).toEqual([]);
      expect(server?.requests.map((request) => request.error)).toEqual([undefined, undefined, undefined]);
    });
  }

  it('gives each API its own fields: input, instructions, previous response id; messages', async () => {
    const seen: ServerRequest[] = [];
    const client = clientFor((await serve({ respond: (request) => (seen.push(request), 'ok') })).url);
    // The earlier response the next one continues (the server answers 400 for an id it never gave).
    await client.responses.create({ model: 'm1', input: 'Earlier.' });
    seen.length = 0;

    await client.responses.create({
      model: 'm1',
      instructions: 'Be brief.',
      previous_response_id: 'resp_1',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Part one, ' },
            { type: 'input_text', text: 'two.' },
          ],
        },
      ],
    });
    await client.chat.completions.create({
      model: 'm2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'First.' },
        { role: 'assistant', content: 'Yes.' },
        { role: 'user', content: [{ type: 'text', text: 'Second.' }] },
      ],
    });

    const [responses, chat] = seen;
    expect(responses).toMatchObject({
      api: 'responses',
      model: 'm1',
      stream: false,
      instructions: 'Be brief.',
      previousResponseId: 'resp_1',
      lastUserText: 'Part one, two.',
    });
    expect(responses?.api === 'responses' && responses.input).toEqual([
      {
        role: 'user',
        content: [expect.objectContaining({ text: 'Part one, ' }), expect.objectContaining({ text: 'two.' })],
      },
    ]);
    expect(chat).toMatchObject({ api: 'chat-completions', model: 'm2', stream: false, lastUserText: 'Second.' });
    expect(chat?.api === 'chat-completions' && chat.messages).toHaveLength(4);
  });

  it('serves the scripted turns and pushed turns first, then asks respond', async () => {
    const asked: number[] = [];
    const current = await serve({
      turns: ['Scripted.'],
      respond: (request) => (asked.push(request.index), `Answer ${request.index}.`),
    });
    const model = models.responses(current.url, 'gpt-test');
    const answer = async () => (await run(new Agent({ name: 'A', model }), 'Hi')).finalOutput;

    expect(await answer()).toBe('Scripted.');
    expect(await answer()).toBe('Answer 2.');
    current.push({ status: 503 });
    await expect(answer()).rejects.toMatchObject({ status: 503 });
    expect(await answer()).toBe('Answer 4.');
    expect(asked).toEqual([2, 4]);
  });

  it('takes the fault vocabulary from respond too, and an async respond', async () => {
    const current = await serve({
      respond: async (request) => (request.model === 'broken' ? { text: 'Half an answer.', dropAfter: 5 } : 'Fine.'),
    });
    const error = await run(new Agent({ name: 'A', model: models.responses(current.url, 'broken') }), 'Hi').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ retryable: true, partial: { text: 'Half' } });
    expect((await run(new Agent({ name: 'A', model: models.responses(current.url, 'fine') }), 'Hi')).finalOutput).toBe(
      'Fine.',
    );
  });
});

describe('startServer({ respond }) that fails', () => {
  it('answers 500 with the message, not retried; records it; close() rejects with ResponderError', async () => {
    const current = await startServer({
      respond: (request) => {
        if (request.index === 1) throw new TypeError('no plan for this question');
        if (request.index === 2) return Promise.reject(new Error('async failure'));
        return { text: 'a', output: {} }; // two messages: not a valid turn
      },
    });
    // The SDK's own retries are on: x-should-retry: false keeps each failure to one request.
    const client = clientFor(current.url, 2);

    const failures: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      failures.push(await client.responses.create({ model: 'm', input: 'Hi' }).catch((error: unknown) => error));
    }

    expect(failures.map((error) => error instanceof APIError && [error.status, error.code])).toEqual([
      [500, 'respond_failed'],
      [500, 'respond_failed'],
      [500, 'respond_failed'],
    ]);
    expect((failures[0] as APIError).message).toContain(
      'respond function failed for model request 1 (POST /v1/responses): TypeError: no plan for this question',
    );
    expect(current.requests).toHaveLength(3);
    expect(current.requests.map((request) => request.error)).toEqual([
      'TypeError: no plan for this question',
      'Error: async failure',
      expect.stringContaining('give the assistant message as one of `text`, `output` or `refusal`'),
    ]);
    expect(current.errors).toHaveLength(3);
    expect(current.errors[0]).toBeInstanceOf(TypeError);
    expect(current.errors[2]).toBeInstanceOf(InvalidArgumentError);

    const closed = await current.close().catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(ResponderError);
    expect(ResponderError.isInstance(closed)).toBe(true);
    expect(closed).toMatchObject({
      message: expect.stringContaining('failed for 3 requests (each answered with a 500): TypeError: no plan'),
      errors: current.errors,
      cause: current.errors[0],
    });
  });

  it('fails the run with a ModelProviderError that names what respond threw', async () => {
    const current = await startServer({
      respond: () => {
        throw new Error('respond is broken');
      },
    });
    const agent = new Agent({ name: 'A', model: models['chat-completions'](current.url, 'gpt-test') });
    const error = await run(agent, 'Hi').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ status: 500, message: expect.stringContaining('Error: respond is broken') });
    expect(current.requests).toHaveLength(1);
    await expect(current.close()).rejects.toBeInstanceOf(ResponderError);
  });
});

describe('startServer({ echo })', () => {
  for (const api of ['responses', 'chat-completions'] as const) {
    it(`streams the last user message back word by word (${api})`, async () => {
      const { url } = await serve({ echo: true });
      const agent = new Agent({ name: 'Echo', model: models[api](url, 'any-model') });

      const events = await lastValueFrom(
        runStreamed(agent, [
          { type: 'message', role: 'user', content: 'Not this one.' },
          { type: 'message', role: 'assistant', content: 'Noted.' },
          { type: 'message', role: 'user', content: 'Hello there, offline world!' },
        ]).pipe(toArray()),
      );

      expect(events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))).toEqual([
        'Hello',
        ' there,',
        ' offline',
        ' world!',
      ]);
      expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'Hello there, offline world!' });
    });
  }

  it('is the echo responder, ready to use as respond', async () => {
    const { url } = await serve({ respond: echo });
    const result = await run(new Agent({ name: 'Echo', model: models.responses(url, 'm') }), 'Same thing.');
    expect(result.finalOutput).toBe('Same thing.');
  });
});

describe('startServer({ fixture })', () => {
  it('replays the recordings by request order, each API its own, looping', async () => {
    const { url } = await serve({
      fixture: [fixturePath('responses/text-two-messages.jsonl'), fixturePath('chat/text-300-chunks.jsonl')],
    });
    const client = clientFor(url);
    const responsesText = async (): Promise<string> => {
      let text = '';
      for await (const event of await client.responses.create({ model: 'm', input: 'Hi', stream: true })) {
        if (event.type === 'response.output_text.delta') text += event.delta;
      }
      return text;
    };
    const chatLength = async (): Promise<number> => {
      let text = '';
      const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text.length;
    };

    expect(await responsesText()).toBe('Got itHere are a few **AI');
    expect(await chatLength()).toBe(1724);
    expect(await responsesText()).toBe('Got itHere are a few **AI');
    expect(await chatLength()).toBe(1724);
  });

  it('plays a recorded agent loop through run(), then starts over', async () => {
    const { url } = await serve({
      fixture: new URL('../fixtures/openai/responses/calculator-four-turns.jsonl', import.meta.url),
    });
    const calculator = tool({
      name: 'calculator',
      description: 'Arithmetic.',
      parameters: z.object({ a: z.number(), b: z.number(), op: z.enum(['add', 'subtract', 'multiply', 'divide']) }),
      execute: ({ a, b, op }) => ({ add: a + b, subtract: a - b, multiply: a * b, divide: a / b })[op],
    });
    const agent = new Agent({ name: 'Calculator', model: models.responses(url, 'm'), tools: [calculator] });

    expect((await run(agent, 'Compute.')).finalOutput).toBe('The final result is **570**.');
    expect((await run(agent, 'Again.')).finalOutput).toBe('The final result is **570**.');
    expect(server?.requests).toHaveLength(8);
  });

  it('answers 500 naming the recordings when the other API is asked', async () => {
    const current = await startServer({ fixture: fixturePath('chat/xai-tool-call.jsonl') });
    const error = await clientFor(current.url)
      .responses.create({ model: 'm', input: 'Hi' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 500, code: 'respond_failed' });
    expect(String((error as Error).message)).toContain(
      'No recording for the Responses API (POST /v1/responses): the fixtures hold only 1 Chat Completions',
    );
    await expect(current.close()).rejects.toBeInstanceOf(ResponderError);
  });

  it('checks the recordings at start', async () => {
    await expect(startServer({ fixture: '/no/such/recording.jsonl' })).rejects.toThrow(
      /Invalid argument `options.fixture`: \/no\/such\/recording.jsonl: ENOENT/,
    );
    await expect(startServer({ fixture: new URL(import.meta.url).pathname })).rejects.toThrow(/not a JSON line/);
    await expect(startServer({ fixture: [] })).rejects.toThrow(/at least one/);
  });
});

describe('startServer: options', () => {
  it('refuses two responders, and a respond that is not a function', async () => {
    await expect(startServer({ echo: true, respond: echo })).rejects.toThrow(
      'Invalid argument `options.echo`: give one way to answer after the scripted turns: respond and echo were both given.',
    );
    await expect(startServer({ respond: 'hello' as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(startServer({ delayMs: -1 })).rejects.toThrow(/options.delayMs/);
  });
});

describe('startServerProcess with answers by request', () => {
  it('echoes and replays fixtures from the child process', async () => {
    const child = await startServerProcess({ turns: ['Scripted first.'], echo: true });
    try {
      const model = models['chat-completions'](child.url, 'm');
      expect((await run(new Agent({ name: 'A', model }), 'Hi')).finalOutput).toBe('Scripted first.');
      expect((await run(new Agent({ name: 'A', model }), 'Echo me.')).finalOutput).toBe('Echo me.');
      expect((await child.requests()).map((request) => request.path)).toEqual([
        '/v1/chat/completions',
        '/v1/chat/completions',
      ]);
    } finally {
      await child.close();
    }
  });

  it('reports a failing responder when it closes', async () => {
    const child = await startServerProcess({ fixture: fixturePath('chat/xai-tool-call.jsonl') });
    const error = await clientFor(child.url)
      .responses.create({ model: 'm', input: 'Hi' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 500, code: 'respond_failed' });
    expect((await child.requests())[0]?.error).toContain('No recording for the Responses API');
    const closed = await child.close().catch((caught: unknown) => caught);
    expect(closed).toBeInstanceOf(ResponderError);
    expect((closed as ResponderError).errors).toEqual([expect.stringContaining('No recording for the Responses API')]);
  });

  it('refuses a respond function, saying why, before starting a process', async () => {
    const options = { respond: echo } as unknown as ServerProcessOptions;
    await expect(startServerProcess(options)).rejects.toThrow(
      /Invalid argument `options.respond`: startServerProcess cannot take a function: it cannot cross to the child process/,
    );
    await expect(startServerProcess({ fixture: '/no/such.jsonl' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

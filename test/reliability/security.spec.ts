/**
 * Security, over both APIs against the local server: the API key stays out of events, errors
 * (message, stack, JSON, `partial`, causes) and log lines even when the provider echoes it back;
 * tool arguments are validated before `execute` and cannot pollute prototypes; a tool name the
 * agent lacks never reaches code.
 */
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  ModelBehaviorError,
  ModelProviderError,
  Runner,
  tool,
  type AnyTool,
  type RunOptions,
} from '../../src/index.js';
import type { ServerTurn } from '../../src/testing/server/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { apiKey, apis, clientFor, keyParts, outcomeOf, textOf, type Api, useKeyWatch } from './helpers.js';

const runner = new Runner();
const { serve } = useLocalServer();
const keyWatch = useKeyWatch();
const { expectNoKey } = keyWatch;

const echo = (status: number) => ({
  status,
  headers: { 'x-echo': `your key was ${apiKey}`, 'retry-after-ms': '5' },
  body: {
    error: {
      message: `Incorrect API key provided: ${apiKey}. You can find your API key at https://platform.openai.com.`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  },
});

/** A stream that says some text, then reports an error whose message echoes the key. */
function errorInStream(api: Api): ServerTurn {
  const message = `The server had an error processing your request with key ${apiKey}.`;
  if (api.name === 'Responses') {
    const text = ['Partial ', 'answer '];
    return {
      events: [
        {
          type: 'response.created',
          sequence_number: 0,
          response: { id: 'resp_x', object: 'response', status: 'in_progress', output: [] },
        },
        ...text.map((delta, index) => ({
          type: 'response.output_text.delta',
          sequence_number: index + 1,
          item_id: 'msg',
          output_index: 0,
          content_index: 0,
          delta,
          logprobs: [],
        })),
        { type: 'error', sequence_number: 3, code: 'server_error', message, param: null },
      ],
    };
  }
  const chunk = (content: string) => ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
  return {
    events: [chunk('Partial '), chunk('answer '), { error: { message, type: 'server_error', code: 'server_error' } }],
  };
}

describe.each(apis)('the API key over $name', (api: Api) => {
  const agentOn = (url: string, clientOptions: Parameters<typeof clientFor>[1] = {}) =>
    new Agent({ name: 'A', model: api.model(clientFor(url, clientOptions)) });
  const run = (agent: Agent<string, unknown>, options?: RunOptions) =>
    outcomeOf(runner.runStreamed(agent, 'Hello', options));

  it('a 401 whose body echoes the key: redacted in the message and in the SDK error kept as cause', async () => {
    const { url } = await serve(echo(401));
    const outcome = await run(agentOn(url));
    expect(outcome.error).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect((outcome.error as Error).message).toContain('Incorrect API key provided: [redacted]');
    expect(inspect(outcome.error, { depth: 12 })).toContain('[redacted]');
    expectNoKey(outcome);
  });

  it('a 500 every time, echoing the key in body and headers, through SDK and run retries', async () => {
    const { url, requests } = await serve(...Array.from({ length: 6 }, () => echo(500)));
    const outcome = await run(agentOn(url), { retry: { maxRetries: 1, initialDelayMs: 1 } });
    expect(outcome.error).toMatchObject({ status: 500 });
    expect(requests).toHaveLength(6);
    expectNoKey(outcome);
  });

  it('an error inside the stream that echoes the key, after text: redacted in the error and in the raw events', async () => {
    const { url } = await serve(errorInStream(api));
    const outcome = await run(agentOn(url));
    expect(outcome.error).toBeInstanceOf(ModelProviderError);
    expect((outcome.error as Error).message).toContain('[redacted]');
    expect(outcome.error).toMatchObject({
      code: 'server_error',
      retryable: true,
      partial: { text: 'Partial answer ' },
    });
    expect(textOf(outcome.events)).toBe('Partial answer ');
    expectNoKey(outcome);
  });

  // (At debug level the SDK logs response headers as they came: a server that echoed the key in
  // a header would have it logged by the SDK itself, out of this library's reach.)
  it("the SDK's own debug log of requests (Authorization hidden), retries and failures", async () => {
    const { url } = await serve(
      { status: 429, headers: { 'retry-after-ms': '5' } },
      { text: 'Hello.' },
      { ...echo(401), headers: {} },
    );
    const client = { logLevel: 'debug' as const, logger: keyWatch.logs.logger() };
    const ok = await run(agentOn(url, client));
    const failed = await run(agentOn(url, client));
    expect(ok.completed).toBe(true);
    expect(failed.error).toMatchObject({ status: 401 });
    expect(keyWatch.logs.lines.some((line) => line.includes('sending request'))).toBe(true);
    expectNoKey(ok);
    expectNoKey(failed);
  });

  it('the agent and its model, printed or serialized, never show the client', () => {
    const agent = agentOn('http://127.0.0.1:9/v1');
    const shown = [
      inspect(agent, { depth: 12, showHidden: true }),
      JSON.stringify(agent.model),
      String(agent.model),
    ].join('\n');
    for (const part of keyParts) expect(shown).not.toContain(part);
  });
});

/**
 * What a custom `fetch` (a proxy agent, a corporate wrapper) may throw, each holding the key in a
 * place the SDK keeps as our error's cause chain: every shape must be scrubbed, however deep.
 */
const thrownShapes: [string, () => unknown][] = [
  [
    'an AggregateError, the key in one of its errors',
    () =>
      new AggregateError(
        [new Error('connect ECONNREFUSED ::1:443'), new Error(`proxy refused Bearer ${apiKey}`)],
        'fetch failed',
      ),
  ],
  [
    'a cause chain 40 deep, the key at its end',
    () => {
      let error = new Error(`upstream said: invalid key ${apiKey}`);
      for (let depth = 0; depth < 40; depth += 1) error = new Error(`layer ${depth}`, { cause: error });
      return error;
    },
  ],
  [
    'request headers in a Map',
    () => Object.assign(new Error('fetch failed'), { headers: new Map([['authorization', `Bearer ${apiKey}`]]) }),
  ],
  [
    'a Map nested in plain data, the key as a Map key too',
    () =>
      Object.assign(new Error('fetch failed'), {
        request: {
          url: 'https://api.example',
          headers: new Map([
            [apiKey, 'x'],
            ['authorization', `Bearer ${apiKey}`],
          ]),
        },
      }),
  ],
  [
    'a Set, a symbol-keyed property and a property named after the key',
    () =>
      Object.assign(new Error('fetch failed'), {
        tried: new Set([`Bearer ${apiKey}`]),
        [Symbol('request')]: { authorization: `Bearer ${apiKey}` },
        [apiKey]: true,
      }),
  ],
  [
    'an immutable Headers of a Response',
    () => Object.assign(new Error('fetch failed'), { response: new Response('', { headers: { 'x-echo': apiKey } }) }),
  ],
  [
    'a cycle: an error that is its own cause, its errors holding itself',
    () => {
      const error = new AggregateError([], `bad key ${apiKey}`);
      Object.defineProperty(error, 'cause', { value: error, enumerable: false, configurable: true, writable: true });
      error.errors.push(error, [error, { again: error, key: apiKey }]);
      return error;
    },
  ],
  ['a thrown string', () => `refused: ${apiKey}`],
];

/** Every printed form of `error`: `util.inspect` unbounded and with hidden properties, JSON, String. */
function printed(error: unknown): string {
  const parts = [
    inspect(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    inspect(error, { depth: Infinity, showHidden: true, getters: true }),
    JSON.stringify(error),
    String(error),
  ];
  const seen = new Set<unknown>();
  for (let current: unknown = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    parts.push(String(current), current.stack ?? '', JSON.stringify(current));
  }
  return parts.join('\n');
}

describe.each(apis)('the API key in whatever a failing fetch throws, over $name', (api: Api) => {
  const failingOn = (thrown: () => unknown) =>
    new Agent({
      name: 'A',
      model: api.model(clientFor('http://127.0.0.1:9/v1', { maxRetries: 0, fetch: () => Promise.reject(thrown()) })),
    });

  it.each(thrownShapes)('%s: never printed', async (_, thrown) => {
    const outcome = await outcomeOf(runner.runStreamed(failingOn(thrown), 'Hello'));
    expect(outcome.error).toBeInstanceOf(ModelProviderError);
    const shown = printed(outcome.error);
    expect(shown).toMatch(/\[redacted(: \w+)?\]/);
    for (const part of keyParts) expect(shown).not.toContain(part);
    expectNoKey(outcome);
  });

  it('a live object that holds the key (a client attached to the error) is left intact, and not printed', async () => {
    const attached = clientFor('http://127.0.0.1:9/v1');
    const outcome = await outcomeOf(
      runner.runStreamed(
        failingOn(() => Object.assign(new Error('fetch failed'), { client: attached })),
        'Hello',
      ),
    );
    expect(attached.apiKey).toBe(apiKey);
    const shown = printed(outcome.error);
    expect(shown).toContain('[redacted: OpenAI]');
    for (const part of keyParts) expect(shown).not.toContain(part);
  });
});

describe.each(apis)('tool calls from the model over $name', (api: Api) => {
  const agentWith = (url: string, tools: AnyTool[]) =>
    new Agent({ name: 'A', model: api.model(clientFor(url)), tools });

  it('arguments are validated before execute runs: invalid ones never reach it, and are reported to the model', async () => {
    const execute = vi.fn(() => 'ok');
    const weather = tool({
      name: 'weather',
      description: 'Weather.',
      parameters: z.object({ city: z.string().min(1), days: z.number().int().max(7) }),
      execute,
    });
    const { url, requests } = await serve(
      {
        toolCalls: [
          { name: 'weather', arguments: { city: '', days: 30 }, callId: 'c1' },
          { name: 'weather', arguments: '{"city": "Oslo", ', callId: 'c2' },
        ],
      },
      { text: 'Let me try again.' },
    );
    const outcome = await outcomeOf(runner.runStreamed(agentWith(url, [weather]), 'Weather?'));
    expect(execute).not.toHaveBeenCalled();
    const outputs = outcome.events.filter((event) => event.type === 'tool-output');
    expect(outputs).toEqual([
      expect.objectContaining({ callId: 'c1', error: expect.objectContaining({ name: 'ZodError' }) }),
      expect.objectContaining({ callId: 'c2', error: expect.objectContaining({ name: 'SyntaxError' }) }),
    ]);
    const sent = JSON.stringify(requests[1]!.body);
    expect(sent).toContain("do not match the tool's schema");
    expect(sent).toContain('not valid JSON');
  });

  it('arguments with __proto__ and constructor keys pollute no prototype', async () => {
    const received: unknown[] = [];
    const place = tool({
      name: 'place',
      description: '',
      parameters: z.object({ city: z.string(), options: z.object({ units: z.string() }) }),
      execute: (args) => (received.push(args), 'ok'),
    });
    const hostile =
      '{"city":"Oslo","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
      '"options":{"units":"metric","__proto__":{"polluted":"yes"}}}';
    const { url } = await serve(
      { toolCalls: [{ name: 'place', arguments: hostile, callId: 'c1' }] },
      { text: 'Done.' },
    );
    const outcome = await outcomeOf(runner.runStreamed(agentWith(url, [place]), 'Go'));
    expect(outcome.completed).toBe(true);
    expect(received).toEqual([{ city: 'Oslo', options: { units: 'metric' } }]);
    const [args] = received as [{ options: object }];
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(args.options)).toBe(Object.prototype);
    // The tool-call event shows the arguments as parsed, without any own __proto__ key, so that a
    // naive merge of them (Object.assign, a hand-written deep merge) cannot set a prototype.
    const call = outcome.events.find((event) => event.type === 'tool-call');
    const shown = call?.arguments as { constructor: unknown; options: object };
    expect(Object.hasOwn(shown, '__proto__')).toBe(false);
    expect(Object.hasOwn(shown.options, '__proto__')).toBe(false);
    expect(shown.constructor).toEqual({ prototype: { polluted: 'yes' } }); // plain data, kept
    const merged = Object.assign({}, shown, shown.options) as { polluted?: unknown };
    expect(merged.polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('a tool whose schema strict mode cannot express (loose, record) is refused when it is made', () => {
    for (const parameters of [
      z.looseObject({ city: z.string() }),
      z.object({ tags: z.record(z.string(), z.string()) }),
    ]) {
      expect(() => tool({ name: 'loose', description: '', parameters, execute: () => 'ok' })).toThrow(
        expect.objectContaining({ name: 'InvalidArgumentError', argument: 'parameters' }),
      );
    }
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'transfer_to_nobody'])(
    "a tool named '%s', which the agent lacks, fails the run before any tool runs",
    async (name) => {
      const execute = vi.fn(() => 'ok');
      const real = tool({ name: 'real', description: '', parameters: z.object({}), execute });
      const { url, requests } = await serve(
        {
          toolCalls: [
            { name: 'real', arguments: {} },
            { name, arguments: {} },
          ],
        },
        { text: 'never' },
      );
      const outcome = await outcomeOf(runner.runStreamed(agentWith(url, [real]), 'Go'));
      expect(outcome.error).toBeInstanceOf(ModelBehaviorError);
      expect((outcome.error as Error).message).toContain(`a tool named '${name}'`);
      expect(execute).not.toHaveBeenCalled();
      expect(outcome.events.some((event) => event.type === 'tool-output')).toBe(false);
      expect(requests).toHaveLength(1);
    },
  );
});

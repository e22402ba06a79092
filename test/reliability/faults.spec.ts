/**
 * The fault matrix, over both OpenAI APIs against the local server: HTTP errors with and without
 * retries, a dead base URL, dropped and corrupted streams, stalls, incomplete responses, failing
 * and slow tools. Each case states its outcome — and that the API key shows nowhere in it.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  ModelProviderError,
  ModelTimeoutError,
  Runner,
  tool,
  ToolCallError,
  ToolTimeoutError,
  type FunctionCallOutputItem,
  type RunOptions,
} from '../../src/index.js';
import type { ServerTurn } from '../../src/testing/server/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { apis, clientFor, outcomeOf, textOf, words, type Api, useKeyWatch } from './helpers.js';

const runner = new Runner();
const { serve } = useLocalServer();
const { expectNoKey } = useKeyWatch();

const rateLimitBody = {
  error: {
    message: 'Rate limit reached for gpt-4.1-mini on tokens per min (TPM): Limit 30000, Used 30000.',
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
  },
};

describe.each(apis)('faults over $name', (api: Api) => {
  const agentOn = (
    url: string,
    clientOptions: Parameters<typeof clientFor>[1] = {},
    extra: Partial<ConstructorParameters<typeof Agent>[0]> = {},
  ) => new Agent({ name: 'Assistant', model: api.model(clientFor(url, clientOptions)), ...extra });
  const run = <T>(agent: Agent<T, unknown>, options?: RunOptions) =>
    outcomeOf(runner.runStreamed(agent, 'Hello', options));

  describe('HTTP errors', () => {
    it('429 with Retry-After, then success: the SDK waits as asked and the run succeeds, in 2 requests', async () => {
      const { url, requests } = await serve(
        { status: 429, headers: { 'retry-after': '0.2' }, body: rateLimitBody },
        { text: 'Hello after waiting.' },
      );
      const outcome = await run(agentOn(url));
      expect(outcome.error).toBeUndefined();
      expect(outcome.events.at(-1)).toMatchObject({ type: 'final-output', output: 'Hello after waiting.' });
      expect(requests).toHaveLength(2);
      expect(requests[1]!.receivedAt - requests[0]!.receivedAt).toBeGreaterThanOrEqual(190);
      expectNoKey(outcome);
    });

    it('429 with Retry-After, then success, with the SDK retries off: the run retry honours Retry-After', async () => {
      const { url, requests } = await serve(
        { status: 429, headers: { 'retry-after': '0.2' }, body: rateLimitBody },
        { text: 'Hello.' },
      );
      const outcome = await run(agentOn(url, { maxRetries: 0 }), { retry: { maxRetries: 2, initialDelayMs: 1 } });
      expect(outcome.events.at(-1)).toMatchObject({ type: 'final-output', output: 'Hello.' });
      expect(requests).toHaveLength(2);
      expect(requests[1]!.receivedAt - requests[0]!.receivedAt).toBeGreaterThanOrEqual(190);
      expectNoKey(outcome);
    });

    it('429 every time: fails with the status and the provider message after the SDK retries (3 requests)', async () => {
      const turns = Array.from({ length: 3 }, () => ({
        status: 429,
        headers: { 'retry-after-ms': '10' },
        body: rateLimitBody,
      }));
      const { url, requests } = await serve(...turns);
      const outcome = await run(agentOn(url));
      expect(outcome.error).toBeInstanceOf(ModelProviderError);
      expect(outcome.error).toMatchObject({
        status: 429,
        code: 'rate_limit_exceeded',
        retryable: true,
        retryAfterMs: 10,
      });
      expect((outcome.error as Error).message).toContain('Rate limit reached for gpt-4.1-mini');
      expect(requests).toHaveLength(3);
      expectNoKey(outcome);
    });

    it('429 every time, with retry { maxRetries: 2 } on top: (1 + 2 SDK retries) × (1 + 2 run retries) = 9 requests', async () => {
      const turns = Array.from({ length: 9 }, () => ({
        status: 429,
        headers: { 'retry-after-ms': '5' },
        body: rateLimitBody,
      }));
      const { url, requests } = await serve(...turns);
      const outcome = await run(agentOn(url), { retry: { maxRetries: 2, initialDelayMs: 5 } });
      expect(outcome.error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
      expect((outcome.error as Error).message).toContain('Rate limit reached');
      expect(requests).toHaveLength(9);
      expect(outcome.events.some((event) => event.type === 'turn-restarted')).toBe(false);
      expectNoKey(outcome);
    });

    it.each([500, 503])('%i, then success: the run succeeds in 2 requests', async (status) => {
      const { url, requests } = await serve({ status }, { text: 'Recovered.' });
      const outcome = await run(agentOn(url));
      expect(outcome.events.at(-1)).toMatchObject({ type: 'final-output', output: 'Recovered.' });
      expect(requests).toHaveLength(2);
      expectNoKey(outcome);
    });

    it('401 fails at once, without retries (neither the SDK nor the run retry), with the provider code and message', async () => {
      const body = {
        error: {
          message: `Incorrect API key provided: ${'sk-proj-****XYZ'}.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      };
      const { url, requests } = await serve({ status: 401, body }, { text: 'never' });
      const outcome = await run(agentOn(url), { retry: { maxRetries: 3, initialDelayMs: 1 } });
      expect(outcome.error).toBeInstanceOf(ModelProviderError);
      expect(outcome.error).toMatchObject({ status: 401, code: 'invalid_api_key', retryable: false });
      expect((outcome.error as Error).message).toContain('Incorrect API key provided');
      expect(requests).toHaveLength(1);
      expect(outcome.ms).toBeLessThan(1_000);
      expectNoKey(outcome);
    });
  });

  describe('nothing listening at the base URL', () => {
    /** A port on which nothing listens: bound, read, released. */
    async function deadUrl(): Promise<string> {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as { port: number };
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return `http://127.0.0.1:${port}/v1`;
    }

    it('fails with a clear connection error that names the URL and ECONNREFUSED, fast (SDK retries included)', async () => {
      const url = await deadUrl();
      const outcome = await run(agentOn(url));
      expect(outcome.error).toBeInstanceOf(ModelProviderError);
      const { message } = outcome.error as Error;
      expect(message).toContain('connection failed');
      expect(message).toContain(url);
      expect(message).toContain('ECONNREFUSED');
      expect(outcome.error).toMatchObject({ retryable: true });
      expect(outcome.ms).toBeLessThan(3_000); // the SDK's two backoffs: about 0.4–0.5 s and 0.75–1 s
      expectNoKey(outcome);
    });

    it('with the SDK retries off, fails in well under a second', async () => {
      const outcome = await run(agentOn(await deadUrl(), { maxRetries: 0 }));
      expect((outcome.error as Error).message).toContain('ECONNREFUSED');
      expect(outcome.ms).toBeLessThan(500);
      expectNoKey(outcome);
    });
  });

  describe('a dropped connection', () => {
    const look = tool({ name: 'look', description: 'Looks.', parameters: z.object({}), execute: () => 'seen' });
    const firstTurn: ServerTurn = {
      toolCalls: [{ name: 'look', arguments: {} }],
      usage: { inputTokens: 7, outputTokens: 3 },
    };

    it.each([1, 5, 12])(
      'after %i text deltas: partial.text is exactly those deltas, partial.usage that of the completed turn',
      async (n) => {
        const text = words(20);
        const { url, requests } = await serve(firstTurn, { text, dropAfter: api.beforeText + n });
        const outcome = await run(agentOn(url, {}, { tools: [look] }));
        expect(outcome.error).toBeInstanceOf(ModelProviderError);
        expect((outcome.error as Error).message).toMatch(/broke off|ended before/);
        expect(outcome.error).toMatchObject({
          retryable: true,
          partial: {
            text: text.slice(0, n).join(''),
            usage: { requests: 1, inputTokens: 7, outputTokens: 3, totalTokens: 10 },
          },
        });
        expect(textOf(outcome.events)).toBe(text.slice(0, n).join(''));
        expect(requests).toHaveLength(2); // a stream that broke off is never retried by the SDK
        expectNoKey(outcome);
      },
    );

    it('with retry but not afterOutput, is not retried once text was shown: fails with partial', async () => {
      const { url, requests } = await serve({ text: words(10), dropAfter: api.beforeText + 3 }, { text: 'never' });
      const outcome = await run(agentOn(url), { retry: { maxRetries: 3, initialDelayMs: 1 } });
      expect(outcome.error).toMatchObject({ partial: { text: 'w0 w1 w2 ' } });
      expect(requests).toHaveLength(1);
      expectNoKey(outcome);
    });

    it('with retry.afterOutput: turn-restarted, then the turn again from its start; the final text is the retry alone', async () => {
      const { url, requests } = await serve(
        { text: words(10), dropAfter: api.beforeText + 3 },
        { text: ['Hello', ' again.'] },
      );
      const outcome = await run(agentOn(url), { retry: { maxRetries: 1, initialDelayMs: 1, afterOutput: true } });
      const types = outcome.events.filter((event) => event.type !== 'raw').map((event) => event.type);
      expect(types).toEqual([
        'turn-started',
        'text-delta',
        'text-delta',
        'text-delta',
        'turn-restarted',
        'text-delta',
        'text-delta',
        'turn-completed',
        'final-output',
      ]);
      expect(outcome.events.find((event) => event.type === 'turn-restarted')).toMatchObject({
        turn: 1,
        attempt: 2,
        reason: { name: 'ModelProviderError' },
      });
      expect(outcome.events.at(-1)).toMatchObject({ output: 'Hello again.' });
      expect(requests).toHaveLength(2);
      expectNoKey(outcome);
    });

    it('before any text: retried silently by the run retry', async () => {
      const { url, requests } = await serve({ text: words(3), dropAfter: 1 }, { text: 'Second try.' });
      const outcome = await run(agentOn(url), { retry: { maxRetries: 1, initialDelayMs: 1 } });
      expect(outcome.events.some((event) => event.type === 'turn-restarted')).toBe(false);
      expect(textOf(outcome.events)).toBe('Second try.');
      expect(requests).toHaveLength(2);
      expectNoKey(outcome);
    });
  });

  describe('a line that is not JSON', () => {
    it('fails with a clear error, never a hang, keeping the text before it', async () => {
      const { url } = await serve({ text: words(6), badLineAfter: api.beforeText + 2 });
      const outcome = await run(agentOn(url));
      expect(outcome.error).toBeInstanceOf(ModelProviderError);
      expect((outcome.error as Error).message).toContain('not valid JSON');
      expect(outcome.error).toMatchObject({ partial: { text: 'w0 w1 ' } });
      expect(outcome.ms).toBeLessThan(2_000);
      expectNoKey(outcome);
    });
  });

  describe('a stream that stalls', () => {
    it('fails with ModelTimeoutError after idleTimeoutMs, keeping the text so far, and closes the socket', async () => {
      const { url, requests } = await serve({ text: words(6), stallAfter: api.beforeText + 2 });
      const outcome = await run(agentOn(url), { idleTimeoutMs: 200 });
      expect(outcome.error).toBeInstanceOf(ModelTimeoutError);
      expect(outcome.error).toMatchObject({ timeoutMs: 200, partial: { text: 'w0 w1 ' } });
      expect(outcome.ms).toBeGreaterThanOrEqual(195);
      expect(outcome.ms).toBeLessThan(1_000);
      await expect.poll(() => requests[0]!.closedAt, { interval: 5 }).toBeDefined();
      expect(requests[0]!.aborted).toBe(true);
      expectNoKey(outcome);
    });

    it('that stalls before its first byte counts too; with retry it is retried and succeeds', async () => {
      const { url, requests } = await serve({ text: words(3), stallAfter: 0 }, { text: 'Awake.' });
      const outcome = await run(agentOn(url), { idleTimeoutMs: 150, retry: { maxRetries: 1, initialDelayMs: 1 } });
      expect(outcome.events.at(-1)).toMatchObject({ type: 'final-output', output: 'Awake.' });
      expect(requests).toHaveLength(2);
      expect(requests[0]!.aborted).toBe(true);
      expectNoKey(outcome);
    });
  });

  describe('an incomplete response (max output tokens)', () => {
    it('fails with code max_output_tokens, not retried; partial keeps the text and the usage of the cut response', async () => {
      const deltas = ['The answer ', 'is cut ', 'right '];
      const { url, requests } = await serve(api.incompleteTurn(deltas), { text: 'never' });
      const outcome = await run(agentOn(url), { retry: { maxRetries: 2, initialDelayMs: 1 } });
      expect(outcome.error).toBeInstanceOf(ModelProviderError);
      expect(outcome.error).toMatchObject({
        code: 'max_output_tokens',
        retryable: false,
        partial: {
          text: 'The answer is cut right ',
          usage: { requests: 1, inputTokens: 10, outputTokens: 3, totalTokens: 13 },
        },
      });
      expect((outcome.error as Error).message).toContain('incomplete (max_output_tokens)');
      expect(requests).toHaveLength(1);
      expectNoKey(outcome);
    });
  });

  describe('tools', () => {
    const failing = tool({
      name: 'fetch_weather',
      description: 'Fails.',
      parameters: z.object({ city: z.string() }),
      execute: () => {
        throw new Error('weather service unavailable');
      },
    });
    const aborted: unknown[] = [];
    const slow = tool({
      name: 'slow_lookup',
      description: 'Never answers in time.',
      parameters: z.object({}),
      timeoutMs: 50,
      execute: (_args, { signal }) =>
        new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('too late'), 5_000);
          signal.addEventListener('abort', () => {
            aborted.push(signal.reason);
            clearTimeout(timer);
          });
        }),
    });

    it.each([
      ['a tool that throws', 'fetch_weather', { city: 'Oslo' }, 'weather service unavailable', 'Error'],
      ['a tool past its timeoutMs', 'slow_lookup', {}, 'ran past its timeoutMs of 50 ms', 'ToolTimeoutError'],
    ])('%s is reported to the model by default, and the run goes on', async (_case, name, args, text, errorName) => {
      const { url, requests } = await serve(
        { toolCalls: [{ name, arguments: args, callId: 'c1' }] },
        { text: 'Sorry about that.' },
      );
      const outcome = await run(agentOn(url, {}, { tools: [failing, slow] }));
      expect(outcome.events.find((event) => event.type === 'tool-output')).toMatchObject({
        callId: 'c1',
        name,
        error: { name: errorName },
      });
      expect(outcome.events.at(-1)).toMatchObject({ type: 'final-output', output: 'Sorry about that.' });
      const sent = JSON.stringify(
        (requests[1]!.body as Record<string, unknown>)[api.name === 'Responses' ? 'input' : 'messages'],
      );
      expect(sent).toContain(text);
      expectNoKey(outcome);
    });

    it.each([
      ['a tool that throws', 'fetch_weather', { city: 'Oslo' }, ToolCallError],
      ['a tool past its timeoutMs', 'slow_lookup', {}, ToolTimeoutError],
    ])("%s fails the run with toolErrors: 'throw'", async (_case, name, args, errorClass) => {
      const { url, requests } = await serve(
        { toolCalls: [{ name, arguments: args }], usage: { inputTokens: 4, outputTokens: 2 } },
        { text: 'never' },
      );
      const outcome = await run(agentOn(url, {}, { tools: [failing, slow] }), { toolErrors: 'throw' });
      expect(outcome.error).toBeInstanceOf(errorClass);
      expect(outcome.error).toMatchObject({
        toolName: name,
        partial: { usage: { requests: 1, inputTokens: 4, outputTokens: 2 } },
      });
      expect(requests).toHaveLength(1);
      expectNoKey(outcome);
    });

    it('a tool past its timeoutMs has its signal aborted with the ToolTimeoutError', async () => {
      aborted.length = 0;
      const { url } = await serve({ toolCalls: [{ name: 'slow_lookup', arguments: {} }] }, { text: 'ok' });
      await run(agentOn(url, {}, { tools: [slow] }));
      expect(aborted).toHaveLength(1);
      expect(aborted[0]).toBeInstanceOf(ToolTimeoutError);
    });

    it('the function_call_output items of the run are kept in partial when a later turn fails', async () => {
      const { url } = await serve(
        { toolCalls: [{ name: 'fetch_weather', arguments: { city: 'Oslo' }, callId: 'c9' }] },
        { status: 400 },
      );
      const outcome = await run(agentOn(url, {}, { tools: [failing] }));
      const items = (outcome.error as ModelProviderError).partial?.newItems ?? [];
      expect(items.filter((item): item is FunctionCallOutputItem => item.type === 'function_call_output')).toEqual([
        expect.objectContaining({ call_id: 'c9', output: expect.stringContaining('weather service unavailable') }),
      ]);
    });
  });
});

/**
 * The local server's rate-limit budget (`startServer({ rateLimits })`): OpenAI's `x-ratelimit-*`
 * headers on every model response and a 429 with `Retry-After` over budget, through the real
 * `openai` client; and the budget itself on a clock of the test's, refilling continuously.
 */
import { RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { duration } from '../../../src/models/rateLimitHeaders.js';
import { InvalidArgumentError } from '../../../src/errors.js';
import { startServer } from '../../../src/testing/server/index.js';
import { formatDuration, RateBudget } from '../../../src/testing/server/rateBudget.js';
import { jsonl, line, pollToEnd, upload, useServer } from '../../helpers/batchServer.js';

const limited = useServer();

describe('startServer: rate limits over HTTP', () => {
  it("sends OpenAI's x-ratelimit headers, charging a request and the usage the answer reports", async () => {
    const client = await limited.serve({
      turns: [{ text: 'one two three', usage: { inputTokens: 90, outputTokens: 10 } }, 'again'],
      rateLimits: { requestsPerMinute: 3, tokensPerMinute: 6000 },
    });
    const { response } = await client.responses.create({ model: 'm', input: 'hi' }).withResponse();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name.startsWith('x-ratelimit-')) headers[name] = value;
    });
    expect(headers).toMatchObject({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-limit-tokens': '6000',
    });
    // One request of three a minute comes back in 20 s; the 100 tokens reported (not the estimate
    // of the request's size, about 7) of 6,000 in 1 s — each less what came back since.
    expect(duration(headers['x-ratelimit-reset-requests'] ?? null)).toBeLessThanOrEqual(20_000);
    expect(duration(headers['x-ratelimit-reset-requests'] ?? null)).toBeGreaterThan(19_000);
    expect(Number(headers['x-ratelimit-remaining-tokens'])).toBeLessThan(5910);
    expect(Number(headers['x-ratelimit-remaining-tokens'])).toBeGreaterThanOrEqual(5900);
    expect(duration(headers['x-ratelimit-reset-tokens'] ?? null)).toBeLessThanOrEqual(1000);
    expect(duration(headers['x-ratelimit-reset-tokens'] ?? null)).toBeGreaterThan(900);
    // Chat Completions, streamed, carries them too.
    const stream = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    expect(stream.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    for await (const chunk of stream.data) void chunk;
  });

  it('answers a request over budget with 429 rate_limit_exceeded and Retry-After, taking no turn', async () => {
    let answered = 0;
    const client = await limited.serve({
      respond: () => {
        answered += 1;
        return 'ok';
      },
      rateLimits: { requestsPerMinute: 2 },
    });
    await client.responses.create({ model: 'm', input: 'a' });
    await client.responses.create({ model: 'm', input: 'b' });
    const error = await client.responses.create({ model: 'm', input: 'c' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    const limit = error as RateLimitError;
    expect(limit).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    expect(limit.message).toContain('Limit 2');
    // One request of two a minute is 30 s away (less the few ms since).
    expect(limit.headers.get('retry-after')).toBe('30');
    const retryMs = Number(limit.headers.get('retry-after-ms'));
    expect(retryMs).toBeLessThanOrEqual(30_000);
    expect(retryMs).toBeGreaterThan(29_000);
    expect(limit.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(answered).toBe(2);
    expect(limited.server.requests.map((request) => request.path)).toHaveLength(3);
  });

  it('charges the estimate while a request is answered, then the usage it reports', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const client = await limited.serve({
      respond: async (request) => {
        if (request.lastUserText === 'held') {
          held = true;
          await gate;
        }
        return 'ok';
      },
      rateLimits: { tokensPerMinute: 1000 },
    });
    // Held in the responder, this request has its estimate charged: its size and 950 output tokens.
    const first = client.responses.create({ model: 'm', input: 'held', max_output_tokens: 950 });
    while (!held) await new Promise((resolve) => setTimeout(resolve, 1));
    const big = { model: 'm', input: 'x'.repeat(600) }; // about 160 tokens
    const error = await client.responses.create(big).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'tokens' });
    // Answered, it costs only the 11 tokens it reports, and the same request fits.
    release();
    await first;
    await expect(client.responses.create(big)).resolves.toMatchObject({ status: 'completed' });
  });

  it("does not charge a batch's lines, which have limits of their own", async () => {
    const client = await limited.serve({ echo: true, rateLimits: { requestsPerMinute: 1 }, batches: { stepMs: 1 } });
    const input_file_id = await upload(client, jsonl([line('a', 'a'), line('b', 'b'), line('c', 'c')]));
    const { id } = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    expect((await pollToEnd(client, id)).at(-1)).toMatchObject({ request_counts: { completed: 3, failed: 0 } });
    const { response } = await client.responses.create({ model: 'm', input: 'direct' }).withResponse();
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('checks its options', async () => {
    await expect(startServer({ rateLimits: { requestsPerMinute: 0 } })).rejects.toThrow(InvalidArgumentError);
    await expect(startServer({ rateLimits: { tokensPerMinute: Number.NaN } })).rejects.toThrow(
      /rateLimits\.tokensPerMinute/,
    );
  });
});

describe('RateBudget', () => {
  it('refills continuously: a minute of 60 requests gives one back each second', () => {
    let now = 0;
    const budget = RateBudget.of({ requestsPerMinute: 60 }, () => now)!;
    for (let index = 0; index < 60; index += 1) expect(budget.admit(0).ok).toBe(true);
    const refused = budget.admit(0);
    expect(refused).toMatchObject({ ok: false, headers: { 'retry-after': '1', 'retry-after-ms': '1000' } });
    now = 600;
    expect(budget.admit(0)).toMatchObject({ ok: false, headers: { 'retry-after-ms': '400' } });
    now = 1000;
    expect(budget.admit(0).ok).toBe(true);
    expect(budget.headers()).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1m0s',
    });
    now = 31_000;
    expect(budget.headers()['x-ratelimit-remaining-requests']).toBe('30');
    now = 1_000_000;
    expect(budget.headers()['x-ratelimit-remaining-requests']).toBe('60');
  });

  it('corrects an estimate to the usage reported, and lets a request larger than the budget wait for a full one', () => {
    let now = 0;
    const budget = RateBudget.of({ tokensPerMinute: 1000 }, () => now)!;
    const first = budget.admit(600);
    expect(first.ok).toBe(true);
    expect(budget.admit(600)).toMatchObject({ ok: false, headers: { 'retry-after-ms': '12000' } });
    if (first.ok) budget.settle(first.ticket, 100);
    expect(budget.headers()['x-ratelimit-remaining-tokens']).toBe('900');
    expect(budget.admit(600).ok).toBe(true);
    now = 60_000;
    expect(budget.admit(5000).ok).toBe(true);
    expect(budget.headers()['x-ratelimit-remaining-tokens']).toBe('0');
  });

  it("writes durations as OpenAI does, which the models' header parser reads back", () => {
    const cases: [number, string][] = [
      [0, '0ms'],
      [20, '20ms'],
      [999.2, '1s'],
      [1000, '1s'],
      [2160, '2.16s'],
      [360_000, '6m0s'],
      [3_723_500, '1h2m3.5s'],
    ];
    for (const [ms, text] of cases) {
      expect(formatDuration(ms)).toBe(text);
      expect(duration(text)).toBe(Math.ceil(ms));
    }
  });
});

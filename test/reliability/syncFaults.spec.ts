/**
 * Faults in runSync(), over both APIs: the worker thread applies the run's idle timeout and
 * retries, and what crosses back keeps the status, the partial text and no API key. The local
 * server runs in another process, since the calling thread blocks.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, ModelProviderError, ModelTimeoutError, Runner, type RunOptions } from '../../src/index.js';
import { startServerProcess, type ServerProcess } from '../../src/testing/server/index.js';
import { keyEchoing401 } from '../helpers/keyEcho.js';
import { thrown } from '../helpers/thrown.js';
import { apiKey, apis, clientFor, keyParts, words, type Api } from './helpers.js';

const runner = new Runner();
let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(apis)('runSync over $name', (api: Api) => {
  const agentOn = (url: string, clientOptions: Parameters<typeof clientFor>[1] = {}) =>
    new Agent({ name: 'A', model: api.model(clientFor(url, clientOptions)) });
  const runSync = (agent: Agent<string, unknown>, options?: RunOptions) => runner.runSync(agent, 'Hello', options);

  it('429 with Retry-After, then success: the SDK retries on the worker, the run succeeds in 2 requests', async () => {
    server = await startServerProcess({
      turns: [{ status: 429, headers: { 'retry-after-ms': '20' } }, { text: 'Fine.' }],
    });
    expect(runSync(agentOn(server.url)).finalOutput).toBe('Fine.');
    expect(await server.requests()).toHaveLength(2);
  });

  it('a stall fails with ModelTimeoutError after idleTimeoutMs, and the worker closes the socket', async () => {
    server = await startServerProcess({ turns: [{ text: words(5), stallAfter: api.beforeText + 2 }] });
    const started = performance.now();
    const error = thrown(() => runSync(agentOn(server!.url), { idleTimeoutMs: 200 }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ModelTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200, partial: { text: 'w0 w1 ' } });
    let requests = await server.requests();
    for (let tries = 0; requests[0]?.closedAt === undefined && tries < 100; tries += 1)
      requests = await server.requests();
    expect(requests[0]).toMatchObject({ aborted: true, closedAt: expect.any(Number) });
  });

  it('a drop before any text is retried silently on the worker', async () => {
    server = await startServerProcess({ turns: [{ text: words(3), dropAfter: 1 }, { text: 'Second.' }] });
    const result = runSync(agentOn(server.url, { maxRetries: 0 }), { retry: { maxRetries: 1, initialDelayMs: 1 } });
    expect(result.finalOutput).toBe('Second.');
    expect(await server.requests()).toHaveLength(2);
  });

  it('a drop after text: fails with partial.text without afterOutput, restarts the turn with it', async () => {
    server = await startServerProcess({
      turns: [
        { text: words(6), dropAfter: api.beforeText + 2 },
        { text: words(6), dropAfter: api.beforeText + 2 },
        { text: 'Whole.' },
      ],
    });
    const error = thrown(() => runSync(agentOn(server!.url), { retry: { maxRetries: 2, initialDelayMs: 1 } }));
    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ retryable: true, partial: { text: 'w0 w1 ' } });
    const result = runSync(agentOn(server.url), { retry: { maxRetries: 2, initialDelayMs: 1, afterOutput: true } });
    expect(result.finalOutput).toBe('Whole.');
    expect(await server.requests()).toHaveLength(3);
  });

  it('a 401 echoing the key throws without it (message, stack, JSON, inspect)', async () => {
    server = await startServerProcess({
      turns: [keyEchoing401(apiKey)],
    });
    const error = thrown(() => runSync(agentOn(server!.url)));
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
    const shown = [
      (error as Error).message,
      (error as Error).stack,
      JSON.stringify(error),
      inspect(error, { depth: 12 }),
    ].join('\n');
    expect(shown).toContain('[redacted]');
    for (const part of keyParts) expect(shown).not.toContain(part);
  });
});

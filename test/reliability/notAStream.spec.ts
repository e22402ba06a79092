/**
 * A 200 that is not a stream — a proxy's HTML page, a JSON body, an empty body — over both OpenAI
 * APIs against the local server: the run fails at once with an error that says what arrived, is
 * not retried, and never quotes the API key.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Agent, ModelProviderError, Runner } from '../../src/index.js';
import { chatChunks, chatId } from '../../src/testing/server/chatEvents.js';
import { responsesEvents, responsesId } from '../../src/testing/server/responsesEvents.js';
import { planTurn } from '../../src/testing/server/script.js';
import { useLocalServer } from '../helpers/localServer.js';
import { apiKey, apis, clientFor, outcomeOf, useKeyWatch, type Api } from './helpers.js';

const runner = new Runner();
const { serve } = useLocalServer();
const { expectNoKey } = useKeyWatch();

const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>${'<p>filler</p>'.repeat(100)}</body></html>`;

const bodies = [
  {
    name: "a proxy's HTML page",
    type: 'text/html; charset=utf-8',
    body: page,
    quoted: '<!DOCTYPE html><html><head><title>502 Bad Gateway',
  },
  {
    name: 'a JSON body (a non-streamed answer)',
    type: 'application/json',
    body: JSON.stringify({ id: 'resp_1', object: 'response', output: [] }),
    quoted: '{\\"id\\":\\"resp_1\\"',
  },
  { name: 'an empty body', type: 'application/json', body: '', quoted: 'its body was empty' },
];

describe.each(apis)('a 200 that is not a stream over $name', (api: Api) => {
  it.each(bodies)('$name: fails at once, not retried, naming the content type and the first bytes', async (answer) => {
    const { url, requests } = await serve({ status: 200, headers: { 'content-type': answer.type }, body: answer.body });
    const agent = new Agent({ name: 'Assistant', model: api.model(clientFor(url)) });
    const outcome = await outcomeOf(
      runner.runStreamed(agent, 'Hello', { retry: { maxRetries: 3, initialDelayMs: 0 } }),
      5_000,
    );

    expect(ModelProviderError.isInstance(outcome.error)).toBe(true);
    const error = outcome.error as ModelProviderError;
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('not_a_stream');
    expect(error.status).toBe(200);
    expect(error.message).toContain(`content-type ${JSON.stringify(answer.type)}`);
    expect(error.message).toContain('not a stream of server-sent events');
    expect(error.message).toContain(answer.quoted);
    expect(error.message).not.toContain('filler</p>'.repeat(20));
    expect(error.message).not.toMatch(/ended before/);
    expect(requests).toHaveLength(1);
    expectNoKey(outcome);
  });

  it('a page that echoes the API key quotes it as [redacted]', async () => {
    const { url } = await serve({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: `<html>Invalid key ${apiKey}</html>`,
    });
    const agent = new Agent({ name: 'Assistant', model: api.model(clientFor(url)) });
    const outcome = await outcomeOf(runner.runStreamed(agent, 'Hello'), 5_000);
    expect((outcome.error as Error).message).toContain('Invalid key [redacted]');
    expectNoKey(outcome);
  });

  it('a stream sent with no content type is still read as a stream, as the SDK reads it', async () => {
    const events =
      api.name === 'Responses'
        ? responsesEvents(planTurn({ text: 'Still a stream.' }, 1, responsesId), {})
        : chatChunks(planTurn({ text: 'Still a stream.' }, 1, chatId), { stream_options: { include_usage: true } });
    const body = events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('') + 'data: [DONE]\n\n';
    const server = createServer((_request, response) => {
      response.removeHeader('content-type');
      response.writeHead(200).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const agent = new Agent({ name: 'Assistant', model: api.model(clientFor(url)) });
      const result = await runner.run(agent, 'Hello');
      expect(result.finalOutput).toBe('Still a stream.');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

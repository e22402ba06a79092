/**
 * Errors a compatible server reports inside a stream with a numeric `code`, as OpenRouter does
 * (`{"error":{"code":502,"message":"…"}}`, the code being the HTTP status): over real loopback
 * HTTP, through the SDK, the code becomes the error's `status` and decides whether `retry` makes
 * the call again.
 */
import { describe, expect, it } from 'vitest';
import { Agent, ModelProviderError, Runner, type RunOptions } from '../../src/index.js';
import { loadFixture } from '../../src/testing/server/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { apis, clientFor, outcomeOf, textOf } from '../reliability/helpers.js';

const runner = new Runner();
const { serve } = useLocalServer();
const openRouter = (name: string) => loadFixture(new URL(`../fixtures/openrouter/chat/${name}`, import.meta.url));
const chat = apis.find((api) => api.name === 'Chat Completions')!;
const responses = apis.find((api) => api.name === 'Responses')!;
// `afterOutput`: the streams fail after text, so that only `retryable` decides whether to retry.
const retry: RunOptions['retry'] = { maxRetries: 2, initialDelayMs: 1, afterOutput: true };

describe('an OpenRouter error chunk with a numeric code, mid-stream', () => {
  const agentOn = (url: string) => new Agent({ name: 'A', model: chat.model(clientFor(url)) });

  it('400 (Token limit reached): status 400, code "400", not retryable, not retried', async () => {
    const { url, requests } = await serve(
      { events: openRouter('error-mid-stream-400.jsonl') },
      { text: 'never asked for' },
    );
    const outcome = await outcomeOf(runner.runStreamed(agentOn(url), 'Tell a story.', { retry }));
    expect(outcome.error).toBeInstanceOf(ModelProviderError);
    expect(outcome.error).toMatchObject({
      status: 400,
      code: '400',
      retryable: false,
      partial: { text: 'Once upon a time' },
    });
    expect((outcome.error as Error).message).toBe('OpenAI Chat Completions API error 400: Token limit reached');
    expect(requests).toHaveLength(1);
  });

  it('502 (Provider returned error): status 502, retryable, and retried by `retry`', async () => {
    const { url, requests } = await serve(
      { events: openRouter('error-mid-stream-502.jsonl') },
      { text: 'The second try.' },
    );
    const outcome = await outcomeOf(runner.runStreamed(agentOn(url), 'Tell a story.', { retry }));
    expect(outcome.error).toBeUndefined();
    expect(requests).toHaveLength(2);
    expect(outcome.events.at(-1)).toMatchObject({ type: 'final-output', output: 'The second try.' });
  });

  it('502 without `retry`: the error says status 502 and retryable', async () => {
    const { url } = await serve({ events: openRouter('error-mid-stream-502.jsonl') });
    const outcome = await outcomeOf(runner.runStreamed(agentOn(url), 'Tell a story.'));
    expect(outcome.error).toMatchObject({ status: 502, code: '502', retryable: true });
    expect(textOf(outcome.events)).toBe('Once upon a time');
  });
});

describe('a Responses API error event with a numeric code', () => {
  const agentOn = (url: string) => new Agent({ name: 'A', model: responses.model(clientFor(url)) });
  const errorTurn = (code: number, message: string) => ({
    events: [
      { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', status: 'in_progress', output: [] } },
      { type: 'error', sequence_number: 1, code, message, param: null },
    ],
  });

  it('429: retryable, retried', async () => {
    const { url, requests } = await serve(errorTurn(429, 'Rate limit exceeded'), { text: 'Fine.' });
    const outcome = await outcomeOf(runner.runStreamed(agentOn(url), 'Hi', { retry }));
    expect(outcome.error).toBeUndefined();
    expect(requests).toHaveLength(2);
  });

  it('403: status 403, not retryable, not retried', async () => {
    const { url, requests } = await serve(errorTurn(403, 'Input was flagged'), { text: 'never' });
    const outcome = await outcomeOf(runner.runStreamed(agentOn(url), 'Hi', { retry }));
    expect(outcome.error).toMatchObject({ status: 403, code: '403', retryable: false });
    expect(requests).toHaveLength(1);
  });

  it('a string code keeps its meaning: server_error is retryable, without a status', async () => {
    const { url } = await serve({
      events: [{ type: 'error', sequence_number: 0, code: 'server_error', message: 'Oops', param: null }],
    });
    const outcome = await outcomeOf(runner.runStreamed(agentOn(url), 'Hi'));
    expect(outcome.error).toMatchObject({ code: 'server_error', retryable: true });
    expect((outcome.error as ModelProviderError).status).toBeUndefined();
  });
});

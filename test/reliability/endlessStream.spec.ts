/**
 * A server that streams without end (a broken proxy, a self-hosted model in a loop), and model
 * events that make the run's handlers throw: the run fails with a named error, the call is
 * stopped, and nothing reaches the process as an unhandled error.
 */
import { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Agent,
  AgentsError,
  InvalidArgumentError,
  OutputLimitExceededError,
  Runner,
  tool,
  type Model,
  type ModelEvent,
} from '../../src/index.js';
import { z } from 'zod';
import { fakeModel } from '../../src/testing/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { apis, clientFor, outcomeOf, textOf, type Api } from './helpers.js';

const runner = new Runner();
const { serve } = useLocalServer();

/** Waits until the server has seen request `index`'s response close. */
async function closed(requests: readonly { closedAt?: number }[], index = 0): Promise<void> {
  for (let tries = 0; requests[index]?.closedAt === undefined && tries < 200; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(apis)('an endless stream over $name', (api: Api) => {
  it('fails the run with OutputLimitExceededError at maxOutputCharacters, with the partial text, and closes the socket', async () => {
    const { url, requests } = await serve({ text: ['loop '], endlessAfter: api.beforeText + 1 });
    const agent = new Agent({ name: 'Assistant', model: api.model(clientFor(url)) });
    const outcome = await outcomeOf(runner.runStreamed(agent, 'Hello', { maxOutputCharacters: 1_000 }), 10_000);

    expect(OutputLimitExceededError.isInstance(outcome.error)).toBe(true);
    const error = outcome.error as OutputLimitExceededError;
    expect(error.maxOutputCharacters).toBe(1_000);
    expect(error.message).toContain('maxOutputCharacters (1000)');
    // Every delta that fits, and not the one that would pass the limit.
    expect(error.partial?.text).toBe('loop '.repeat(200));
    expect(textOf(outcome.events)).toBe(error.partial?.text);
    await closed(requests);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.aborted).toBe(true);
  });

  it('counts per response: a limit no single turn passes lets a run of two turns finish', async () => {
    const { url } = await serve({ text: ['a'.repeat(60)], toolCalls: [{ name: 'noop' }] }, { text: ['b'.repeat(60)] });
    const agent = new Agent({
      name: 'Assistant',
      model: api.model(clientFor(url)),
      tools: [tool({ name: 'noop', description: 'Does nothing.', parameters: z.object({}), execute: () => 'ok' })],
    });
    const result = await runner.run(agent, 'Hello', { maxOutputCharacters: 100 });
    expect(result.finalOutput).toBe('b'.repeat(60));
  });
});

describe('maxOutputCharacters', () => {
  it.each([0, -1, 1.5, Number.NaN, '1000', Infinity])('rejects %s where it is given, naming the option', (value) => {
    const agent = new Agent({ name: 'Assistant' });
    const call = () => runner.runStreamed(agent, 'Hello', { maxOutputCharacters: value as number });
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(/options\.maxOutputCharacters/);
    expect(() => new Runner({ maxOutputCharacters: value as number })).toThrow(/`maxOutputCharacters`/);
  });

  it("a Runner's maxOutputCharacters is its runs' default", async () => {
    const agent = new Agent({ name: 'Assistant', model: fakeModel([{ text: ['12345', '67890'] }]) });
    const limited = new Runner({ maxOutputCharacters: 7 });
    await expect(limited.run(agent, 'Hello')).rejects.toSatisfy(
      (error: unknown) => OutputLimitExceededError.isInstance(error) && error.partial?.text === '12345',
    );
  });
});

describe('handlers of model events never throw out of the run', () => {
  const unhandled: unknown[] = [];
  const record = (error: unknown): void => {
    unhandled.push(error);
  };
  beforeEach(() => {
    unhandled.length = 0;
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  });

  /** A custom model whose call emits `events`, then errors with `error` (if given). */
  const modelOf = (events: readonly unknown[], error?: unknown): Model => ({
    name: 'hostile-model',
    stream: () =>
      new Observable<ModelEvent>((subscriber) => {
        for (const event of events) subscriber.next(event as ModelEvent);
        if (error !== undefined) subscriber.error(error);
      }),
  });
  /** Lets any error reported asynchronously (RxJS reports them on a timer) arrive. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  const cases: [string, Model, object?][] = [
    [
      'an event that is not an object, deep in the stream',
      modelOf([...Array.from({ length: 50 }, (_, i) => ({ type: 'text-delta', delta: `d${i} ` })), null]),
    ],
    [
      'an error whose usage cannot be read',
      modelOf(
        [{ type: 'text-delta', delta: 'Hi' }],
        Object.defineProperty(new Error('boom'), 'usage', {
          get() {
            throw new Error('usage getter');
          },
        }),
      ),
    ],
    [
      'an error whose retryable cannot be read, under retry',
      modelOf(
        [],
        Object.defineProperty(new Error('boom'), 'retryable', {
          get() {
            throw new Error('retryable getter');
          },
        }),
      ),
      { retry: { maxRetries: 1, initialDelayMs: 0 } },
    ],
    ['a null event under retry', modelOf([null]), { retry: { maxRetries: 1, initialDelayMs: 0 } }],
  ];

  it.each(cases)('%s: the run fails with an AgentsError carrying partial', async (_name, model, options) => {
    const agent = new Agent({ name: 'Assistant', model });
    const outcome = await outcomeOf(runner.runStreamed(agent, 'Hello', options), 2_000);
    await settle();
    expect(unhandled).toEqual([]);
    expect(AgentsError.isInstance(outcome.error)).toBe(true);
    expect((outcome.error as AgentsError).partial).toBeDefined();
  });
});

/**
 * runBatch() with the Batch API engine, against the local server's Files and Batch APIs over
 * loopback HTTP, through the real `openai` client: a two-turn tool-using agent over 500 items is
 * exactly two jobs; a batch stopped in the middle of polling and started again with its checkpoint
 * polls the same job; failed and expired lines fail their items with the API's error; unsubscribing
 * cancels the job at the server.
 */
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  OpenAIResponsesModel,
  Runner,
  openAIBatch,
  tool,
  type BatchEvent,
  type CheckpointRecord,
  type OpenAIBatchOptions,
} from '../../../src/index.js';
import {
  startServer,
  type LocalServer,
  type Responder,
  type ServerOptions,
} from '../../../src/testing/server/index.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The city's weather is looked up (turn 1), then told (turn 2). */
const weatherOf: Responder = (request) => {
  const output = request.toolOutputs[0];
  if (output === undefined) return { toolCalls: [{ name: 'get_weather', arguments: { city: request.lastUserText } }] };
  return { text: `In ${request.lastUserText}: ${String(output.output)}.` };
};

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `sunny in ${city}`,
});

async function setUp(options: ServerOptions = {}, engine: Omit<OpenAIBatchOptions, 'client'> = {}) {
  server = await startServer({ respond: weatherOf, batches: { stepMs: 2 }, ...options });
  const client = new OpenAI({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  // The agent's own model is never called: only its id is read.
  const model = new OpenAIResponsesModel({
    model: 'gpt-batch',
    client: new OpenAI({ apiKey: 'x', baseURL: 'http://127.0.0.1:9/v1' }),
  });
  const agent = new Agent({ name: 'Weather', instructions: 'Tell the weather.', model, tools: [getWeather] });
  return { agent, engine: openAIBatch({ client, pollIntervalMs: 5, ...engine }), server };
}

const jobsCreated = (local: LocalServer) =>
  local.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches').length;

const ends = <T>(events: readonly BatchEvent<T>[]) =>
  events.filter((event) => event.type === 'item-completed' || event.type === 'item-failed');

describe('runBatch with the openAIBatch engine', () => {
  it('runs a two-turn tool-using agent over 500 items as exactly two jobs, every answer right', async () => {
    const { agent, engine, server: local } = await setUp();
    const cities = Array.from({ length: 500 }, (_, i) => ({ id: `c${i}`, input: `City ${i}` }));
    const events = await lastValueFrom(new Runner().runBatch(agent, cities, { engine }).pipe(toArray()));

    expect(jobsCreated(local)).toBe(2);
    const done = ends(events);
    expect(done.map((event) => event.id).sort()).toEqual(cities.map((city) => city.id).sort());
    for (const event of done) {
      const city = cities.find((c) => c.id === event.id)!.input;
      expect(event).toMatchObject({ type: 'item-completed', finalOutput: `In ${city}: sunny in ${city}.` });
    }
    const last = events.filter((event) => event.type === 'batch-progress').at(-1);
    expect(last).toMatchObject({ completed: 500, failed: 0 });
    expect(last?.type === 'batch-progress' && last.jobs).toEqual([
      expect.objectContaining({ status: 'completed', requestCounts: { total: 500, completed: 500, failed: 0 } }),
      expect.objectContaining({ status: 'completed', requestCounts: { total: 500, completed: 500, failed: 0 } }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'batch-completed', completed: 500, failed: 0 });
  }, 60_000);

  it('sends the agent as Chat Completions lines with endpoint: chat', async () => {
    const { agent, engine, server: local } = await setUp({}, { endpoint: 'chat' });
    const events = await lastValueFrom(new Runner().runBatch(agent, ['Oslo', 'Lima'], { engine }).pipe(toArray()));
    expect(ends(events).map((event) => (event.type === 'item-completed' ? event.finalOutput : event))).toEqual(
      expect.arrayContaining(['In Oslo: sunny in Oslo.', 'In Lima: sunny in Lima.']),
    );
    const created = local.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches');
    expect(created.map((request) => (request.body as { endpoint: string }).endpoint)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
    ]);
  }, 30_000);

  it('splits a round into jobs of at most maxRequestsPerJob', async () => {
    const { agent, engine, server: local } = await setUp({}, { maxRequestsPerJob: 4 });
    const events = await lastValueFrom(
      new Runner().runBatch(agent, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], { engine }).pipe(toArray()),
    );
    expect(ends(events).every((event) => event.type === 'item-completed')).toBe(true);
    // Ten calls a round, four at most per job: three jobs a round, and two rounds.
    expect(jobsCreated(local)).toBe(6);
  }, 30_000);

  it('stopped in the middle of polling and started again with its checkpoint: polls the same job', async () => {
    const { agent, engine, server: local } = await setUp({ batches: { stepMs: 40 } }, { leaveJobsRunning: true });
    const records: CheckpointRecord[] = [];
    const checkpoint = { read: () => [...records], append: (record: CheckpointRecord) => void records.push(record) };
    const cities = ['Oslo', 'Lima', 'Pune'];
    const first = new Runner().runBatch(agent, cities, { engine, checkpoint }).subscribe();
    await until(() =>
      local.requests.some((request) => request.method === 'GET' && request.path.startsWith('/v1/batches/')),
    );
    first.unsubscribe();
    expect(jobsCreated(local)).toBe(1);
    expect(records).toEqual([{ type: 'batch-job', job: expect.any(String), inputFileId: expect.any(String) }]);

    const again = await lastValueFrom(new Runner().runBatch(agent, cities, { engine, checkpoint }).pipe(toArray()));
    expect(ends(again).map((event) => event.type)).toEqual(['item-completed', 'item-completed', 'item-completed']);
    // The first round's job was polled again, not submitted again: one more job, for the second turn.
    expect(jobsCreated(local)).toBe(2);
    const polled = local.requests.filter(
      (request) => request.method === 'GET' && request.path === `/v1/batches/${(records[0] as { job: string }).job}`,
    );
    expect(polled.length).toBeGreaterThan(1);
    expect(local.requests.some((request) => request.path.endsWith('/cancel'))).toBe(false);
  }, 30_000);

  it('unsubscribing cancels the running job at the server', async () => {
    const { agent, engine, server: local } = await setUp({ batches: { stepMs: 200 } });
    const subscription = new Runner().runBatch(agent, ['Oslo'], { engine }).subscribe();
    await until(() => jobsCreated(local) === 1 && local.requests.some((request) => request.method === 'GET'));
    subscription.unsubscribe();
    await until(() => local.requests.some((request) => request.method === 'POST' && request.path.endsWith('/cancel')));
    const job = await new OpenAI({ apiKey: 'k', baseURL: local.url }).batches.list();
    expect(job.data[0]?.status).toMatch(/^cancell(ing|ed)$/);
  }, 30_000);

  it('a line answered with an error fails its item with the status and message; the others complete', async () => {
    const { agent, engine } = await setUp({
      respond: (request) =>
        request.lastUserText === 'Atlantis'
          ? {
              status: 400,
              body: { error: { message: 'no such city', type: 'invalid_request_error', code: 'bad_city' } },
            }
          : weatherOf(request),
    });
    const events = await lastValueFrom(new Runner().runBatch(agent, ['Oslo', 'Atlantis'], { engine }).pipe(toArray()));
    expect(ends(events).find((event) => event.id === '1')).toMatchObject({
      type: 'item-failed',
      error: {
        name: 'ModelProviderError',
        status: 400,
        code: 'bad_city',
        message: expect.stringContaining('no such city'),
      },
    });
    expect(ends(events).find((event) => event.id === '0')).toMatchObject({ type: 'item-completed' });
  }, 30_000);

  it('an expired job fails its items with batch_expired', async () => {
    const { agent, engine } = await setUp({ batches: { stepMs: 2, outcome: 'expired' } });
    const events = await lastValueFrom(new Runner().runBatch(agent, ['Oslo'], { engine }).pipe(toArray()));
    expect(ends(events)).toEqual([
      expect.objectContaining({ type: 'item-failed', error: expect.objectContaining({ code: 'batch_expired' }) }),
    ]);
  }, 30_000);

  it('refuses bad options where they are given, naming them', () => {
    expect(() => openAIBatch({ endpoint: 'embeddings' as 'chat' })).toThrow(InvalidArgumentError);
    expect(() => openAIBatch({ pollIntervalMs: 0 })).toThrow(/options\.pollIntervalMs/);
    expect(() => openAIBatch({ maxRequestsPerJob: 50_001 })).toThrow(/from 1 to 50000/);
    expect(() => openAIBatch({ bogus: 1 } as OpenAIBatchOptions)).toThrow(/no option 'bogus'/);
    const agent = new Agent({ name: 'A', model: 'gpt-x' });
    expect(() => new Runner().runBatch(agent, [], { engine: openAIBatch(), requestsPerMinute: 10 })).toThrow(
      /options\.requestsPerMinute/,
    );
    expect(() => new Runner().runBatch(agent, [], { engine: { kind: 'other' } as never })).toThrow(/options\.engine/);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

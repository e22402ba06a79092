/**
 * runBatch() against the local server over loopback HTTP, through the real `openai` client: a
 * thousand items at `concurrency: 16` never have more than 16 requests open at the server, every
 * id comes back exactly once, and the items whose requests fail fail alone.
 */
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, OpenAIChatCompletionsModel, Runner } from '../../src/index.js';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('runBatch over loopback HTTP', () => {
  it('1,000 items at concurrency 16: at most 16 requests open, every id once, failures isolated', async () => {
    server = await startServer({
      respond: (request) =>
        request.lastUserText?.endsWith('7') && request.lastUserText.startsWith('q9')
          ? { status: 400, body: { error: { message: 'bad question', type: 'invalid_request_error' } } }
          : { text: `answer to ${request.lastUserText ?? ''}`, delayMs: 10 },
    });
    const model = new OpenAIChatCompletionsModel({
      model: 'm',
      client: new OpenAI({ apiKey: 'k', baseURL: server.url, maxRetries: 0 }),
    });
    const agent = new Agent({ name: 'Echo', model });
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: `id-${i}`, input: `q${i}` }));
    const events = await lastValueFrom(new Runner().runBatch(agent, items, { concurrency: 16 }).pipe(toArray()));

    const ends = events.filter((event) => event.type === 'item-completed' || event.type === 'item-failed');
    expect(ends.map((event) => event.id).sort()).toEqual(items.map((item) => item.id).sort());
    const failedIds = ends.filter((event) => event.type === 'item-failed').map((event) => event.id);
    const expectedFailures = items.filter((item) => /^q9\d*7$/.test(item.input)).map((item) => item.id);
    expect(failedIds.sort()).toEqual(expectedFailures.sort());
    expect(ends.find((event) => event.id === 'id-42')).toMatchObject({ finalOutput: 'answer to q42' });
    expect(ends.find((event) => event.id === expectedFailures[0])).toMatchObject({
      error: { name: 'ModelProviderError', status: 400 },
    });

    // The most requests open at once, from when each arrived and closed at the server.
    const marks = server.requests.flatMap((request) => [
      { at: request.receivedAt, open: 1 },
      { at: request.closedAt ?? Infinity, open: -1 },
    ]);
    marks.sort((a, b) => a.at - b.at || a.open - b.open);
    let open = 0;
    let most = 0;
    for (const mark of marks) most = Math.max(most, (open += mark.open));
    expect(server.requests).toHaveLength(1000);
    expect(most).toBeLessThanOrEqual(16);
    expect(most).toBeGreaterThan(8);
    expect(events.at(-1)).toMatchObject({ type: 'batch-completed', completed: 1000 - expectedFailures.length });
  }, 60_000);
});

describe("runBatch and the server's rate-limit headers", () => {
  it('slows before the limit: a response that leaves no requests holds the next ones until the budget resets', async () => {
    let answered = 0;
    server = await startServer({
      respond: (request) => {
        answered += 1;
        // The first answer says the minute's requests are spent until 400 ms from now.
        const headers =
          answered === 1
            ? { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '400ms' }
            : { 'x-ratelimit-remaining-requests': '100', 'x-ratelimit-reset-requests': '1s' };
        return { text: `answer to ${request.lastUserText ?? ''}`, headers };
      },
    });
    const model = new OpenAIChatCompletionsModel({
      model: 'm',
      client: new OpenAI({ apiKey: 'k', baseURL: server.url, maxRetries: 0 }),
    });
    const agent = new Agent({ name: 'Echo', model });
    const events = await lastValueFrom(
      new Runner().runBatch(agent, ['q0', 'q1', 'q2'], { concurrency: 1 }).pipe(toArray()),
    );
    expect(events.at(-1)).toMatchObject({ type: 'batch-completed', completed: 3 });
    const [first, second] = server.requests;
    // The pause runs from when the first answer's headers arrived: after its request came in.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(400);
  });
});

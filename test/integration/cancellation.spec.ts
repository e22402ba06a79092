import OpenAI from 'openai';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, runStreamed } from '../../src/index.js';
import { filterTextDeltas } from '../../operators/index.js';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { until } from '../helpers/waiting.js';

let server: LocalServer | undefined;
afterEach(async () => server?.close());

const words = Array.from({ length: 200 }, (_, i) => `word${i} `);

describe.each([
  [
    'Responses',
    (url: string) => new OpenAIResponsesModel({ model: 'm', client: new OpenAI({ apiKey: 'k', baseURL: url }) }),
  ],
  [
    'Chat Completions',
    (url: string) => new OpenAIChatCompletionsModel({ model: 'm', client: new OpenAI({ apiKey: 'k', baseURL: url }) }),
  ],
])('a run over %s', (_api, makeModel) => {
  it('closes the request socket within 100 ms of unsubscribing mid-stream; a second subscription makes a second request', async () => {
    server = await startServer({ turns: [{ text: words, delayMs: 5 }, { text: ['again'] }] });
    const run$ = runStreamed(new Agent({ name: 'A', model: makeModel(server.url) }), 'Talk');
    expect(server.requests).toHaveLength(0);

    const firstThree = await firstValueFrom(run$.pipe(filterTextDeltas(), take(3), toArray()));
    const unsubscribedAt = performance.now();
    expect(firstThree).toEqual(['word0 ', 'word1 ', 'word2 ']);
    await until(() => server!.requests[0]!.closedAt !== undefined);
    expect(server.requests[0]!.aborted).toBe(true);
    expect(server.requests[0]!.closedAt! - unsubscribedAt).toBeLessThan(100);

    const second = await firstValueFrom(run$.pipe(filter((e) => e.type === 'final-output')));
    expect(second).toMatchObject({ output: 'again' });
    expect(server.requests).toHaveLength(2);
  });
});

/**
 * A real run carried across real HTTP: the local model server → our model → runStreamed →
 * serveServerSentEvents on a node:http server → fromServerSentEvents in the "client".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  fromServerSentEvents,
  OpenAIResponsesModel,
  run,
  runStreamed,
  tool,
  type RunEvent,
} from '../../src/index.js';
import { serveServerSentEvents } from '../../src/node/index.js';
import { filterTextDeltas, partialOutput, toRunResult } from '../../operators/index.js';
import { startServer, type LocalServer, type ServerTurn } from '../../src/testing/server/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const weather = tool({
  name: 'weather',
  description: 'Weather.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'sunny' }),
});
const Recommendation = z.object({ destination: z.string(), reason: z.string(), days: z.number() });

async function modelServer(turns: ServerTurn[]): Promise<LocalServer> {
  const server = await startServer({ turns });
  cleanups.push(() => server.close());
  return server;
}

function agentOn(server: LocalServer) {
  const model = new OpenAIResponsesModel({
    model: 'gpt-4.1-mini',
    client: new OpenAI({ apiKey: 'sk-wire-test', baseURL: server.url, maxRetries: 0 }),
  });
  return new Agent({ name: 'Travel agent', model, tools: [weather], outputType: Recommendation });
}

/** An app server that serves one run per request of `/run`, as server-sent events. */
async function appServer(agent: ReturnType<typeof agentOn>): Promise<string> {
  const server: Server = createServer((_request, response) => {
    serveServerSentEvents(response, runStreamed(agent, 'Where should I go?'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/run`;
}

const script = (): ServerTurn[] => [
  { toolCalls: [{ name: 'weather', arguments: { city: 'Lisbon' } }], text: 'Checking the weather. ' },
  { output: { destination: 'Lisbon', reason: 'Sunny, by the sea, and full of good food.', days: 5 }, delayMs: 2 },
];

describe('a run across the wire', () => {
  it('arrives as events deep-equal to the run itself', async () => {
    const direct = await lastValueFrom(
      runStreamed(agentOn(await modelServer(script())), 'Where should I go?').pipe(toArray()),
    );
    const url = await appServer(agentOn(await modelServer(script())));
    const remote = await lastValueFrom(fromServerSentEvents<z.infer<typeof Recommendation>>(url).pipe(toArray()));
    expect(direct.map((e) => e.type)).toContain('tool-output');
    // JSON drops fields whose value is undefined; everything else arrives as it was.
    expect(remote).toEqual(JSON.parse(JSON.stringify(direct)) as RunEvent[]);
  });

  it("closing the client aborts the server's model call", async () => {
    const words = Array.from({ length: 300 }, (_, i) => `w${i} `);
    const models = await modelServer([{ text: words, delayMs: 5 }]);
    const url = await appServer(
      new Agent({
        name: 'Talker',
        model: new OpenAIResponsesModel({
          model: 'm',
          client: new OpenAI({ apiKey: 'k', baseURL: models.url, maxRetries: 0 }),
        }),
      }),
    );
    const firstDeltas = await firstValueFrom(fromServerSentEvents(url).pipe(filterTextDeltas(), take(3), toArray()));
    expect(firstDeltas).toEqual(['w0 ', 'w1 ', 'w2 ']);
    const until = performance.now() + 2000;
    while (!models.requests[0]?.aborted && performance.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(models.requests[0]?.aborted).toBe(true);
  });

  it('partialOutput over a streamed structured answer grows, and ends with finalOutput', async () => {
    const agent = agentOn(await modelServer(script()));
    const events = await lastValueFrom(runStreamed(agent, 'Where should I go?').pipe(toArray()));
    const finalEvent = events.at(-1);
    const partials = await lastValueFrom(
      runStreamed(agentOn(await modelServer(script())), 'Where should I go?').pipe(partialOutput(), toArray()),
    );
    expect(partials.length).toBeGreaterThan(3);
    // Each emission has at least the keys of the one before: the object only grows.
    partials.slice(1).forEach((partial, index) => {
      expect(Object.keys(partial).length).toBeGreaterThanOrEqual(Object.keys(partials[index]!).length);
    });
    expect(finalEvent?.type).toBe('final-output');
    expect(partials.at(-1)).toEqual((finalEvent as { output: unknown }).output);
  });
});

describe('toRunResult and turn-started over HTTP and across server-sent events', () => {
  it('a streamed run gives what run() resolves to, on both sides of the SSE connection', async () => {
    const expected = await run(agentOn(await modelServer(script())), 'Where should I go?');
    const streamed = await lastValueFrom(
      runStreamed(agentOn(await modelServer(script())), 'Where should I go?').pipe(toRunResult()),
    );
    const url = await appServer(agentOn(await modelServer(script())));
    const remote = await lastValueFrom(fromServerSentEvents<z.infer<typeof Recommendation>>(url).pipe(toRunResult()));

    const { lastAgent, ...rest } = expected;
    expect(streamed).toEqual({ ...rest, lastAgent: lastAgent.name });
    expect(remote).toEqual(JSON.parse(JSON.stringify(streamed)));
    expect(remote.history.at(-1)).toMatchObject({ type: 'message', role: 'assistant' });
    // The history is ready to be the next run's input: it continues the conversation.
    expect(remote.history).toHaveLength(1 + remote.newItems.length);
  });

  it('emits turn-started before each model call, once per request the server received', async () => {
    const server = await modelServer(script());
    const events = await lastValueFrom(runStreamed(agentOn(server), 'Where should I go?').pipe(toArray()));
    const started = events.filter((event) => event.type === 'turn-started');
    expect(started).toEqual([
      { type: 'turn-started', agent: 'Travel agent', turn: 1 },
      { type: 'turn-started', agent: 'Travel agent', turn: 2 },
    ]);
    expect(server.requests).toHaveLength(2);
    // Each turn opens with it: nothing of a turn comes before its turn-started.
    for (const turn of [1, 2]) {
      expect(events.find((event) => event.turn === turn)?.type).toBe('turn-started');
    }
  });
});

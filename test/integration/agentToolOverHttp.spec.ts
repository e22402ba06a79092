/**
 * An agent called as a tool, over real loopback HTTP with the `openai` client: the sub-agent's
 * request is made by the nested run, its text streams into the parent's events, and unsubscribing
 * the parent aborts the sub-agent's request (the server sees the client go away). runSync() makes
 * the nested request on its worker thread too.
 */
import OpenAI from 'openai';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, OpenAIResponsesModel, Runner } from '../../src/index.js';
import { startServerProcess, type ServerProcess } from '../../src/testing/server/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { until } from '../helpers/waiting.js';

const local = useLocalServer();
let serverProcess: ServerProcess | undefined;
afterEach(async () => serverProcess?.close());

const runner = new Runner();
const modelAt = (url: string) =>
  new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client: new OpenAI({ apiKey: 'k', baseURL: url, maxRetries: 0 }) });

function agentsAt(url: string) {
  const researcher = new Agent({
    name: 'Researcher',
    instructions: 'Find facts.',
    model: modelAt(url),
    handoffDescription: 'Finds facts.',
  });
  return new Agent({ name: 'Writer', instructions: 'Write.', model: modelAt(url), tools: [researcher.asTool()] });
}

const askResearcher = { toolCalls: [{ name: 'researcher', callId: 'r1', arguments: { input: 'Find Oslo' } }] };

describe('agent.asTool() over HTTP', () => {
  it("the nested run makes the sub-agent's request; its text reaches the parent's stream; usage is summed", async () => {
    const server = await local.serve(askResearcher, { text: ['Oslo ', 'is ', 'north.'] }, { text: 'Done.' });
    const events = await lastValueFrom(runner.runStreamed(agentsAt(server.url), 'Write').pipe(toArray()));
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]!.body).toMatchObject({
      instructions: 'Find facts.',
      input: [{ type: 'message', role: 'user', content: 'Find Oslo' }],
    });
    expect(
      events
        .filter((event) => event.type === 'text-delta' && event.parentCallId === 'r1')
        .map((event) => event.type === 'text-delta' && event.delta),
    ).toEqual(['Oslo ', 'is ', 'north.']);
    const final = events.at(-1);
    expect(final).toMatchObject({ type: 'final-output', output: 'Done.' });
    expect(final?.type === 'final-output' && final.usage.requests).toBe(3);
    // The sub-agent's answer is the call's output, as the parent's third request sends it.
    expect(server.requests[2]!.body).toMatchObject({
      input: expect.arrayContaining([
        { type: 'function_call_output', call_id: 'r1', output: 'Oslo is north.' },
      ]) as unknown,
    });
  });

  it("unsubscribing the parent while the sub-agent streams aborts the sub-agent's request; nothing follows", async () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i} `);
    const server = await local.serve(askResearcher, { text: words, delayMs: 5 }, { text: 'Done.' });
    const firstNested = await firstValueFrom(
      runner
        .runStreamed(agentsAt(server.url), 'Write')
        .pipe(filter((event) => event.type === 'text-delta' && event.parentCallId === 'r1')),
    );
    expect(firstNested).toMatchObject({ agent: 'Researcher', delta: 'word0 ' });
    await until(() => server.requests[1]?.closedAt !== undefined);
    expect(server.requests[1]!.aborted).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("runSync(): the sub-agent's request is made on the worker thread, and the parent's answer returned", async () => {
    serverProcess = await startServerProcess({ turns: [askResearcher, { text: 'Oslo is north.' }, { text: 'Done.' }] });
    const result = runner.runSync(agentsAt(serverProcess.url), 'Write');
    expect(result.finalOutput).toBe('Done.');
    expect(result.usage.requests).toBe(3);
    expect(result.newItems).toContainEqual({ type: 'function_call_output', call_id: 'r1', output: 'Oslo is north.' });
    expect(await serverProcess.requests()).toHaveLength(3);
  });
});

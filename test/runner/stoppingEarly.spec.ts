/**
 * A consumer that leaves a run — at a tool-call, at a tool-output, by aborting the run's signal —
 * leaves before anything else starts: no tool runs that nobody will read, no model call follows.
 * Stopping on a `tool-call` is the RxJS way to gate a dangerous tool.
 */
import { first, lastValueFrom, map, takeWhile, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, RunAbortedError, Runner, tool, type ModelEvent, type RunEvent } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { runMarbles as marbles } from '../helpers/marbles.js';

const runner = new Runner();

/** A tool that records each time it starts. */
function recorded(name: string, started: string[]) {
  return tool({
    name,
    description: `Records that ${name} ran.`,
    parameters: z.object({}),
    execute: () => {
      started.push(name);
      return `${name} done`;
    },
  });
}

function dangerousRun(started: string[]) {
  const model = fakeModel([
    {
      toolCalls: [
        { name: 'delete_files', callId: 'c1' },
        { name: 'send_email', callId: 'c2' },
      ],
    },
    'Done.',
  ]);
  const agent = new Agent({
    name: 'Ops',
    model,
    tools: [recorded('delete_files', started), recorded('send_email', started)],
  });
  return { model, agent };
}

describe('a consumer that leaves early', () => {
  it('takeWhile up to the tool-call: no tool starts, no model call follows', async () => {
    const started: string[] = [];
    const { model, agent } = dangerousRun(started);
    const seen = await lastValueFrom(
      runner.runStreamed(agent, 'Clean up').pipe(
        takeWhile((event) => event.type !== 'tool-call'),
        map((event) => event.type),
        toArray(),
      ),
    );
    expect(seen).toEqual(['turn-started', 'turn-completed']);
    expect(started).toEqual([]);
    expect(model.requests).toHaveLength(1);
  });

  it('first() on a tool-call: the call is seen, the tool never runs', async () => {
    const started: string[] = [];
    const { model, agent } = dangerousRun(started);
    const call = await lastValueFrom(
      runner.runStreamed(agent, 'Clean up').pipe(first((event) => event.type === 'tool-call')),
    );
    expect(call).toMatchObject({ type: 'tool-call', name: 'delete_files', callId: 'c1' });
    expect(started).toEqual([]);
    expect(model.requests).toHaveLength(1);
  });

  it("aborting the run's signal at a tool-call fails the run with RunAbortedError before any tool starts", () => {
    const started: string[] = [];
    const { model, agent } = dangerousRun(started);
    const controller = new AbortController();
    const seen: string[] = [];
    let failure: unknown;
    runner.runStreamed(agent, 'Clean up', { signal: controller.signal }).subscribe({
      next: (event) => {
        seen.push(event.type);
        if (event.type === 'tool-call') controller.abort(new Error('the user said no'));
      },
      error: (error: unknown) => (failure = error),
    });
    expect(seen).toEqual(['turn-started', 'turn-completed', 'tool-call']);
    expect(failure).toBeInstanceOf(RunAbortedError);
    expect(started).toEqual([]);
    expect(model.requests).toHaveLength(1);
  });

  it('leaving at the first tool-output: the synchronous tool queued behind it never starts', async () => {
    const started: string[] = [];
    const { model, agent } = dangerousRun(started);
    const seen = await lastValueFrom(
      runner.runStreamed(agent, 'Clean up').pipe(
        takeWhile((event) => event.type !== 'tool-output', true),
        map((event) => event.type),
        toArray(),
      ),
    );
    expect(seen.at(-1)).toBe('tool-output');
    expect(started).toEqual(['delete_files']);
    expect(model.requests).toHaveLength(1);
  });

  it('in virtual time: unsubscribing at the tool-call ends the model stream and nothing is emitted after', () => {
    const started: string[] = [];
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ModelEvent>('-r-(R|)', {
        r: { type: 'raw', data: {} },
        R: {
          type: 'response',
          response: {
            output: [{ type: 'function_call', call_id: 'c1', name: 'delete_files', arguments: '{}' }],
            usage: { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          },
        },
      });
      const agent = new Agent({
        name: 'Ops',
        model: { name: 'marble', stream: () => stream },
        tools: [recorded('delete_files', started)],
      });
      const gated = runner.runStreamed(agent, 'Clean up').pipe(
        takeWhile((event: RunEvent) => event.type !== 'tool-call'),
        map((event) => event.type),
      );
      expectObservable(gated).toBe('sr-(c|)', { s: 'turn-started', r: 'raw', c: 'turn-completed' });
      expectSubscriptions(stream.subscriptions).toBe('^--!');
    });
    expect(started).toEqual([]);
  });
});

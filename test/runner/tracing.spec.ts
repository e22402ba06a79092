/**
 * What a run tells a `Tracing` of its own (no OpenTelemetry): the run's events but the model's
 * `raw` and `text-delta` (those reach the trace through the model call's attempt), then how the
 * run ended, told before the subscriber hears of it; and that unsubscribing a traced run stops it
 * as it stops an untraced one.
 */
import { lastValueFrom, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  ModelProviderError,
  RunAbortedError,
  Runner,
  tool,
  type RunEvent,
  type RunTraceEnd,
  type Tracing,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';

/** A Tracing that writes down what each run's trace is told, in order. */
function recorder(): { tracing: Tracing; told: string[]; ends: RunTraceEnd[] } {
  const told: string[] = [];
  const ends: RunTraceEnd[] = [];
  const tracing: Tracing = {
    startRun: () => ({
      event: (event: RunEvent<unknown>) => told.push(event.type),
      modelCall: (_call, attempt) => attempt,
      toolCall: (_call, execution) => execution,
      end: (end) => {
        told.push(`end:${end.type}`);
        ends.push(end);
      },
    }),
  };
  return { tracing, told, ends };
}

const lookup = (calls: string[]) =>
  tool({
    name: 'lookup',
    description: 'Looks something up.',
    parameters: z.object({}),
    execute: () => {
      calls.push('lookup');
      return 'found';
    },
  });

/** A first turn of raw and text-delta events that asks for `lookup`, then a text answer. */
const callsLookup = () =>
  fakeModel([
    {
      events: [
        { type: 'raw', data: { type: 'response.output_text.delta', delta: 'Let me look.' } },
        { type: 'text-delta', delta: 'Let me look.' },
        {
          type: 'response',
          response: {
            output: [
              { type: 'message', role: 'assistant', content: 'Let me look.' },
              { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{}' },
            ],
            usage: { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          },
        },
      ],
    },
    'It is found.',
  ]);

describe('a traced run', () => {
  it('tells its trace the tool call, its output and the final output, but no raw or text-delta event, and ends it before the subscriber hears', async () => {
    const { tracing, told } = recorder();
    const calls: string[] = [];
    const agent = new Agent({ name: 'A', model: callsLookup(), tools: [lookup(calls)] });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) =>
      new Runner({ tracing }).runStreamed(agent, 'Look it up').subscribe({
        next: (event) => seen.push(event.type),
        error: reject,
        complete: () => {
          seen.push(`complete after ${told.at(-1) ?? 'nothing'}`);
          resolve();
        },
      }),
    );
    expect(seen).toContain('text-delta');
    expect(seen).toContain('raw');
    expect(told).not.toContain('text-delta');
    expect(told).not.toContain('raw');
    expect(told).toEqual(
      seen
        .filter((type) => type !== 'text-delta' && type !== 'raw' && !type.startsWith('complete'))
        .concat('end:completed'),
    );
    expect(told).toEqual(expect.arrayContaining(['tool-call', 'tool-output', 'turn-completed', 'final-output']));
    expect(seen.at(-1)).toBe('complete after end:completed');
  });

  it("tells its trace the run's error before the subscriber hears of it", async () => {
    const { tracing, told, ends } = recorder();
    const failure = new ModelProviderError({ message: 'the server is down', retryable: false });
    const agent = new Agent({ name: 'A', model: fakeModel([{ text: 'Hel', error: failure }]) });
    const heard = await lastValueFrom(new Runner({ tracing }).runStreamed(agent, 'Hi')).then(
      () => 'resolved',
      (error: unknown) => (error === failure ? `rejected after ${told.at(-1)}` : 'another error'),
    );
    expect(heard).toBe('rejected after end:failed');
    expect(ends).toEqual([{ type: 'failed', error: failure }]);
  });

  it('aborted by its signal from inside an event handler: the trace is told the RunAbortedError, once', async () => {
    const { tracing, ends } = recorder();
    const controller = new AbortController();
    const agent = new Agent({ name: 'A', model: fakeModel(['Hello there']) });
    const events = new Runner({ tracing }).runStreamed(agent, 'Hi', { signal: controller.signal });
    const error = await new Promise<unknown>((resolve) =>
      events.subscribe({
        next: (event) => event.type === 'text-delta' && controller.abort(),
        error: resolve,
        complete: () => resolve('completed'),
      }),
    );
    expect(RunAbortedError.isInstance(error)).toBe(true);
    expect(ends).toEqual([{ type: 'failed', error }]);
  });

  it('unsubscribed from inside a synchronous model call: nothing more runs (its tools never start), and the trace is cancelled', () => {
    const { tracing, told } = recorder();
    const calls: string[] = [];
    const agent = new Agent({ name: 'A', model: callsLookup(), tools: [lookup(calls)] });
    const seen: string[] = [];
    new Runner({ tracing })
      .runStreamed(agent, 'Look it up')
      .pipe(take(2))
      .subscribe((event) => seen.push(event.type));
    expect(seen).toEqual(['turn-started', 'raw']);
    expect(calls).toEqual([]);
    expect(told).toEqual(['turn-started', 'end:cancelled']);
  });
});

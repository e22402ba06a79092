import { from, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toRunResult } from '../../operators/toRunResult.js';
import { Agent, NoFinalOutputError, Runner, type RunEvent } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { marbles } from '../helpers/marbles.js';

const base = { agent: 'Travel agent', turn: 1 } as const;
const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const question = { type: 'message', role: 'user', content: 'Where?' } as const;
const answer = { type: 'message', role: 'assistant', content: 'Lisbon.' } as const;
const events = {
  s: { ...base, type: 'turn-started' },
  t: { ...base, type: 'text-delta', delta: 'Lisbon.' },
  c: { ...base, type: 'turn-completed', usage },
  f: {
    ...base,
    type: 'final-output',
    output: 'Lisbon.',
    usage,
    newItems: [answer],
    history: [question, answer],
    rawResponses: [{ output: [answer], usage }],
  },
} satisfies Record<string, RunEvent>;
const result = {
  status: 'completed' as const,
  finalOutput: 'Lisbon.',
  newItems: [answer],
  history: [question, answer],
  lastAgent: 'Travel agent',
  usage,
  rawResponses: [{ output: [answer], usage }],
};

describe('toRunResult', () => {
  it(
    "emits the run's result at its final-output and completes",
    marbles((m) => {
      const source = m.cold<RunEvent>('-s-t-c-f-|', events);
      const subs = '                   ^------!';
      m.expect(source.pipe(toRunResult())).toBeObservable('-------(x|)', { x: result });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'errors with NoFinalOutputError when the source completes without a final-output',
    marbles((m) => {
      const source = m.cold<RunEvent>('-s-t-|', events);
      m.expect(source.pipe(toRunResult())).toBeObservable('-----#', undefined, new NoFinalOutputError());
    }),
  );

  it(
    "passes the source's error on unchanged",
    marbles((m) => {
      const error = new Error('connection reset');
      const source = m.cold<RunEvent>('-s-t-#', events, error);
      m.expect(source.pipe(toRunResult())).toBeObservable('-----#', undefined, error);
    }),
  );

  it(
    'unsubscribes from the source when its subscriber leaves early',
    marbles((m) => {
      const source = m.cold<RunEvent>('-s-t-c-f-|', events);
      m.expect(source.pipe(toRunResult()), '^--!').toBeObservable('----');
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it('works on a synchronous source', async () => {
    await expect(
      lastValueFrom(from<RunEvent[]>([events.s, events.t, events.c, events.f]).pipe(toRunResult())),
    ).resolves.toEqual(result);
  });

  it('deep-equals what run() resolves to for the same script, a tool loop and a handoff included', async () => {
    const script = () => {
      const booking = new Agent({ name: 'Booking agent', model: fakeModel(['Booked for May.']) });
      return new Agent({
        name: 'Triage',
        model: fakeModel([{ text: 'Let me route you. ', toolCalls: [{ name: 'transfer_to_booking_agent' }] }]),
        handoffs: [booking],
      });
    };
    const runner = new Runner();
    const expected = await runner.run(script(), 'Book me a trip');
    const streamed = await lastValueFrom(runner.runStreamed(script(), 'Book me a trip').pipe(toRunResult()));
    const { lastAgent, ...rest } = expected;
    expect(streamed).toEqual({ ...rest, lastAgent: lastAgent.name });
    expect(streamed.lastAgent).toBe('Booking agent');
    expect(JSON.parse(JSON.stringify(streamed))).toEqual(streamed);
  });
});

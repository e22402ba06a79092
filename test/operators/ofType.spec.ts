import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ofType } from '../../operators/ofType.js';
import { InvalidArgumentError } from '../../src/errors.js';
import type { RunEvent, RunEventType } from '../../src/events.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const events = {
  r: { type: 'raw', agent: 'Weather', turn: 1, source: 'openai-responses', data: { type: 'response.created' } },
  d: { type: 'text-delta', agent: 'Weather', turn: 2, delta: 'Sunny' },
  c: {
    type: 'tool-call',
    agent: 'Weather',
    turn: 1,
    callId: 'call_1',
    name: 'get_weather',
    arguments: { city: 'Oslo' },
  },
  o: { type: 'tool-output', agent: 'Weather', turn: 1, callId: 'call_1', name: 'get_weather', output: { celsius: 21 } },
  t: { type: 'turn-completed', agent: 'Weather', turn: 1, usage },
  f: { type: 'final-output', agent: 'Weather', turn: 2, output: 'Sunny', usage, ...noRunItems },
} satisfies Record<string, RunEvent>;

describe('ofType', () => {
  it(
    'lets through the events of the given types, in order',
    marbles((m) => {
      const source = m.cold('   -r-c-t-o-d-f-|', events);
      const subs = '            ^------------!';
      const expected = '        ---c---o-----|';
      m.expect<RunEvent>(source.pipe(ofType('tool-call', 'tool-output'))).toBeObservable(expected, events);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'with one type lets through that type only',
    marbles((m) => {
      const source = m.cold('-r-d-f-|', events);
      m.expect<RunEvent>(source.pipe(ofType('final-output'))).toBeObservable('-----f-|', events);
    }),
  );

  it(
    'completes empty on an empty source',
    marbles((m) => {
      m.expect(m.cold<RunEvent>('|').pipe(ofType('raw'))).toBeObservable('|');
    }),
  );

  it(
    'passes an error through',
    marbles((m) => {
      const error = new Error('boom');
      const source = m.cold('-c-r-#', events, error);
      m.expect<RunEvent>(source.pipe(ofType('tool-call'))).toBeObservable('-c---#', events, error);
    }),
  );

  it(
    'unsubscribes from the source when unsubscribed early',
    marbles((m) => {
      const source = m.hot('-c-o-c-o-|', events);
      const unsub = '       ^--!      ';
      const subs = '        ^--!      ';
      m.expect<RunEvent>(source.pipe(ofType('tool-output')), unsub).toBeObservable('------', events);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('works on a synchronous source', () => {
    const seen: string[] = [];
    of<RunEvent[]>(events.r, events.c, events.o, events.f)
      .pipe(ofType('tool-call', 'final-output'))
      .subscribe((event) => seen.push(event.type));
    expect(seen).toEqual(['tool-call', 'final-output']);
  });

  it('throws InvalidArgumentError at creation without types', () => {
    expect(() => ofType()).toThrow(InvalidArgumentError);
    expect(() => ofType()).toThrow(expect.objectContaining({ argument: 'types' }));
  });

  it('throws InvalidArgumentError at creation for an unknown type, naming it', () => {
    const typo = 'tool_call' as RunEventType;
    expect(() => ofType('raw', typo)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError', argument: 'types[1]' }),
    );
    expect(() => ofType('raw', typo)).toThrow(/"tool_call" is not a run event type/);
  });
});

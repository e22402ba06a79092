import { from, Observable, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { filterTextDeltas } from '../../operators/filterTextDeltas.js';
import type { RunEvent } from '../../src/events.js';
import { emptyUsage } from '../../src/usage.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

const base = { agent: 'Assistant', turn: 1 } as const;
const events = {
  r: { ...base, type: 'raw', source: 'openai-responses', data: { type: 'response.created' } },
  a: { ...base, type: 'text-delta', delta: 'Hel' },
  b: { ...base, type: 'text-delta', delta: 'lo' },
  c: { ...base, type: 'tool-call', callId: 'call_1', name: 'weather', arguments: { city: 'Oslo' } },
  o: { ...base, type: 'tool-output', callId: 'call_1', name: 'weather', output: 'sunny' },
  u: { ...base, type: 'agent-updated', from: 'Triage', callId: 'call_1' },
  t: { ...base, type: 'turn-completed', usage: emptyUsage },
  f: { ...base, type: 'final-output', output: 'Hello', usage: emptyUsage, ...noRunItems },
} satisfies Record<string, RunEvent>;

describe('filterTextDeltas', () => {
  it(
    'emits the delta of each text-delta event and nothing for the other events',
    marbles((m) => {
      const source = m.cold<RunEvent>('-r-a-c-o-u-b-t-f-|', events);
      const subs = '                   ^----------------!';
      const expected = '               ---x-------y-----|';

      m.expect(source.pipe(filterTextDeltas())).toBeObservable(expected, { x: 'Hel', y: 'lo' });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'keeps empty deltas: it filters events, not text',
    marbles((m) => {
      const source = m.cold<RunEvent>('-a-e-|', { a: events.a, e: { ...base, type: 'text-delta', delta: '' } });
      m.expect(source.pipe(filterTextDeltas())).toBeObservable('-x-y-|', { x: 'Hel', y: '' });
    }),
  );

  it(
    'completes without values on an empty source',
    marbles((m) => {
      const source = m.cold<RunEvent>('|');
      m.expect(source.pipe(filterTextDeltas())).toBeObservable('|');
      m.expect(source).toHaveSubscriptions('(^!)');
    }),
  );

  it(
    'never emits on a source that never emits',
    marbles((m) => {
      m.expect(m.cold<RunEvent>('-').pipe(filterTextDeltas())).toBeObservable('-');
    }),
  );

  it(
    'passes an error on after the deltas before it',
    marbles((m) => {
      const error = new Error('boom');
      const source = m.cold<RunEvent>('-a-r-#', events, error);
      const subs = '                   ^----!';
      const expected = '               -x---#';

      m.expect(source.pipe(filterTextDeltas())).toBeObservable(expected, { x: 'Hel' }, error);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'stops listening to the source when unsubscribed early',
    marbles((m) => {
      const source = m.hot<RunEvent>('-a--^-b-r-a-b-|', events);
      const subs = '                      ^----!';
      const unsub = '                     ^----!';
      const expected = '                  --y---';

      m.expect(source.pipe(filterTextDeltas()), unsub).toBeObservable(expected, { y: 'lo' });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('works on a synchronous source', () => {
    const values: string[] = [];
    let completed = false;
    from<RunEvent[]>([events.r, events.a, events.c, events.b, events.f])
      .pipe(filterTextDeltas())
      .subscribe({ next: (delta) => values.push(delta), complete: () => (completed = true) });
    expect(values).toEqual(['Hel', 'lo']);
    expect(completed).toBe(true);
  });

  it('stops a synchronous source when the subscriber unsubscribes', () => {
    const sideEffects: number[] = [];
    const source = new Observable<RunEvent>((subscriber) => {
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next({ ...base, type: 'text-delta', delta: String(i) });
      }
    });
    source.pipe(filterTextDeltas(), take(2)).subscribe();
    expect(sideEffects).toEqual([0, 1]);
  });
});

describe('filterTextDeltas and nested runs (agents called as tools)', () => {
  const nested = {
    ...events,
    n: { ...base, agent: 'Researcher', type: 'text-delta', delta: 'Oslo', parentCallId: 'call_1' },
    m: { ...base, agent: 'Researcher', type: 'turn-completed', usage: emptyUsage, parentCallId: 'call_1' },
  } satisfies Record<string, RunEvent>;

  it(
    "leaves out a nested run's deltas by default",
    marbles((m) => {
      const source = m.cold<RunEvent>('-a-c-n-n-m-o-b-f-|', nested);
      m.expect(source.pipe(filterTextDeltas())).toBeObservable('-x-----------y---|', { x: 'Hel', y: 'lo' });
    }),
  );

  it(
    'keeps them, in stream order, with { nested: true }',
    marbles((m) => {
      const source = m.cold<RunEvent>('-a-c-n-m-o-b-f-|', nested);
      m.expect(source.pipe(filterTextDeltas({ nested: true }))).toBeObservable('-x---n-----y---|', {
        x: 'Hel',
        n: 'Oslo',
        y: 'lo',
      });
    }),
  );

  it(
    'unsubscribes from the source when the consumer leaves during the nested text',
    marbles((m) => {
      const source = m.cold<RunEvent>('-a-c-n-n-m-o-b-f-|', nested);
      const subs = '                   ^------!';
      m.expect(source.pipe(filterTextDeltas({ nested: true })), subs).toBeObservable('-x---n-', {
        x: 'Hel',
        n: 'Oslo',
      });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('refuses a bad option where it is given', () => {
    expect(() => filterTextDeltas({ nested: 'yes' as unknown as boolean })).toThrow(/nested must be true or false/);
    expect(() => filterTextDeltas(null as unknown as { nested?: boolean })).toThrow(/takes an object/);
  });
});

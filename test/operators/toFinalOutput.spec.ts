import { concat, defer, EMPTY, from, Observable, of, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toFinalOutput } from '../../operators/toFinalOutput.js';
import { NoFinalOutputError } from '../../src/errors.js';
import type { RunEvent } from '../../src/events.js';
import { emptyUsage } from '../../src/usage.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

interface Trip {
  destination: string;
}

const base = { agent: 'Travel agent', turn: 1 } as const;
const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const events = {
  r: { ...base, type: 'raw', source: 'openai-responses', data: {} },
  t: { ...base, type: 'text-delta', delta: '{"destination":' },
  c: { ...base, type: 'turn-completed', usage },
  f: { ...base, type: 'final-output', output: { destination: 'Lisbon' }, usage, ...noRunItems },
  g: { ...base, type: 'final-output', output: { destination: 'Porto' }, usage, ...noRunItems },
} satisfies Record<string, RunEvent<Trip>>;

describe('toFinalOutput', () => {
  it(
    "emits the final-output's value and completes at once",
    marbles((m) => {
      const source = m.cold<RunEvent<Trip>>('-r-t-c-f-|', events);
      const subs = '                         ^------!';
      const expected = '                     -------(x|)';

      m.expect(source.pipe(toFinalOutput())).toBeObservable(expected, { x: { destination: 'Lisbon' } });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'stops listening to the source right after the final-output',
    marbles((m) => {
      const source = m.cold<RunEvent<Trip>>('-f-g-r-#', events);
      const subs = '                         -^!';
      const expected = '                     --(x|)';

      m.expect(source.pipe(toFinalOutput()), '-^').toBeObservable(expected, { x: { destination: 'Lisbon' } });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'errors with NoFinalOutputError when the source completes without a final-output',
    marbles((m) => {
      const source = m.cold<RunEvent<Trip>>('-r-t-c-|', events);
      const subs = '                         ^------!';
      const expected = '                     -------#';

      m.expect(source.pipe(toFinalOutput())).toBeObservable(expected, undefined, new NoFinalOutputError());
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'errors with NoFinalOutputError on an empty source',
    marbles((m) => {
      m.expect(m.cold<RunEvent<Trip>>('|').pipe(toFinalOutput())).toBeObservable(
        '#',
        undefined,
        new NoFinalOutputError(),
      );
    }),
  );

  it(
    'passes the source error on unchanged',
    marbles((m) => {
      const error = new Error('connection reset');
      const source = m.cold<RunEvent<Trip>>('-r-t-#', events, error);
      const subs = '                         ^----!';
      const expected = '                     -----#';

      m.expect(source.pipe(toFinalOutput())).toBeObservable(expected, undefined, error);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'never emits on a source that never emits',
    marbles((m) => {
      m.expect(m.cold<RunEvent<Trip>>('-').pipe(toFinalOutput())).toBeObservable('-');
    }),
  );

  it(
    'stops listening to the source when unsubscribed early',
    marbles((m) => {
      const source = m.hot<RunEvent<Trip>>('-r-^-t-c---f-|', events);
      const subs = '                         ^----!';
      const unsub = '                        ^----!';

      m.expect(source.pipe(toFinalOutput()), unsub).toBeObservable('------');
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'emits an output that is undefined or null',
    marbles((m) => {
      const final = <T>(output: T): RunEvent<T> => ({
        ...base,
        type: 'final-output',
        output,
        usage: emptyUsage,
        ...noRunItems,
      });
      m.expect(m.cold('-u-|', { u: final(undefined) }).pipe(toFinalOutput())).toBeObservable('-(x|)', { x: undefined });
      m.expect(m.cold('-n-|', { n: final(null) }).pipe(toFinalOutput())).toBeObservable('-(x|)', { x: null });
    }),
  );

  it('works on a synchronous source', () => {
    const values: Trip[] = [];
    let completed = false;
    from<RunEvent<Trip>[]>([events.r, events.t, events.c, events.f])
      .pipe(toFinalOutput())
      .subscribe({ next: (output) => values.push(output), complete: () => (completed = true) });
    expect(values).toEqual([{ destination: 'Lisbon' }]);
    expect(completed).toBe(true);
  });

  it('errors on a synchronous source without a final-output', () => {
    let error: unknown;
    of<RunEvent<Trip>[]>(events.r, events.t)
      .pipe(toFinalOutput())
      .subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(NoFinalOutputError);
    expect(NoFinalOutputError.isInstance(error)).toBe(true);
  });

  it('stops a synchronous source right after the final-output', () => {
    const sideEffects: string[] = [];
    const source = new Observable<RunEvent<Trip>>((subscriber) => {
      for (const event of [events.r, events.f, events.g, events.r]) {
        if (subscriber.closed) return;
        sideEffects.push(event.type);
        subscriber.next(event);
      }
      subscriber.complete();
    });
    const values: Trip[] = [];
    source.pipe(toFinalOutput()).subscribe((output) => values.push(output));
    expect(values).toEqual([{ destination: 'Lisbon' }]);
    expect(sideEffects).toEqual(['raw', 'final-output']);
  });

  it('does not subscribe to what follows the final-output in a synchronous concat', () => {
    let subscribedAfter = false;
    const source = concat(
      of<RunEvent<Trip>>(events.f),
      defer(() => {
        subscribedAfter = true;
        return EMPTY;
      }),
    );
    source.pipe(toFinalOutput(), take(1)).subscribe();
    expect(subscribedAfter).toBe(false);
  });
});

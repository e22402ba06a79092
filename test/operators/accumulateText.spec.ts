import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { accumulateText } from '../../operators/accumulateText.js';
import type { RunEvent } from '../../src/events.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const delta = (text: string, turn = 1): RunEvent => ({ type: 'text-delta', agent: 'Writer', turn, delta: text });

describe('accumulateText', () => {
  it(
    'emits the text so far after each delta of a run, ignoring other events',
    marbles((m) => {
      const events: Record<string, RunEvent> = {
        r: { type: 'raw', agent: 'Writer', turn: 1, source: 'openai-responses', data: { type: 'response.created' } },
        a: delta('Hel'),
        b: delta('lo'),
        c: delta(' you'),
        t: { type: 'turn-completed', agent: 'Writer', turn: 1, usage },
        f: { type: 'final-output', agent: 'Writer', turn: 1, output: 'Hello you', usage, ...noRunItems },
      };
      const source = m.cold('   r-a--b--c-t-f|', events);
      const subs = '        ^------------!';
      const expected = '    --x--y--z----|';
      m.expect(source.pipe(accumulateText())).toBeObservable(expected, { x: 'Hel', y: 'Hello', z: 'Hello you' });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'accumulates strings and skips empty ones',
    marbles((m) => {
      const source = m.cold('-a-e-b-|', { a: 'Hi', e: '', b: ' there' });
      m.expect(source.pipe(accumulateText())).toBeObservable('-x---y-|', { x: 'Hi', y: 'Hi there' });
    }),
  );

  it(
    'joins the text of every turn',
    marbles((m) => {
      const source = m.cold('-a-b-|', { a: delta('Checking. ', 1), b: delta('Sunny.', 2) });
      m.expect(source.pipe(accumulateText())).toBeObservable('-x-y-|', { x: 'Checking. ', y: 'Checking. Sunny.' });
    }),
  );

  it(
    'drops the text of a restarted attempt, keeping earlier turns',
    marbles((m) => {
      const restarted: RunEvent = {
        type: 'turn-restarted',
        agent: 'Writer',
        turn: 2,
        reason: { name: 'ModelProviderError', message: 'connection reset' },
        attempt: 2,
      };
      const source = m.cold('-a-b-r-c-|', {
        a: delta('Checking. ', 1),
        b: delta('Sun', 2),
        r: restarted,
        c: delta('Rain.', 2),
      });
      m.expect(source.pipe(accumulateText())).toBeObservable('-w-x-y-z-|', {
        w: 'Checking. ',
        x: 'Checking. Sun',
        y: 'Checking. ',
        z: 'Checking. Rain.',
      });
    }),
  );

  it(
    'completes empty on an empty source',
    marbles((m) => {
      m.expect(m.cold('|').pipe(accumulateText())).toBeObservable('|');
    }),
  );

  it(
    'passes an error through after the text so far',
    marbles((m) => {
      const error = new Error('model failed');
      const source = m.cold('-a-#', { a: 'Hi' }, error);
      m.expect(source.pipe(accumulateText())).toBeObservable('-x-#', { x: 'Hi' }, error);
    }),
  );

  it(
    'unsubscribes from the source when unsubscribed early',
    marbles((m) => {
      const source = m.hot('-a-b-c-d-|', { a: 'a', b: 'b', c: 'c', d: 'd' });
      const unsub = '       ^----!    ';
      const subs = '        ^----!    ';
      m.expect(source.pipe(accumulateText()), unsub).toBeObservable('-x-y--', { x: 'a', y: 'ab' });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('works on a synchronous source, afresh for each subscriber', () => {
    const text$ = of(delta('a'), delta('b')).pipe(accumulateText());
    const first: string[] = [];
    const second: string[] = [];
    text$.subscribe((text) => first.push(text));
    text$.subscribe((text) => second.push(text));
    expect(first).toEqual(['a', 'ab']);
    expect(second).toEqual(['a', 'ab']);
  });
});

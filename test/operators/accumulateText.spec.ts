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

describe('accumulateText and nested runs (agents called as tools)', () => {
  const nestedDelta = (text: string, turn = 1, parentCallId = 'call_1'): RunEvent => ({
    type: 'text-delta',
    agent: 'Researcher',
    turn,
    delta: text,
    parentCallId,
  });
  const events: Record<string, RunEvent> = {
    a: delta('Let me ask. '),
    n: nestedDelta('Oslo'),
    o: nestedDelta(' is north'),
    r: {
      type: 'turn-restarted',
      agent: 'Researcher',
      turn: 1,
      reason: { name: 'Error', message: 'cut' },
      attempt: 2,
      parentCallId: 'call_1',
    },
    b: delta('It is Oslo.', 2),
    f: { type: 'final-output', agent: 'Writer', turn: 2, output: 'Let me ask. It is Oslo.', usage, ...noRunItems },
  };

  it(
    "leaves out a nested run's text by default, its turn-restarted too",
    marbles((m) => {
      const source = m.cold('   -a-n-o-r-b-f|', events);
      const expected = '        -x-------y--|';
      m.expect(source.pipe(accumulateText())).toBeObservable(expected, {
        x: 'Let me ask. ',
        y: 'Let me ask. It is Oslo.',
      });
    }),
  );

  it(
    "joins it with { nested: true }; a nested turn-restarted drops only the nested turn's text",
    marbles((m) => {
      const source = m.cold('   -a-n-o-r-b-f|', events);
      const expected = '        -w-x-y-z-v--|';
      m.expect(source.pipe(accumulateText({ nested: true }))).toBeObservable(expected, {
        w: 'Let me ask. ',
        x: 'Let me ask. Oslo',
        y: 'Let me ask. Oslo is north',
        z: 'Let me ask. ',
        v: 'Let me ask. It is Oslo.',
      });
    }),
  );

  it(
    'a nested turn 1 after the run’s own turn 1 is a turn of its own',
    marbles((m) => {
      const source = m.cold('   -a-n-|', { a: delta('Hi. '), n: nestedDelta('Oslo') });
      const restart = {
        type: 'turn-restarted',
        agent: 'Writer',
        turn: 1,
        reason: { name: 'E', message: 'm' },
        attempt: 2,
      } as const;
      const withRestart = m.cold('-a-n-r-|', { a: delta('Hi. '), n: nestedDelta('Oslo'), r: restart });
      m.expect(source.pipe(accumulateText({ nested: true }))).toBeObservable('-x-y-|', { x: 'Hi. ', y: 'Hi. Oslo' });
      // The parent's restart of turn 1 does not drop the nested turn's text (not the current turn's owner).
      m.expect(withRestart.pipe(accumulateText({ nested: true }))).toBeObservable('-x-y---|', {
        x: 'Hi. ',
        y: 'Hi. Oslo',
      });
    }),
  );

  it(
    'unsubscribes from the source when the consumer leaves during the nested text',
    marbles((m) => {
      const source = m.cold('   -a-n-o-r-b-f|', events);
      const subs = '            ^----!';
      m.expect(source.pipe(accumulateText({ nested: true })), subs).toBeObservable('-w-x-', {
        w: 'Let me ask. ',
        x: 'Let me ask. Oslo',
      });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('refuses a bad option where it is given', () => {
    expect(() => accumulateText({ nested: 1 as unknown as boolean })).toThrow(/nested must be true or false/);
  });
});

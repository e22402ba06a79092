import fc from 'fast-check';
import { concat, lastValueFrom, of, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { partialOutput } from '../../operators/partialOutput.js';
import { ModelBehaviorError, NoFinalOutputError } from '../../src/errors.js';
import type { RunEvent } from '../../src/events.js';
import { growthRatio } from '../helpers/growth.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };

function delta<T>(text: string, turn = 1): RunEvent<T> {
  return { type: 'text-delta', agent: 'Travel agent', turn, delta: text };
}
function finalOutput<T>(output: T, turn = 1): RunEvent<T> {
  return { type: 'final-output', agent: 'Travel agent', turn, output, usage, ...noRunItems };
}
function turnCompleted<T>(turn = 1): RunEvent<T> {
  return { type: 'turn-completed', agent: 'Travel agent', turn, usage };
}

/** The run events of a structured answer whose JSON text arrives in the given pieces. */
function structuredRun<T>(pieces: readonly string[], output: T): RunEvent<T>[] {
  return [...pieces.map((piece) => delta<T>(piece)), turnCompleted<T>(), finalOutput(output)];
}

/** Every string of `partial` is a prefix of the final one; every other leaf is equal. */
function isPartialOf(partial: unknown, final: unknown): boolean {
  if (typeof partial === 'string') return typeof final === 'string' && final.startsWith(partial);
  if (Array.isArray(partial)) {
    return (
      Array.isArray(final) && partial.length <= final.length && partial.every((item, i) => isPartialOf(item, final[i]))
    );
  }
  if (typeof partial === 'object' && partial !== null) {
    if (typeof final !== 'object' || final === null || Array.isArray(final)) return false;
    const whole = final as Record<string, unknown>;
    return Object.entries(partial).every(([key, value]) => key in whole && isPartialOf(value, whole[key]));
  }
  return Object.is(partial, final);
}

describe('partialOutput', () => {
  it(
    'emits a growing object after each delta that changes it, then completes at final-output',
    marbles((m) => {
      type Answer = { city: string; days: number };
      const answer: Answer = { city: 'Oslo', days: 3 };
      const events: Record<string, RunEvent<Answer>> = {
        a: delta('{"city":"Os'),
        b: delta('lo","days":'),
        c: delta('3}'),
        t: turnCompleted(),
        f: finalOutput(answer),
      };
      const source = m.cold('   -a---b---c---t-f|', events);
      const subs = '            ^--------------!';
      const expected = '        -x---y---z-----|';
      m.expect(source.pipe(partialOutput())).toBeObservable(expected, {
        x: { city: 'Os' },
        y: { city: 'Oslo' },
        z: { city: 'Oslo', days: 3 },
      });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'skips deltas that change nothing, and emits the final output when it differs',
    marbles((m) => {
      type Answer = { city: string; when: Date };
      const when = new Date('2026-03-01T00:00:00Z');
      const events: Record<string, RunEvent<Answer>> = {
        a: delta('{"city":'),
        b: delta(' "Rome",'),
        c: delta('  '),
        d: delta('"when":"2026-03-01"}'),
        f: finalOutput({ city: 'Rome', when }), // the schema turned the string into a Date
      };
      const source = m.cold('-a-b-c-d-f', events);
      m.expect<unknown>(source.pipe(partialOutput())).toBeObservable('-x-y---z-(w|)', {
        x: {},
        y: { city: 'Rome' },
        z: { city: 'Rome', when: '2026-03-01' },
        w: { city: 'Rome', when },
      });
    }),
  );

  it(
    'starts afresh with the first delta of a new turn',
    marbles((m) => {
      type Answer = { city: string };
      const events: Record<string, RunEvent<Answer>> = {
        a: delta('Let me check the weather first.', 1),
        c: { type: 'tool-call', agent: 'Travel agent', turn: 1, callId: 'c1', name: 'weather', arguments: {} },
        o: { type: 'tool-output', agent: 'Travel agent', turn: 1, callId: 'c1', name: 'weather', output: 'sunny' },
        b: delta('{"city":"Li', 2),
        d: delta('sbon"}', 2),
        f: finalOutput({ city: 'Lisbon' }, 2),
      };
      const source = m.cold('-a-c-o-b-d-f|', events);
      m.expect(source.pipe(partialOutput())).toBeObservable('-------x-y-|', {
        x: { city: 'Li' },
        y: { city: 'Lisbon' },
      });
    }),
  );

  it(
    'starts afresh when the turn is restarted',
    marbles((m) => {
      type Answer = { city: string };
      const events: Record<string, RunEvent<Answer>> = {
        a: delta('{"city":"Ro', 1),
        r: {
          type: 'turn-restarted',
          agent: 'Travel agent',
          turn: 1,
          reason: { name: 'ModelProviderError', message: 'reset' },
          attempt: 2,
        },
        b: delta('{"city":"Li', 1),
        d: delta('sbon"}', 1),
        f: finalOutput({ city: 'Lisbon' }, 1),
      };
      const source = m.cold('-a-r-b-d-f|', events);
      m.expect(source.pipe(partialOutput())).toBeObservable('-w---x-y-|', {
        w: { city: 'Ro' },
        x: { city: 'Li' },
        y: { city: 'Lisbon' },
      });
    }),
  );

  it(
    'errors with ModelBehaviorError when the final output is not an object',
    marbles((m) => {
      const events: Record<string, RunEvent<string>> = {
        a: delta('Rome, '),
        b: delta('in spring.'),
        f: finalOutput('Rome, in spring.'),
      };
      const source = m.cold('-a-b-f|', events);
      m.expect(source.pipe(partialOutput())).toBeObservable(
        '-----#',
        undefined,
        new ModelBehaviorError({
          message:
            'partialOutput() needs a run whose final output is a JSON object (an agent with an outputType), but this run\'s final output is a string ("Rome, in spring.").',
        }),
      );
    }),
  );

  it(
    'errors with NoFinalOutputError when the source completes without final-output',
    marbles((m) => {
      const source = m.cold('-a-|', { a: delta<{ city: string }>('{"city":"Ro') });
      m.expect(source.pipe(partialOutput())).toBeObservable(
        '-x-#',
        { x: { city: 'Ro' } },
        new NoFinalOutputError({ message: 'partialOutput(): the run completed without a final output.' }),
      );
    }),
  );

  it(
    'errors with NoFinalOutputError on an empty source',
    marbles((m) => {
      m.expect(m.cold<RunEvent<object>>('|').pipe(partialOutput())).toBeObservable(
        '#',
        undefined,
        new NoFinalOutputError({ message: 'partialOutput(): the run completed without a final output.' }),
      );
    }),
  );

  it(
    'passes a source error through after the partials',
    marbles((m) => {
      const error = new Error('connection reset');
      const source = m.cold('-a-#', { a: delta<{ city: string }>('{"city":"Ro') }, error);
      m.expect(source.pipe(partialOutput())).toBeObservable('-x-#', { x: { city: 'Ro' } }, error);
    }),
  );

  it(
    'unsubscribes from the source when unsubscribed early',
    marbles((m) => {
      const source = m.hot('-a-b-c-|', { a: delta('{"a":"x'), b: delta('y"'), c: delta('}') });
      const unsub = '       ^--!    ';
      const subs = '        ^--!    ';
      m.expect(source.pipe(partialOutput()), unsub).toBeObservable('-x--', { x: { a: 'x' } });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('works on a synchronous source, with fresh state per subscription', async () => {
    const answer = { destination: 'Kyoto', reasons: ['temples', 'food'] };
    const run$ = of(...structuredRun(['{"destination":"Ky', 'oto","reasons":["tem', 'ples","food"]}'], answer)).pipe(
      partialOutput(),
    );
    const expected = [
      { destination: 'Ky' },
      { destination: 'Kyoto', reasons: ['tem'] },
      { destination: 'Kyoto', reasons: ['temples', 'food'] },
    ];
    expect(await lastValueFrom(run$.pipe(toArray()))).toEqual(expected);
    expect(await lastValueFrom(run$.pipe(toArray()))).toEqual(expected);
  });

  it('streams a realistic structured answer split in many deltas', async () => {
    const answer = {
      destination: 'Lisbon, Portugal',
      reason: 'Mild March weather, "pastéis de nata", and a compact old town\nthat is easy to walk.',
      budget: { currency: 'EUR', perDay: 120.5, flightsIncluded: false },
      itinerary: [
        { day: 1, activities: ['Alfama walk', 'Tram 28'] },
        { day: 2, activities: ['Belém', 'LX Factory'] },
        { day: 3, activities: [] },
      ],
      notes: null,
    };
    const text = JSON.stringify(answer, null, 2);
    const pieces = text.match(/[\s\S]{1,3}/g) ?? [];
    const values = await lastValueFrom(of(...structuredRun(pieces, answer)).pipe(partialOutput(), toArray()));

    expect(values.length).toBeGreaterThan(30);
    expect(values.at(-1)).toEqual(answer);
    for (const value of values) expect(isPartialOf(value, answer)).toBe(true);
    for (let i = 1; i < values.length; i++) expect(values[i]).not.toEqual(values[i - 1]);
    // Numbers only appear whole: never 1, 12, 120 on the way to 120.5.
    const perDays = values.map((value) => value.budget?.perDay).filter((perDay) => perDay !== undefined);
    expect(new Set(perDays)).toEqual(new Set([120.5]));
  });

  it('ends with the final output, through partials of it, for any object split anywhere (property)', async () => {
    const answers = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(answers, fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), async (value, cuts, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const output = JSON.parse(text) as Record<string, unknown>; // what the run parses and validates
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points, text.length]
          .slice(1)
          .map((end, i, ends) => text.slice(i === 0 ? 0 : ends[i - 1], end));

        const values = await lastValueFrom(of(...structuredRun(pieces, output)).pipe(partialOutput(), toArray()));

        expect(values.at(-1)).toEqual(output);
        for (const partial of values) expect(isPartialOf(partial, output)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("costs linear time in the answer's length: 10 times the text costs far less than 100 times as much", async () => {
    type Answer = { items: string[] };
    /** An answer of about `n` characters, in 4-character deltas, and how many partials it gave. */
    const stream = async (n: number): Promise<void> => {
      const items = Array.from({ length: Math.ceil(n / 12) }, (_, i) => `item ${String(i).padStart(3, '0')}`);
      const json = JSON.stringify({ items });
      const pieces = json.match(/.{1,4}/gs) ?? [];
      const values = await lastValueFrom(
        of(...structuredRun<Answer>(pieces, { items })).pipe(partialOutput(), toArray()),
      );
      expect(values.at(-1)).toEqual({ items });
    };
    expect(await growthRatio(stream, 4_000)).toBeLessThan(25);
  });

  it('parses a long answer every few deltas, and all of its text at turn-completed', async () => {
    type Answer = { story: string };
    const story = 'once upon a time '.repeat(400); // 6,800 characters, 1,700 deltas
    const pieces = JSON.stringify({ story }).match(/.{1,4}/gs) ?? [];
    const values: unknown[] = [];
    const source = of(...pieces.map((piece) => delta<Answer>(piece)), turnCompleted<Answer>());
    // No final-output: the source completes without one, after the partials.
    source.pipe(partialOutput()).subscribe({ next: (value) => values.push(value), error: () => undefined });
    expect(values.length).toBeGreaterThan(100); // short texts after every delta, long ones in steps
    expect(values.length).toBeLessThan(pieces.length / 2);
    expect(values.every((value) => isPartialOf(value, { story }))).toBe(true);
    expect(values.at(-1)).toEqual({ story }); // parsed whole at turn-completed
  });

  it('parses all of the text before passing on a source error', () => {
    type Answer = { story: string };
    const story = 'x'.repeat(4_000);
    const pieces = `{"story":"${story}`.match(/.{1,4}/gs) ?? [];
    const values: unknown[] = [];
    let failed: unknown;
    concat(
      of(...pieces.map((piece) => delta<Answer>(piece))),
      throwError(() => new Error('connection lost')),
    )
      .pipe(partialOutput())
      .subscribe({ next: (value) => values.push(value), error: (error: unknown) => (failed = error) });
    expect(values.at(-1)).toEqual({ story });
    expect(failed).toEqual(new Error('connection lost'));
  });
});

describe('partialOutput and nested runs (agents called as tools)', () => {
  type Answer = { city: string };
  const nested = (event: RunEvent<Answer>): RunEvent<Answer> => ({
    ...event,
    agent: 'Researcher',
    parentCallId: 'call_1',
  });
  const events: Record<string, RunEvent<Answer>> = {
    n: nested(delta('{"city":"Bergen"')),
    m: nested(delta('}')),
    t: nested(turnCompleted()),
    r: nested({
      type: 'turn-restarted',
      agent: 'Researcher',
      turn: 1,
      reason: { name: 'E', message: 'm' },
      attempt: 2,
    }),
    a: delta('{"city":"Os', 2),
    b: delta('lo"}', 2),
    c: turnCompleted(2),
    f: finalOutput({ city: 'Oslo' }, 2),
  };

  it(
    "ignores a nested run's events: its text is not the answer, its restart does not drop the answer's text",
    marbles((m) => {
      const source = m.cold('   -a-n-r-m-t-b-c-f|', events);
      const expected = '        -x---------y---|';
      m.expect(source.pipe(partialOutput())).toBeObservable(expected, { x: { city: 'Os' }, y: { city: 'Oslo' } });
    }),
  );

  it(
    'unsubscribes from the source when the consumer leaves during the nested events',
    marbles((m) => {
      const source = m.cold('   -a-n-r-m-t-b-c-f|', events);
      const subs = '            ^------!';
      m.expect(source.pipe(partialOutput()), subs).toBeObservable('-x------', { x: { city: 'Os' } });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );
});

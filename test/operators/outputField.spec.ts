import fc from 'fast-check';
import { from, lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { outputField } from '../../operators/outputField.js';
import { InvalidArgumentError, ModelBehaviorError } from '../../src/errors.js';
import type { RunEvent } from '../../src/events.js';
import { growthRatio } from '../helpers/growth.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

type Answer = { city: string; reason: string };
const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };

function delta<T = Answer>(text: string, turn = 1, parentCallId?: string): RunEvent<T> {
  return { type: 'text-delta', agent: 'Travel agent', turn, delta: text, ...(parentCallId ? { parentCallId } : {}) };
}
function finalOutput<T>(output: T, turn = 1): RunEvent<T> {
  return { type: 'final-output', agent: 'Travel agent', turn, output, usage, ...noRunItems };
}

describe('outputField', () => {
  it(
    "emits the field's text as it grows, and completes at final-output",
    marbles((m) => {
      const events: Record<string, RunEvent<Answer>> = {
        a: delta('{"city":"Oslo","reason":"Fj'),
        b: delta('ords and'),
        c: delta(' light"}'),
        f: finalOutput({ city: 'Oslo', reason: 'Fjords and light' }),
      };
      const source = m.cold('   -a---b---c---f|', events);
      const subs = '            ^------------!';
      const expected = '        -x---y---z---|';
      m.expect(source.pipe(outputField('reason'))).toBeObservable(expected, {
        x: 'Fj',
        y: 'Fjords and',
        z: 'Fjords and light',
      });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'emits nothing for the deltas before the field, and nothing twice',
    marbles((m) => {
      const events: Record<string, RunEvent<Answer>> = {
        a: delta('{"city":"Li'),
        b: delta('sbon","reason":'),
        c: delta('"'),
        d: delta('Tiles'),
        e: delta('"}'),
        f: finalOutput({ city: 'Lisbon', reason: 'Tiles' }),
      };
      const source = m.cold('-a-b-c-d-e-f|', events);
      m.expect(source.pipe(outputField('reason'))).toBeObservable('-------d---|', { d: 'Tiles' });
    }),
  );

  it(
    'unsubscribes from the source when unsubscribed early',
    marbles((m) => {
      const events = { a: delta('{"reason":"Sun'), b: delta('ny'), c: delta('"}') };
      const source = m.cold('  -a--b--c--|', events);
      const subs = '           ^---!';
      m.expect(source.pipe(outputField('reason')), '^---!').toBeObservable('-a--', { a: 'Sun' });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'passes a source error on after the text so far',
    marbles((m) => {
      const source = m.cold('-a-#', { a: delta('{"reason":"Half') }, new Error('cut'));
      m.expect(source.pipe(outputField('reason'))).toBeObservable('-a-#', { a: 'Half' }, new Error('cut'));
    }),
  );

  it(
    'starts again from empty with a new turn, and with a restarted attempt',
    marbles((m) => {
      const events: Record<string, RunEvent<Answer>> = {
        a: delta('{"reason":"first', 1),
        r: { type: 'turn-restarted', agent: 'Travel agent', turn: 1, attempt: 2, reason: { name: 'E', message: 'x' } },
        b: delta('{"reason":"again', 1),
        c: delta('{"reason":"turn two"}', 2),
      };
      const source = m.cold('-a-r-b-c----|', events);
      m.expect(source.pipe(outputField('reason'))).toBeObservable('-a-r-b-(dc)-|', {
        a: 'first',
        r: '',
        b: 'again',
        d: '',
        c: 'turn two',
      });
    }),
  );

  it('decodes escapes and characters split across deltas, never half of one', async () => {
    const reason = 'Line one\nsays "hi" \\ caf\u00e9 \ud83c\udfd4\ufe0f / done';
    const text = JSON.stringify({ reason }).replace('é', '\\u00e9').replace('🏔', '\\ud83c\\udfd4');
    const pieces = text.match(/.{1,3}/gs) ?? [];
    const values = await lastValueFrom(
      from(pieces.map((piece) => delta(piece))).pipe(outputField('reason'), toArray()),
    );
    expect(values.at(-1)).toBe(reason);
    for (const value of values) expect(reason.startsWith(value), value).toBe(true);
  });

  it('follows a nested field by its keys, past arrays and other strings with the same key', async () => {
    const answer = { reason: 'not this', trip: { stops: [{ reason: 'nor this' }], reason: 'this one' } };
    const values = await lastValueFrom(
      of(delta<typeof answer>(JSON.stringify(answer)), finalOutput(answer)).pipe(
        outputField(['trip', 'reason']),
        toArray(),
      ),
    );
    expect(values).toEqual(['this one']);
  });

  it('for every answer cut anywhere: each value a prefix of the final field, the last equal to it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ city: fc.string(), reason: fc.string({ unit: 'binary' }), days: fc.integer() }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }),
        async (answer, cuts) => {
          const text = JSON.stringify(answer);
          const pieces: string[] = [];
          for (let at = 0, i = 0; at < text.length; i += 1) {
            const size = cuts[i % cuts.length] as number;
            pieces.push(text.slice(at, at + size));
            at += size;
          }
          const events = [...pieces.map((piece) => delta(piece)), finalOutput(answer)];
          const values = await lastValueFrom(from(events).pipe(outputField('reason'), toArray()));
          for (const value of values) expect(answer.reason.startsWith(value)).toBe(true);
          expect(values.at(-1) ?? '').toBe(answer.reason);
        },
      ),
    );
  });

  it("ignores nested runs' text, and ends quietly without a final output", async () => {
    const values = await lastValueFrom(
      of(delta('{"reason":"nested"}', 1, 'call_1'), delta('{"reason":"mine"}')).pipe(outputField('reason'), toArray()),
    );
    expect(values).toEqual(['mine']);
  });

  it("emits the final output's field when the schema changed it, and errors when it is not a string", async () => {
    const changed = await lastValueFrom(
      of(delta<{ reason: string }>('{"reason":"  padded  "}'), finalOutput({ reason: 'padded' })).pipe(
        outputField('reason'),
        toArray(),
      ),
    );
    expect(changed).toEqual(['  padded  ', 'padded']);
    const wrong = of(delta<{ reason: number }>('{"reason":3}'), finalOutput({ reason: 3 })).pipe(outputField('reason'));
    await expect(lastValueFrom(wrong)).rejects.toThrow(ModelBehaviorError);
  });

  it('refuses a path that is not a key or a list of keys, where it is given', () => {
    expect(() => outputField([])).toThrow(InvalidArgumentError);
    expect(() => outputField(3 as unknown as string)).toThrow(/outputField\(\) takes a field name/);
  });

  it('costs linear time in the length of the answer', async () => {
    const stream = (n: number) => {
      const text = JSON.stringify({ reason: 'word '.repeat(n / 5) });
      const pieces = text.match(/.{1,4}/gs) ?? [];
      of(...pieces.map((piece) => delta(piece)))
        .pipe(outputField('reason'))
        .subscribe();
    };
    expect(await growthRatio(stream, 20_000)).toBeLessThan(25);
  });
});

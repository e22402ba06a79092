import fc from 'fast-check';
import { asyncScheduler, concat, concatMap, from, map, Observable, of, take, throwError, timer } from 'rxjs';
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { bufferTokens } from '../../operators/bufferTokens.js';
import type { BufferTokensOptions } from '../../operators/bufferTokens.js';
import { AgentsError, InvalidArgumentError } from '../../src/errors.js';
import { marbles, testScheduler } from '../helpers/marbles.js';

/** The chunks `bufferTokens(options)` makes of `deltas` given synchronously. */
function chunksOf(deltas: readonly string[], options: number | BufferTokensOptions): string[] {
  const chunks: string[] = [];
  let completed = false;
  from(deltas)
    .pipe(bufferTokens(options))
    .subscribe({ next: (chunk) => chunks.push(chunk), complete: () => (completed = true) });
  expect(completed).toBe(true);
  return chunks;
}

/** The string split into one delta per code point. */
const characters = (text: string): string[] => Array.from(text);

describe('bufferTokens', () => {
  describe('count', () => {
    it(
      'joins every `count` deltas into one chunk and flushes the rest on completion',
      marbles((m) => {
        const source = m.cold('-a-b-c-d-e-|', { a: 'The', b: ' qu', c: 'ick', d: ' br', e: 'own' });
        const subs = '         ^----------!';
        const expected = '     ---x---y---(z|)';

        m.expect(source.pipe(bufferTokens(2))).toBeObservable(expected, { x: 'The qu', y: 'ick br', z: 'own' });
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'takes the count as an option too',
      marbles((m) => {
        const source = m.cold('-a-b-c-|', { a: 'a', b: 'b', c: 'c' });
        m.expect(source.pipe(bufferTokens({ count: 3 }))).toBeObservable('-----x-|', { x: 'abc' });
      }),
    );

    it(
      'emits each delta with a count of 1',
      marbles((m) => {
        const source = m.cold('-a-b-|', { a: 'Hel', b: 'lo' });
        m.expect(source.pipe(bufferTokens(1))).toBeObservable('-a-b-|', { a: 'Hel', b: 'lo' });
      }),
    );

    it(
      'ignores empty deltas: they are not counted and never emitted',
      marbles((m) => {
        const source = m.cold('-a-e-b-e-e-c-|', { a: 'a', b: 'b', c: 'c', e: '' });
        m.expect(source.pipe(bufferTokens(2))).toBeObservable('-----x-------(y|)', { x: 'ab', y: 'c' });
        const empties = m.cold('-e-e-|', { e: '' });
        m.expect(empties.pipe(bufferTokens(1))).toBeObservable('-----|');
      }),
    );

    it(
      'completes without values on an empty source',
      marbles((m) => {
        const source = m.cold<string>('|');
        m.expect(source.pipe(bufferTokens(2))).toBeObservable('|');
        m.expect(source).toHaveSubscriptions('(^!)');
      }),
    );

    it(
      'never emits on a source that never emits',
      marbles((m) => {
        m.expect(m.cold<string>('-').pipe(bufferTokens(2))).toBeObservable('-');
      }),
    );

    it(
      'flushes what it holds before passing an error on',
      marbles((m) => {
        const error = new Error('stream broke');
        const source = m.cold('-a-b-c-#', { a: 'a', b: 'b', c: 'c' }, error);
        const subs = '         ^------!';
        const expected = '     ---x---(y#)';

        m.expect(source.pipe(bufferTokens(2))).toBeObservable(expected, { x: 'ab', y: 'c' }, error);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'passes an error on alone when it holds nothing',
      marbles((m) => {
        const error = new Error('stream broke');
        const source = m.cold('-a-b-#', { a: 'a', b: 'b' }, error);
        m.expect(source.pipe(bufferTokens(2))).toBeObservable('---x-#', { x: 'ab' }, error);
      }),
    );

    it(
      'stops listening to the source when unsubscribed early, dropping what it holds',
      marbles((m) => {
        const source = m.hot('-a-^-b-c-d-e-f-|', { a: 'a', b: 'b', c: 'c', d: 'd', e: 'e', f: 'f' });
        const subs = '         ^-------!';
        const unsub = '        ^-------!';
        const expected = '     ----x----';

        m.expect(source.pipe(bufferTokens(2)), unsub).toBeObservable(expected, { x: 'bc' });
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'keeps separate state for each subscription',
      marbles((m) => {
        const buffered = m.cold('-a-b-c-|', { a: 'a', b: 'b', c: 'c' }).pipe(bufferTokens(2));
        m.expect(buffered).toBeObservable('        ---x---(y|)', { x: 'ab', y: 'c' });
        m.expect(buffered, '--^').toBeObservable('-----x---(y|)', { x: 'ab', y: 'c' });
      }),
    );
  });

  describe('timeSpan', () => {
    it(
      'emits what it holds `timeSpan` after the first delta of the chunk',
      marbles((m) => {
        const timeSpan = m.time('----|');
        const source = m.cold('-a-b-------c-|', { a: 'a', b: 'b', c: 'c' });
        const subs = '         ^------------!';
        const expected = '     -----x-------(y|)';

        m.expect(source.pipe(bufferTokens({ timeSpan }))).toBeObservable(expected, { x: 'ab', y: 'c' });
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'with timeSpan 0, joins what arrives before the scheduler’s next tick (one write per frame on animationFrameScheduler)',
      marbles((m) => {
        const source = m.cold('-(ab)-c-(de|)', { a: 'a', b: 'b', c: 'c', d: 'd', e: 'e' });
        const expected = '     -x----y-(z|)';

        m.expect(source.pipe(bufferTokens({ timeSpan: 0 }))).toBeObservable(expected, { x: 'ab', y: 'c', z: 'de' });
      }),
    );

    it(
      'starts the timer at the first delta of a chunk, not at subscription',
      marbles((m) => {
        const timeSpan = m.time('----|');
        // Windows counted from subscription (bufferTime) would close at 4 and 8, emitting 'ab' at 8.
        const source = m.cold('------a-b------|', { a: 'a', b: 'b' });
        const expected = '     ----------x----|';

        m.expect(source.pipe(bufferTokens({ timeSpan }))).toBeObservable(expected, { x: 'ab' });
      }),
    );

    it(
      'never emits an empty chunk while the source is idle',
      marbles((m) => {
        const timeSpan = m.time('--|');
        const source = m.cold('-a---------------b-|', { a: 'a', b: 'b' });
        const expected = '     ---x---------------(y|)';

        m.expect(source.pipe(bufferTokens({ timeSpan }))).toBeObservable(expected, { x: 'a', y: 'b' });
      }),
    );

    it(
      'uses the scheduler it is given',
      marbles((m) => {
        const source = m.cold('-a-b-----|', { a: 'a', b: 'b' });
        const timers = recordingScheduler(m.scheduler);
        m.expect(source.pipe(bufferTokens({ timeSpan: 3, scheduler: timers }))).toBeObservable('----x----|', {
          x: 'ab',
        });
        m.scheduler.schedule(() => expect(timers.scheduled).toHaveLength(1), 9);
      }),
    );

    it(
      'flushes what it holds before passing an error on',
      marbles((m) => {
        const timeSpan = m.time('-----|');
        const error = new Error('stream broke');
        const source = m.cold('-a-b-#', { a: 'a', b: 'b' }, error);

        m.expect(source.pipe(bufferTokens({ timeSpan }))).toBeObservable('-----(x#)', { x: 'ab' }, error);
      }),
    );

    it(
      'stops listening to the source when unsubscribed early',
      marbles((m) => {
        const timeSpan = m.time('---|');
        const source = m.cold('-a-b----c-|', { a: 'a', b: 'b', c: 'c' });
        const subs = '         ^-----!';
        const unsub = '        ^-----!';
        const expected = '     ----x--';

        m.expect(source.pipe(bufferTokens({ timeSpan })), unsub).toBeObservable(expected, { x: 'ab' });
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it('cancels its timer when unsubscribed', () => {
      const scheduler = testScheduler();
      const timers = recordingScheduler(scheduler);
      const source = new Observable<string>((subscriber) => subscriber.next('held'));
      const values: string[] = [];
      const subscription = source
        .pipe(bufferTokens({ timeSpan: 10, scheduler: timers }))
        .subscribe((chunk) => values.push(chunk));

      expect(timers.scheduled).toHaveLength(1);
      expect(timers.scheduled[0]?.closed).toBe(false);
      subscription.unsubscribe();
      expect(timers.scheduled[0]?.closed).toBe(true);
      scheduler.flush();
      expect(values).toEqual([]);
    });

    it('cancels its timer when the source completes', () => {
      const scheduler = testScheduler();
      const timers = recordingScheduler(scheduler);
      const values: string[] = [];
      of('a', 'b')
        .pipe(bufferTokens({ timeSpan: 10, scheduler: timers }))
        .subscribe((chunk) => values.push(chunk));

      expect(values).toEqual(['ab']);
      expect(timers.scheduled.map((timer) => timer.closed)).toEqual([true]);
    });
  });

  describe('count and timeSpan', () => {
    it(
      'emits at `count` deltas or when the timer fires, whichever comes first',
      marbles((m) => {
        const timeSpan = m.time('-----|');
        const source = m.cold('-a-b-c-------d-|', { a: 'a', b: 'b', c: 'c', d: 'd' });
        // 'ab' by count at 3 cancels the timer started at 1; 'c' starts a new one, which fires at 10.
        const expected = '     ---x------y----(z|)';

        m.expect(source.pipe(bufferTokens({ count: 2, timeSpan }))).toBeObservable(expected, {
          x: 'ab',
          y: 'c',
          z: 'd',
        });
      }),
    );
  });

  describe("by: 'word'", () => {
    it(
      'ends each chunk after a word and the spaces and punctuation that follow it',
      marbles((m) => {
        const source = m.cold('-a-b-c-|', { a: 'Hel', b: 'lo wor', c: 'ld, how' });
        const subs = '         ^------!';
        const expected = '     ---x-y-(z|)';

        m.expect(source.pipe(bufferTokens({ by: 'word' }))).toBeObservable(expected, {
          x: 'Hello ',
          y: 'world, ',
          z: 'how',
        });
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'holds a word until the next word starts',
      marbles((m) => {
        const source = m.cold('-a-b-c-d-|', { a: 'Hello', b: ',', c: ' ', d: 'w' });
        m.expect(source.pipe(bufferTokens({ by: 'word' }))).toBeObservable('-------x-(y|)', { x: 'Hello, ', y: 'w' });
      }),
    );

    it('keeps leading spaces with the first word', () => {
      expect(chunksOf([' Hello', ', world!'], { by: 'word' })).toEqual([' Hello, ', 'world!']);
    });

    it('does not split contractions and numbers streamed a character at a time', () => {
      expect(chunksOf(characters("Don't stop, it costs 3.50 now."), { by: 'word' })).toEqual([
        "Don't ",
        'stop, ',
        'it ',
        'costs ',
        '3.50 ',
        'now.',
      ]);
    });

    it('chunks Chinese into words', () => {
      const words = ['我', '喜欢', '猫。', '它们', '很', '可爱。'];
      expect(chunksOf(['我喜欢', '猫。它们', '很可爱。'], { by: 'word' })).toEqual(words);
      expect(chunksOf(characters('我喜欢猫。它们很可爱。'), { by: 'word' })).toEqual(words);
    });

    it('chunks Japanese into words, waiting until the dictionary cannot merge them any more', () => {
      // Cut as soon as the next word starts, 'こんに' would give 'こん' (it becomes 'こんにちは').
      expect(chunksOf(characters('こんにちは世界'), { by: 'word' })).toEqual(['こんにちは', '世界']);
      expect(chunksOf(['こんに', 'ちは世', '界。'], { by: 'word' })).toEqual(['こんにちは', '世界。']);
    });

    it('counts words with `count`', () => {
      expect(chunksOf(characters('The quick brown fox jumps'), { by: 'word', count: 2 })).toEqual([
        'The quick ',
        'brown fox ',
        'jumps',
      ]);
    });

    it('keeps counting from the boundaries a delta proved beyond the chunk it completed', () => {
      // The first delta proves three boundaries: one chunk of two words, one word towards the next.
      expect(chunksOf(['one two three fo', 'ur five six'], { by: 'word', count: 2 })).toEqual([
        'one two ',
        'three four ',
        'five six',
      ]);
    });

    it(
      'emits what it holds, even mid-word, when `timeSpan` runs out',
      marbles((m) => {
        const timeSpan = m.time('----|');
        const source = m.cold('-a-b-----c-|', { a: 'Hel', b: 'lo wor', c: 'ld' });
        // The timer started by 'Hel' at 1 keeps running after 'Hello ' leaves 'wor' held: it fires at 5.
        const expected = '     ---x-y-----(z|)';

        m.expect(source.pipe(bufferTokens({ by: 'word', timeSpan }))).toBeObservable(expected, {
          x: 'Hello ',
          y: 'wor',
          z: 'ld',
        });
      }),
    );

    it(
      'picks up words again after a mid-word flush',
      marbles((m) => {
        const timeSpan = m.time('--|');
        const source = m.cold('-a----b-|', { a: 'wor', b: 'ld, how' });
        m.expect(source.pipe(bufferTokens({ by: 'word', timeSpan }))).toBeObservable('---x--y-(z|)', {
          x: 'wor',
          y: 'ld, ',
          z: 'how',
        });
      }),
    );

    it(
      'flushes what it holds, split into words, before passing an error on',
      marbles((m) => {
        const error = new Error('stream broke');
        // '我|喜欢' is not proven yet while more text may follow; an error proves it.
        const source = m.cold('-a-#', { a: '我喜欢' }, error);
        m.expect(source.pipe(bufferTokens({ by: 'word' }))).toBeObservable('---(xy#)', { x: '我', y: '喜欢' }, error);
      }),
    );
  });

  describe("by: 'sentence'", () => {
    it(
      'ends each chunk after a sentence, once the next one starts',
      marbles((m) => {
        const source = m.cold('-a-b-c-|', { a: 'Hello world. Ho', b: 'w are you? I am', c: ' fine.' });
        m.expect(source.pipe(bufferTokens({ by: 'sentence' }))).toBeObservable('-x-y---(z|)', {
          x: 'Hello world. ',
          y: 'How are you? ',
          z: 'I am fine.',
        });
      }),
    );

    it('holds a boundary until a letter proves it', () => {
      // After 'etc. (' the segmenter sees a new sentence, but a lowercase word then undoes it.
      expect(chunksOf(['See etc. (', 'and more). Next'], { by: 'sentence' })).toEqual([
        'See etc. (and more). ',
        'Next',
      ]);
    });

    it('chunks Chinese and Japanese into sentences', () => {
      expect(chunksOf(['我喜欢猫。它', '们很可爱。'], { by: 'sentence' })).toEqual(['我喜欢猫。', '它们很可爱。']);
      expect(chunksOf(characters('こんにちは。元気ですか？はい。'), { by: 'sentence' })).toEqual([
        'こんにちは。',
        '元気ですか？',
        'はい。',
      ]);
    });

    it('keeps blank lines with the sentence before them', () => {
      expect(chunksOf(characters('First.\n\nSecond. Third.'), { by: 'sentence' })).toEqual([
        'First.\n\n',
        'Second. ',
        'Third.',
      ]);
    });

    it('counts sentences with `count`', () => {
      expect(chunksOf(characters('One. Two. Three. Four. Five.'), { by: 'sentence', count: 2 })).toEqual([
        'One. Two. ',
        'Three. Four. ',
        'Five.',
      ]);
    });
  });

  describe("by: 'line'", () => {
    it(
      "ends each chunk at a '\\n', as soon as it arrives",
      marbles((m) => {
        const source = m.cold('-a---b---c-|', { a: 'a\n', b: 'b\nc\n\nd', c: 'e' });
        m.expect(source.pipe(bufferTokens({ by: 'line' }))).toBeObservable('-x---(yzu)-(w|)', {
          x: 'a\n',
          y: 'b\n',
          z: 'c\n',
          u: '\n',
          w: 'de',
        });
      }),
    );

    it("keeps '\\r\\n' together and counts lines with `count`", () => {
      expect(chunksOf(['a\r', '\nb'], { by: 'line' })).toEqual(['a\r\n', 'b']);
      expect(chunksOf(['l1\nl2\nl', '3\nl4'], { by: 'line', count: 2 })).toEqual(['l1\nl2\n', 'l3\nl4']);
    });

    it(
      'starts a new timer for the text after a line that left nothing held',
      marbles((m) => {
        const timeSpan = m.time('----|');
        // 'a\n' at 1 leaves nothing held, which cancels its timer: 'b' at 3 starts one that fires at 7.
        const source = m.cold('-a-b-----|', { a: 'a\n', b: 'b' });
        m.expect(source.pipe(bufferTokens({ by: 'line', timeSpan }))).toBeObservable('-x-----y-|', {
          x: 'a\n',
          y: 'b',
        });
      }),
    );

    it(
      'treats the text after the last line break as the last line on completion',
      marbles((m) => {
        const source = m.cold('-a-|', { a: 'no line break' });
        m.expect(source.pipe(bufferTokens({ by: 'line' }))).toBeObservable('---(x|)', { x: 'no line break' });
      }),
    );
  });

  describe('long units', () => {
    it('finds the end of a sentence longer than the text it rescans for each delta', () => {
      const long = Array.from({ length: 120 }, () => 'word ')
        .join('')
        .trimEnd();
      const deltas = [...Array.from({ length: 120 }, () => 'word '), '. ', 'Next', ' one. ', 'Last.'];
      expect(chunksOf(deltas, { by: 'sentence' })).toEqual([`${long} . `, 'Next one. ', 'Last.']);
    });

    it('finds the end of a word longer than the text it rescans for each delta', () => {
      const deltas = [...Array.from({ length: 100 }, () => 'abcd'), ', ', 'next', ' word'];
      expect(chunksOf(deltas, { by: 'word' })).toEqual([`${'abcd'.repeat(100)}, `, 'next ', 'word']);
    });

    it('counts units across a long stretch of held text', () => {
      const deltas = Array.from({ length: 300 }, (_, i) => `w${i} `);
      const chunks = chunksOf(deltas, { by: 'word', count: 100 });
      expect(chunks).toHaveLength(3);
      expect(chunks.map((chunk) => chunk.split(' ').length - 1)).toEqual([100, 100, 100]);
    });
  });

  describe('a synchronous source', () => {
    it('is chunked and completed', () => {
      expect(chunksOf(['a', 'b', 'c'], 2)).toEqual(['ab', 'c']);
      expect(chunksOf(['Hello wo', 'rld'], { by: 'word', timeSpan: 1000 })).toEqual(['Hello ', 'world']);
    });

    it('is flushed before its error', () => {
      const error = new Error('stream broke');
      const seen: unknown[] = [];
      concat(
        of('a', 'b', 'c'),
        throwError(() => error),
      )
        .pipe(bufferTokens(2))
        .subscribe({ next: (chunk) => seen.push(chunk), error: (e: unknown) => seen.push(e) });
      expect(seen).toEqual(['ab', 'c', error]);
    });

    it.each<[string, number | BufferTokensOptions, number[]]>([
      ['count', 1, [0, 1]],
      ['count and timeSpan', { count: 1, timeSpan: 10 }, [0, 1]],
      // The second word is emitted when the third one starts.
      ['by word', { by: 'word' }, [0, 1, 2]],
    ])('is stopped when the subscriber unsubscribes (%s)', (_name, options, expectedSideEffects) => {
      const sideEffects: number[] = [];
      const source = new Observable<string>((subscriber) => {
        for (let i = 0; !subscriber.closed && i < 10; i++) {
          sideEffects.push(i);
          subscriber.next(`w${i} `);
        }
      });
      const chunks: string[] = [];
      source.pipe(bufferTokens(options), take(2)).subscribe((chunk) => chunks.push(chunk));
      expect(chunks).toHaveLength(2);
      expect(sideEffects).toEqual(expectedSideEffects);
    });
  });

  describe('options', () => {
    it.each<[string, unknown, string]>([
      ['count 0', 0, 'count'],
      ['a negative count', -1, 'count'],
      ['a fractional count', 1.5, 'count'],
      ['a NaN count', Number.NaN, 'count'],
      ['an infinite count', Infinity, 'count'],
      ['count 0 in options', { count: 0 }, 'count'],
      ['a string count', { count: '2' }, 'count'],
      ['a negative timeSpan', { timeSpan: -5 }, 'timeSpan'],
      ['a NaN timeSpan', { timeSpan: Number.NaN }, 'timeSpan'],
      ['an infinite timeSpan', { timeSpan: Infinity }, 'timeSpan'],
      ['an unknown by', { by: 'paragraph' }, 'by'],
      ['no count, timeSpan or by', {}, 'options'],
      ['only a scheduler', { scheduler: asyncScheduler }, 'options'],
      ['null', null, 'options'],
      ['a string', '2', 'options'],
      ['a scheduler that is not one', { count: 2, scheduler: {} }, 'scheduler'],
    ])('throws an InvalidArgumentError naming the field when created with %s', (_name, options, argument) => {
      let thrown: unknown;
      try {
        // Created, never piped nor subscribed: the check happens at the call.
        bufferTokens(options as BufferTokensOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect(AgentsError.isInstance(thrown)).toBe(true);
      expect((thrown as InvalidArgumentError).argument).toBe(argument);
      expect((thrown as InvalidArgumentError).message).toContain(`\`${argument}\``);
    });

    it.each<[string, number | BufferTokensOptions]>([
      ['count 1', 1],
      ['a timeSpan alone', { timeSpan: 0.5 }],
      ['timeSpan 0 (the next tick)', { timeSpan: 0 }],
      ['by alone', { by: 'sentence' }],
      ['everything', { count: 3, timeSpan: 100, scheduler: asyncScheduler, by: 'line' }],
    ])('accepts %s', (_name, options) => {
      expect(() => bufferTokens(options)).not.toThrow();
    });
  });

  describe('never loses, duplicates or reorders text', () => {
    const delta = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      fc.constantFrom(
        '',
        ' ',
        '\n',
        '\r\n',
        '. ',
        ', ',
        '! ',
        'Hello',
        'world',
        "n't",
        '3.5',
        '我',
        '喜欢',
        '猫。',
        'こんにちは',
        '世界',
        '👍',
      ),
      // Longer than the text rescanned for each delta.
      fc.constantFrom('lorem ipsum dolor sit amet '.repeat(6), 'あいうえお'.repeat(40), 'x'.repeat(300)),
    );
    const script = fc.record({
      deltas: fc.array(fc.tuple(delta, fc.nat({ max: 4 })), { maxLength: 30 }),
      fails: fc.boolean(),
    });
    const configurations: [string, fc.Arbitrary<number | BufferTokensOptions>][] = [
      ['count', fc.integer({ min: 1, max: 5 })],
      ['timeSpan', fc.record({ timeSpan: fc.integer({ min: 1, max: 6 }) })],
      [
        'count and timeSpan',
        fc.record({ count: fc.integer({ min: 1, max: 5 }), timeSpan: fc.integer({ min: 1, max: 6 }) }),
      ],
      ...(['word', 'sentence', 'line'] as const).map((by): [string, fc.Arbitrary<BufferTokensOptions>] => [
        `by ${by}`,
        fc.record(
          { by: fc.constant(by), count: fc.integer({ min: 1, max: 3 }), timeSpan: fc.integer({ min: 1, max: 6 }) },
          { requiredKeys: ['by'] },
        ),
      ]),
    ];

    it.each(configurations)('%s', (_name, options) => {
      fc.assert(
        fc.property(script, options, ({ deltas, fails }, config) => {
          const error = new Error('stream broke');
          const chunks: string[] = [];
          let ended: 'complete' | 'error' | undefined;
          testScheduler().run(() => {
            const source = concat(
              from(deltas).pipe(concatMap(([text, gap]) => timer(gap).pipe(map(() => text)))),
              fails ? throwError(() => error) : of(),
            );
            source.pipe(bufferTokens(config)).subscribe({
              next: (chunk) => chunks.push(chunk),
              error: (e: unknown) => (ended = e === error ? 'error' : undefined),
              complete: () => (ended = 'complete'),
            });
          });
          expect(ended).toBe(fails ? 'error' : 'complete');
          expect(chunks.join('')).toBe(deltas.map(([text]) => text).join(''));
          expect(chunks).not.toContain('');
        }),
      );
    });

    it("ends every chunk but the last on exactly `count` line breaks with by: 'line'", () => {
      fc.assert(
        fc.property(fc.array(delta, { maxLength: 30 }), fc.integer({ min: 1, max: 3 }), (deltas, count) => {
          const chunks = chunksOf(deltas, { by: 'line', count });
          for (const chunk of chunks.slice(0, -1)) {
            expect(chunk.endsWith('\n')).toBe(true);
            expect(chunk.split('\n').length - 1).toBe(count);
          }
        }),
      );
    });
  });
});

/** A scheduler that delegates to `inner` and keeps the subscription of every action it schedules. */
function recordingScheduler(inner: SchedulerLike): SchedulerLike & { scheduled: Subscription[] } {
  const scheduled: Subscription[] = [];
  return {
    scheduled,
    now: () => inner.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      const subscription = inner.schedule(work, delay, state);
      scheduled.push(subscription);
      return subscription;
    },
  };
}

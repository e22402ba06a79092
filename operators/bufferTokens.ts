import { asyncScheduler, Observable, takeUntil } from 'rxjs';
import type { OperatorFunction, SchedulerLike, Subscriber, Subscription } from 'rxjs';
import { InvalidArgumentError } from '../src/errors.js';
import { boundaryFinder, UnitChunker } from './internal/textBoundaries.js';
import type { BoundaryFinder } from './internal/textBoundaries.js';

/** How {@link bufferTokens} chunks text: by count, by time, on word/sentence/line boundaries. */
export interface BufferTokensOptions {
  /**
   * Emit a chunk once it holds this many deltas; with `by`, this many words, sentences or lines
   * (default 1). An integer of 1 or more.
   */
  readonly count?: number;
  /**
   * Emit everything held this many milliseconds after the first delta of a chunk arrived, even in
   * the middle of a word: a latency cap. A number of 0 or more; 0 means the scheduler's next tick,
   * which with `animationFrameScheduler` is the next frame (one DOM write per paint).
   */
  readonly timeSpan?: number;
  /** The scheduler for `timeSpan`'s timers (default `asyncScheduler`); a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
  /**
   * End every chunk on a boundary: `'word'` and `'sentence'` as `Intl.Segmenter` finds them (so
   * Chinese and Japanese chunk correctly too), `'line'` after each `'\n'`.
   */
  readonly by?: 'word' | 'sentence' | 'line';
}

/**
 * Joins text deltas into larger chunks: of `count` deltas, every `timeSpan` milliseconds, or
 * ending on word, sentence or line boundaries.
 *
 * <span class="informal">Like `bufferCount` and `bufferTime` followed by `join('')`, for a
 * stream of text that should reach a UI, a socket or a speech engine in fewer, whole pieces.</span>
 *
 * ```
 * source: -a-b-c-d-e-|        bufferTokens(2)
 * result: ---x---y---(z|)     x = a+b   y = c+d   z = e
 *
 * source: -a-b-------c-|      bufferTokens({ timeSpan: 4 })
 * result: -----x-------(y|)   x = a+b   y = c
 *
 * source: -a-b-c-|            bufferTokens({ by: 'word' })
 * result: ---x-y-(z|)         a = 'Hel'      b = 'lo wor'    c = 'ld, how'
 *                             x = 'Hello '   y = 'world, '   z = 'how'
 * ```
 *
 * - **count**: a chunk is emitted as soon as it holds `count` deltas. Empty deltas are ignored:
 *   they are not counted and never start a timer, so no chunk is ever `''`.
 * - **timeSpan**: the timer of a chunk starts when its first delta arrives while nothing is held
 *   (not at subscription, and no timer runs while nothing is held); when it fires, everything held
 *   is emitted. A chunk emitted earlier (by `count` or a boundary) that leaves nothing held cancels
 *   it; one that leaves text held keeps it running. So no text is held longer than `timeSpan` ms.
 * - **by**: a chunk ends on a boundary, the spaces and punctuation after a word or sentence
 *   staying with it (`'Hello '`, `'world, '`); text before the first word joins that word. Text
 *   after the last boundary is held until more text proves the boundary: a word is complete once
 *   the next word starts, a sentence once a letter of the next sentence arrives, a line at its
 *   `'\n'`. Between two words with nothing in between (Chinese, Japanese), three more characters
 *   must follow, because the dictionary segmentation can still merge them until then. With `by`,
 *   `count` counts words, sentences or lines (default 1); `timeSpan` caps the latency, emitting
 *   what is held even mid-word. Boundaries follow the default locale's `Intl.Segmenter`; for
 *   Thai, Lao and Khmer a chunk may occasionally end inside a word. Each delta rescans at most
 *   the 256 characters before it, so a long line, sentence or word costs no more per delta than
 *   a short one; a boundary still unproven that far back is skipped (the chunk just runs on).
 * - On completion the rest is emitted (split on its boundaries with `by`, now that no more text
 *   can follow), then the completion; on error the rest is emitted first, then the error.
 *   Unsubscribing cancels the timer. Nothing is ever lost, duplicated or reordered.
 *
 * Options are checked when the operator is created: a `count` that is not an integer of 1 or
 * more, a `timeSpan` that is not a finite number of 0 or more, an unknown `by`, a `scheduler`
 * without `schedule`, or none of `count`, `timeSpan` and `by` (argument `'options'`), throws an
 * `InvalidArgumentError` naming the field.
 *
 * ## Example
 *
 * Print the answer a word at a time, but never wait more than 100 ms:
 *
 * ```ts
 * import { runStreamed } from 'rxjs-agents';
 * import { bufferTokens, filterTextDeltas } from 'rxjs-agents/operators';
 *
 * runStreamed(agent, 'Tell me a story.')
 *   .pipe(filterTextDeltas(), bufferTokens({ by: 'word', timeSpan: 100 }))
 *   .subscribe((chunk) => process.stdout.write(chunk));
 * ```
 *
 * @see {@link filterTextDeltas}
 * @see {@link https://rxjs.dev/api/operators/bufferCount | bufferCount}
 * @see {@link https://rxjs.dev/api/operators/bufferTime | bufferTime}
 *
 * @param countOrOptions The number of deltas per chunk, or {@link BufferTokensOptions}.
 * @returns A function that returns an Observable of the joined chunks, none of them empty.
 * @throws {InvalidArgumentError} When an option is invalid, at the call (not at subscription).
 */
export function bufferTokens(countOrOptions: number | BufferTokensOptions): OperatorFunction<string, string> {
  const { count, timeSpan, scheduler, finder } = resolveOptions(countOrOptions);

  return (source) =>
    new Observable<string>((subscriber) => {
      /** Text received and not yet emitted (without `by`). */
      let held = '';
      /** The deltas in `held`. */
      let deltas = 0;
      /** Text received and not yet emitted (with `by`). */
      const units = finder === undefined ? undefined : new UnitChunker(finder, count);
      let timer: Subscription | null = null;

      const stopTimer = (): void => {
        if (timer !== null) {
          timer.unsubscribe();
          timer = null;
        }
      };
      const startTimer = (): void => {
        if (timeSpan !== undefined && timer === null) timer = scheduler.schedule(onTimer, timeSpan);
      };
      const onTimer = (): void => {
        timer = null;
        const chunk = units === undefined ? takeHeld() : units.takeAll();
        if (chunk !== '') subscriber.next(chunk);
      };
      const takeHeld = (): string => {
        const chunk = held;
        held = '';
        deltas = 0;
        return chunk;
      };

      const next =
        units === undefined
          ? (delta: string): void => {
              if (delta === '') return;
              held += delta;
              if (++deltas === count) {
                stopTimer();
                subscriber.next(takeHeld());
              } else if (deltas === 1) {
                startTimer();
              }
            }
          : (delta: string): void => {
              if (delta === '') return;
              const chunks = units.push(delta);
              if (units.isEmpty) stopTimer();
              else startTimer();
              for (const chunk of chunks) subscriber.next(chunk);
            };

      /** Emits everything held, as chunks that end on boundaries where `by` is set. */
      const flush = (): void => {
        stopTimer();
        if (units !== undefined) {
          for (const chunk of units.flush()) subscriber.next(chunk);
        } else if (held !== '') {
          subscriber.next(takeHeld());
        }
      };

      const subscription = source.pipe(takeUntil(finalized(subscriber))).subscribe({
        next,
        error: (error: unknown) => {
          if (subscriber.closed) return;
          flush();
          subscriber.error(error);
        },
        complete: () => {
          if (subscriber.closed) return;
          flush();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        stopTimer();
      };
    });
}

/**
 * Emits when `subscriber` is finalized. Piping the source through `takeUntil` of it lets an
 * unsubscription that happens while a synchronous source is still emitting reach that source,
 * which a plain `source.subscribe()` inside `new Observable` cannot: its subscription is returned
 * only after the synchronous emissions are over.
 */
function finalized(subscriber: Subscriber<unknown>): Observable<void> {
  return new Observable<void>((notifier) => {
    subscriber.add(() => notifier.next());
  });
}

interface ResolvedOptions {
  /** Deltas per chunk, or units per chunk with `by`; `Infinity` when only `timeSpan` limits it. */
  readonly count: number;
  readonly timeSpan: number | undefined;
  readonly scheduler: SchedulerLike;
  readonly finder: BoundaryFinder | undefined;
}

const textUnits: readonly unknown[] = ['word', 'sentence', 'line'];

function resolveOptions(countOrOptions: number | BufferTokensOptions): ResolvedOptions {
  const options: BufferTokensOptions = typeof countOrOptions === 'number' ? { count: countOrOptions } : countOrOptions;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      argument: 'options',
      message: `must be a count or an options object; got ${describe(countOrOptions)}.`,
    });
  }
  const { count, timeSpan, scheduler = asyncScheduler, by } = options;
  if (count !== undefined && !(Number.isInteger(count) && count >= 1)) {
    throw new InvalidArgumentError({
      argument: 'count',
      message: `must be an integer of 1 or more; got ${describe(count)}.`,
    });
  }
  if (timeSpan !== undefined && !(typeof timeSpan === 'number' && timeSpan >= 0 && timeSpan < Infinity)) {
    throw new InvalidArgumentError({
      argument: 'timeSpan',
      message: `must be a finite number of milliseconds, 0 or more; got ${describe(timeSpan)}.`,
    });
  }
  if (by !== undefined && !textUnits.includes(by)) {
    throw new InvalidArgumentError({
      argument: 'by',
      message: `must be 'word', 'sentence' or 'line'; got ${describe(by)}.`,
    });
  }
  if (count === undefined && timeSpan === undefined && by === undefined) {
    throw new InvalidArgumentError({
      argument: 'options',
      message: 'must set at least one of `count`, `timeSpan` and `by`.',
    });
  }
  if (typeof (scheduler as Partial<SchedulerLike> | null)?.schedule !== 'function') {
    throw new InvalidArgumentError({ argument: 'scheduler', message: 'must be an RxJS scheduler.' });
  }
  return {
    count: count ?? (by === undefined ? Infinity : 1),
    timeSpan,
    scheduler,
    finder: by === undefined ? undefined : boundaryFinder(by),
  };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

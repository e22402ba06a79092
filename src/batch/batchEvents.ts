import { asyncScheduler, Observable, Subscription } from 'rxjs';
import type { RunPartial } from '../errors.js';
import type { RunEvent } from '../events.js';
import { eventError } from '../runner/eventError.js';
import { emptyUsage } from '../usage.js';
import { BatchProgress } from './batchProgress.js';
import type { BatchEvent, BatchItem, BatchItemError, BatchItems, BatchOptions } from './batchTypes.js';
import { isJobRecord, jsonLinesCheckpoint, type BatchCheckpoint, type BatchRecord } from './checkpoint.js';
import { itemReader, notYet, type ReadItem } from './itemReader.js';
import type { Model } from '../model.js';
import type { ModelCallGate } from '../runner/runContext.js';
import { roundsKey, type RoundsEngine } from './engine/engineRounds.js';
import { RateLimiter } from './rateLimiter.js';

/**
 * How an item's runs make their model calls: through the rate limits' `gate`, or, with the Batch
 * API engine, through the models `modelOf` gives in place of the agents' own.
 */
export type ItemCalls =
  | { readonly gate: ModelCallGate; readonly modelOf?: undefined }
  | { readonly gate?: undefined; readonly modelOf: (model: Model) => Model };

/** Runs one item: its run's events, with its model calls made as `calls` says. May throw for a bad input. */
export type ItemRunner<TOutput, TContext> = (
  item: BatchItem<TContext>,
  calls: ItemCalls,
) => Observable<RunEvent<TOutput>>;

/**
 * A batch as a cold Observable: items taken from `items` as runs can start (at most `concurrency`
 * at once), each run's end an `item-completed` or `item-failed` event (in completion order, after
 * the checkpoint has saved it), `batch-progress` at most every `progressIntervalMs` when there is
 * news and once at the end, and `batch-completed` last. Unsubscribing unsubscribes every run in
 * flight (their requests aborted) and takes no more items.
 *
 * Internal to `src/batch/`; `Runner.runBatch` gives it the item runner.
 */
export function batchEvents<TOutput, TContext>(
  items: BatchItems<TContext>,
  options: BatchOptions<TContext>,
  runItem: ItemRunner<TOutput, TContext>,
): Observable<BatchEvent<TOutput>> {
  return new Observable<BatchEvent<TOutput>>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const { engine } = options;
    // A round of the Batch API holds every item that can start, unless told otherwise.
    const concurrency = options.concurrency ?? (engine ? Number.POSITIVE_INFINITY : 8);
    const maxRetries = options.maxRetries ?? 3;
    const interval = options.progressIntervalMs ?? 1000;
    const reader = itemReader(items, () => pump());
    const runs = new Subscription();
    // The items' runs in flight: a Set, so that each run's end removes it at once (a
    // Subscription's `remove` searches an array of up to `concurrency` of them, per item).
    const itemRuns = new Set<Subscription>();
    runs.add(() => {
      for (const run of itemRuns) run.unsubscribe();
      itemRuns.clear();
    });
    // News is sent at most every `interval`, by a timer set when something changes: an idle batch
    // holds no timer (and a virtual-time scheduler's flush() ends).
    let lastReport = scheduler.now();
    let tick: Subscription | undefined;
    const report = (): void => {
      if (tick) {
        runs.remove(tick);
        tick.unsubscribe();
        tick = undefined;
      }
      lastReport = scheduler.now();
      subscriber.next(progress.event(lastReport));
    };
    const changed = (): void => {
      if (tick || subscriber.closed) return;
      tick = scheduler.schedule(report, Math.max(0, lastReport + interval - scheduler.now()));
      runs.add(tick);
    };
    const progress = new BatchProgress(reader.total, scheduler.now(), changed);
    const limiter = new RateLimiter({
      requestsPerMinute: options.requestsPerMinute,
      tokensPerMinute: options.tokensPerMinute,
      scheduler,
      onRequest: (now) => progress.request(now),
      onTokens: (tokens, now) => progress.tokens(tokens, now),
    });
    const checkpoint: BatchCheckpoint | undefined =
      typeof options.checkpoint === 'string' ? jsonLinesCheckpoint(options.checkpoint) : options.checkpoint;
    const rounds = engine
      ? (engine as unknown as RoundsEngine)[roundsKey]({
          scheduler,
          inFlight: () => progress.inFlight,
          canGrow: () => !sourceEnded && (pulling || progress.inFlight < concurrency),
          checkpoint,
          jobsChanged: (jobs) => progress.jobs(jobs),
          answered: (tokens) => {
            const now = scheduler.now();
            progress.request(now);
            progress.tokens(tokens, now);
          },
          fail: (error) => fail(error),
        })
      : undefined;
    let saved: Set<string> | undefined;
    let sourceEnded = false;
    let pulling = false;
    let pumping = false;
    const fail = (error: unknown): void => subscriber.error(error);

    /** Emits an item's end once the checkpoint has it, then starts what may start. */
    const settle = (record: BatchRecord, event: BatchEvent<TOutput>): void => {
      const emit = (): void => {
        if (subscriber.closed) return;
        progress.finished(record.status, record.usage);
        subscriber.next(event);
        pump();
      };
      let saving: Promise<void> | void;
      try {
        saving = checkpoint?.append(record);
      } catch (error) {
        fail(error);
        return;
      }
      if (saving && typeof saving.then === 'function') saving.then(emit, fail);
      else emit();
    };
    const failed = (id: string, error: unknown): void => {
      const partial = partialOf(error);
      const plain = plainError(error);
      const usage = partial?.usage ?? emptyUsage;
      settle(
        { id, status: 'failed', error: plain, usage },
        { type: 'item-failed', id, error: plain, ...(partial ? { partial } : {}) },
      );
    };

    const start = (item: BatchItem<TContext>): void => {
      progress.started();
      let events: Observable<RunEvent<TOutput>>;
      try {
        events = runItem(item, rounds ? { modelOf: rounds.modelsOf(item.id) } : { gate: limiter.gate(maxRetries) });
      } catch (error) {
        failed(item.id, error);
        return;
      }
      let end: RunEvent<TOutput> | undefined;
      // A run may end while it is being subscribed (a synchronous model): then it is not kept.
      // eslint-disable-next-line prefer-const -- its callbacks may run before it is assigned.
      let run: Subscription | undefined;
      let settled = false;
      const ended = (): void => {
        settled = true;
        if (run) itemRuns.delete(run);
      };
      run = events.subscribe({
        next: (event) => {
          if (event.parentCallId === undefined && (event.type === 'final-output' || event.type === 'run-interrupted')) {
            end = event;
          }
        },
        error: (error: unknown) => {
          ended();
          failed(item.id, error);
        },
        complete: () => {
          ended();
          if (end?.type === 'final-output') {
            const { output, usage } = end;
            settle(
              { id: item.id, status: 'completed', finalOutput: output, usage },
              { type: 'item-completed', id: item.id, finalOutput: output, usage },
            );
          } else {
            failed(item.id, interruptedError(end?.type === 'run-interrupted' ? end.reason : undefined));
          }
        },
      });
      // A run started after the batch was unsubscribed (an item read late) ends at once.
      if (!settled) {
        if (runs.closed) run.unsubscribe();
        else itemRuns.add(run);
      }
    };

    const take = (read: ReadItem<TContext> | undefined): void => {
      if (read === undefined) sourceEnded = true;
      else if ('invalid' in read) {
        // A bad item's failure is saved too: started again, the batch must not record it twice.
        if (saved?.has(read.id)) return progress.skip();
        progress.started();
        failed(read.id, read.invalid);
      } else if (saved?.has(read.item.id)) progress.skip();
      else start(read.item);
    };

    // Re-entered by runs that end synchronously: the loop goes on instead of the stack growing.
    const pump = (): void => {
      if (pumping) return;
      pumping = true;
      try {
        while (!subscriber.closed && !sourceEnded && !pulling && progress.inFlight < concurrency) {
          const next = reader.next();
          if (next === notYet) break;
          if (next instanceof Promise) {
            pulling = true;
            next.then((read) => {
              pulling = false;
              take(read);
              pump();
            }, fail);
          } else take(next);
        }
      } catch (error) {
        fail(error);
      } finally {
        pumping = false;
      }
      // With the Batch API, the calls the runs now wait for may make a round.
      rounds?.check();
      if (sourceEnded && !pulling && progress.inFlight === 0 && !subscriber.closed) {
        report();
        subscriber.next(progress.completedEvent());
        subscriber.complete();
      }
    };

    if (checkpoint) {
      Promise.resolve()
        .then(() => checkpoint.read())
        .then(async (records) => {
          saved = new Set(records.flatMap((record) => (isJobRecord(record) ? [] : [record.id])));
          await rounds?.resume(records);
          pump();
        })
        .catch(fail);
    } else pump();

    return () => {
      runs.unsubscribe();
      reader.close();
      limiter.close();
      rounds?.close();
    };
  });
}

/**
 * An error as an `item-failed` event carries it: plain data — the name and message a run event
 * gives an error ({@link eventError}, which never throws), and a provider error's `code` and
 * `status`.
 */
function plainError(error: unknown): BatchItemError {
  const { code, status } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    status?: unknown;
  };
  return {
    ...eventError(error),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof status === 'number' ? { status } : {}),
  };
}

function partialOf(error: unknown): RunPartial | undefined {
  const partial = typeof error === 'object' && error !== null ? (error as { partial?: unknown }).partial : undefined;
  return typeof partial === 'object' && partial !== null ? (partial as RunPartial) : undefined;
}

/** The error of an item whose run ended without a final output (interrupted for approval, or stopped). */
function interruptedError(reason: string | undefined): Error {
  const error = new Error(
    reason === 'approval'
      ? 'The run was interrupted: a tool call needs approval. Give runBatch() an approve option to decide on calls.'
      : `The run ended without a final output${reason === undefined ? '' : ` (${reason})`}.`,
  );
  error.name = 'RunInterrupted';
  return error;
}

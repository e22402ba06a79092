import { addUsage, emptyUsage, type Usage } from '../usage.js';
import type { BatchCompletedEvent, BatchJobProgress, BatchProgressEvent } from './batchTypes.js';

const minute = 60_000;

/**
 * A batch's counts, and the requests and tokens of the last minute, measured on the batch's
 * scheduler's clock.
 *
 * Internal to `src/batch/`.
 */
export class BatchProgress {
  completed = 0;
  failed = 0;
  skipped = 0;
  inFlight = 0;
  usage: Usage = emptyUsage;
  readonly #total: number | undefined;
  readonly #started: number;
  readonly #requests: number[] = [];
  readonly #tokens: { readonly at: number; readonly tokens: number }[] = [];
  readonly #changed: () => void;
  #jobs: readonly BatchJobProgress[] | undefined;

  /** `changed` is told of every change: the batch sends news no more often than it allows. */
  constructor(total: number | undefined, now: number, changed: () => void) {
    this.#total = total;
    this.#started = now;
    this.#changed = changed;
  }

  started(): void {
    this.inFlight += 1;
    this.#changed();
  }

  skip(): void {
    this.skipped += 1;
    this.#changed();
  }

  request(now: number): void {
    this.#requests.push(now);
    this.#changed();
  }

  tokens(tokens: number, now: number): void {
    this.#tokens.push({ at: now, tokens });
    this.#changed();
  }

  /** The Batch API engine's jobs, as they are now. */
  jobs(jobs: readonly BatchJobProgress[]): void {
    this.#jobs = jobs;
    this.#changed();
  }

  finished(outcome: 'completed' | 'failed', usage: Usage): void {
    this[outcome] += 1;
    this.inFlight -= 1;
    this.usage = addUsage(this.usage, usage);
    this.#changed();
  }

  event(now: number): BatchProgressEvent {
    this.#forget(now);
    // In the first minute, the pace so far; after it, the last minute's count.
    const window = Math.min(minute, Math.max(now - this.#started, 1));
    const perMinute = (count: number) => Math.round((count * minute) / window);
    return {
      type: 'batch-progress',
      ...(this.#total === undefined ? {} : { total: this.#total }),
      completed: this.completed,
      failed: this.failed,
      skipped: this.skipped,
      inFlight: this.inFlight,
      usage: this.usage,
      requestsPerMinute: perMinute(this.#requests.length),
      tokensPerMinute: perMinute(this.#tokens.reduce((sum, entry) => sum + entry.tokens, 0)),
      ...(this.#jobs === undefined ? {} : { jobs: this.#jobs }),
    };
  }

  completedEvent(): BatchCompletedEvent {
    return {
      type: 'batch-completed',
      completed: this.completed,
      failed: this.failed,
      skipped: this.skipped,
      usage: this.usage,
    };
  }

  #forget(now: number): void {
    while (this.#requests.length > 0 && (this.#requests[0] as number) <= now - minute) this.#requests.shift();
    while (this.#tokens.length > 0 && (this.#tokens[0] as { at: number }).at <= now - minute) this.#tokens.shift();
  }
}

import { asyncScheduler, Observable, Subscription, type SchedulerLike } from 'rxjs';
import { ModelTimeoutError } from '../errors.js';
import type { EventError } from '../events.js';
import type { ModelEvent } from '../model.js';
import { eventError } from './eventError.js';
import { idleTimeout } from './idleTimeout.js';
import type { RetryPolicy } from './runOptions.js';

/**
 * A model call made safe to repeat: retries with backoff, and an idle timeout per attempt.
 *
 * Internal to the runner (and the `runSync()` worker, which applies the same policy there).
 */

/** A failed attempt that had streamed text is being made again: the turn's text starts over. */
export interface TurnRestart {
  readonly type: 'restart';
  /** The number of the attempt that follows (2 for the first retry). */
  readonly attempt: number;
  readonly reason: EventError;
}

/** What a guarded model call emits: the model's events, and a restart marker before a retry that follows output. */
export type ModelCallEvent = ModelEvent | TurnRestart;

/** How a run guards each model call, as plain data (it crosses to the `runSync()` worker). */
export interface ModelCallPolicy {
  readonly idleTimeoutMs?: number | undefined;
  readonly retry?: RetryPolicy | undefined;
}

/** Where the guard's timers run, and where the jitter comes from. */
export interface GuardTools {
  readonly scheduler?: SchedulerLike;
  /** A number in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/**
 * Whether another try may succeed: a `ModelTimeoutError`, or any error with `retryable: true`
 * (every `ModelProviderError` says; a custom model may say so too).
 */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof ModelTimeoutError ||
    (typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true)
  );
}

/** The `Retry-After` an error carries, in ms. */
function retryAfterOf(error: unknown): number | undefined {
  const value =
    typeof error === 'object' && error !== null ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The wait before retry `retry` (1-based): a random time between half of and all of
 * `min(maxDelayMs, initialDelayMs * 2 ** (retry - 1))`, and at least `retryAfterMs`; `undefined`
 * when `retryAfterMs` is more than `maxDelayMs` (the provider asks for a longer wait than allowed).
 */
export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  random: () => number,
  retryAfterMs?: number,
): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
  const jittered = ceiling / 2 + (ceiling / 2) * random();
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Makes the model call `call()` and, when it fails, makes it again as `policy` allows.
 *
 * <span class="informal">`retry({ delay })` that knows what may be replayed: an attempt that
 * streamed no text is retried silently; one that did is retried only with `afterOutput`, after a
 * `restart` marker.</span>
 *
 * ```text
 * attempt 1:   -r-#                 r raw, # retryable error (no text yet)
 * attempt 2:          -r-t-#        t text-delta
 * attempt 3:                  -r-t-R|   R response
 * result:      -r-------r-t-x--r-t-R|   x restart { attempt: 3 } (with afterOutput)
 * ```
 *
 * An attempt's error ends the stream when retries are off or spent, when it is not retryable
 * ({@link isRetryable}), when it followed a `text-delta` without `afterOutput`, or when its
 * `Retry-After` is beyond `maxDelayMs`. The backoff ({@link backoffDelay}) runs on `scheduler`;
 * unsubscribing cancels the attempt in flight or the backoff timer.
 *
 * @param call Makes one attempt: a cold Observable of the model's events.
 * @param policy The retry policy; `undefined` makes exactly one attempt.
 * @returns The events of every attempt, in order, with a `restart` marker before each retry
 * that follows text.
 */
export function retryModelCall(
  call: () => Observable<ModelEvent>,
  policy: RetryPolicy | undefined,
  tools: GuardTools = {},
): Observable<ModelCallEvent> {
  if (policy === undefined) return call();
  const { scheduler = asyncScheduler, random = Math.random } = tools;
  return new Observable<ModelCallEvent>((subscriber) => {
    const attempts = new Subscription();
    let attempt = 0;

    const start = (): void => {
      attempt += 1;
      let output = false;
      attempts.add(
        call().subscribe({
          next: (event) => {
            // `?.`: a custom model's event that is not an object goes on, for the turn to reject.
            if (event?.type === 'text-delta') output = true;
            subscriber.next(event);
          },
          error: (error: unknown) => {
            // Reading a custom model's error (its `retryable`, `message`) may throw: the error
            // then ends the call as it is, rather than as an unhandled one.
            try {
              const retry = attempt; // the number of the retry that would follow
              const delay =
                retry <= policy.maxRetries && isRetryable(error) && (!output || policy.afterOutput)
                  ? backoffDelay(policy, retry, random, retryAfterOf(error))
                  : undefined;
              if (delay === undefined || subscriber.closed) {
                subscriber.error(error);
                return;
              }
              if (output) subscriber.next({ type: 'restart', attempt: attempt + 1, reason: eventError(error) });
              attempts.add(scheduler.schedule(start, delay));
            } catch {
              subscriber.error(error);
            }
          },
          complete: () => subscriber.complete(),
        }),
      );
    };

    start();
    return attempts;
  });
}

/**
 * One model call under a run's policy: each attempt limited by `idleTimeoutMs`, failed attempts
 * retried by `retry`; `observe` is handed each attempt, its idle timeout included (so that a
 * tracer sees the attempt fail with `ModelTimeoutError`).
 */
export function guardModelCall(
  call: () => Observable<ModelEvent>,
  policy: ModelCallPolicy,
  tools: GuardTools = {},
  observe?: (attempt: Observable<ModelEvent>) => Observable<ModelEvent>,
): Observable<ModelCallEvent> {
  const { idleTimeoutMs } = policy;
  const timed = idleTimeoutMs === undefined ? call : () => call().pipe(idleTimeout(idleTimeoutMs, tools.scheduler));
  const attempt = observe ? () => observe(timed()) : timed;
  return retryModelCall(attempt, policy.retry, tools);
}

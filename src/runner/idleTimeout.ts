import { asyncScheduler, throwError, timeout, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { ModelTimeoutError } from '../errors.js';

/**
 * Fails a model call that goes quiet: when no event arrives for `timeoutMs` — after subscribing
 * (waiting for the first event, the `openai` SDK's own retries included) or after the last event —
 * the call is unsubscribed (which aborts its request and closes its socket), and the stream errors
 * with a {@link ModelTimeoutError}.
 *
 * <span class="informal">`timeout({ each })` with our error: every event, `raw` ones included,
 * proves the connection alive.</span>
 *
 * ```text
 * source:             -a-b---------c-|
 * idleTimeout(4):     -a-b----#           # ModelTimeoutError(4)
 * ```
 *
 * Internal to the runner: it applies the run's `idleTimeoutMs` to every model call.
 *
 * @param timeoutMs The longest wait for the next event, in ms; `undefined` means no limit.
 * @param scheduler Where the timer runs (default `asyncScheduler`; a `TestScheduler` in tests).
 * @returns An operator that mirrors the call, or fails it with `ModelTimeoutError`.
 */
export function idleTimeout<T>(
  timeoutMs: number | undefined,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  if (timeoutMs === undefined) return (source) => source;
  return timeout({ each: timeoutMs, scheduler, with: () => throwError(() => new ModelTimeoutError({ timeoutMs })) });
}

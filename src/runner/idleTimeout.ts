import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { nextPausable, pauseSource } from '../backpressure.js';
import { ModelTimeoutError } from '../errors.js';
import type { ModelEvent } from '../model.js';

/**
 * Fails a model call that goes quiet: when nothing arrives for `timeoutMs` — after subscribing
 * (waiting for the first event, the `openai` SDK's own retries included) or after the last thing
 * that arrived — the call is unsubscribed (which aborts its request and closes its socket), and
 * the stream errors with a {@link ModelTimeoutError}.
 *
 * <span class="informal">`timeout({ each })` with our error, where bytes count: every event,
 * `raw` ones included, and every `progress` event (bytes of an event still arriving, which the
 * OpenAI models emit per chunk read) proves the connection alive. `progress` events go no
 * further: they only feed the timer. While a consumer has paused the call (`pauseSource`), the
 * timer stops: a slow reader is not a silent server.</span>
 *
 * ```text
 * source:             -a-p-p-p--------c-|      p: progress (bytes of c arriving)
 * idleTimeout(4):     -a---------#             # ModelTimeoutError(4)
 * ```
 *
 * Internal to the runner: it applies the run's `idleTimeoutMs` to every model call.
 *
 * @param timeoutMs The longest wait for the next event or bytes, in ms; `undefined` means no limit.
 * @param scheduler Where the timer runs (default `asyncScheduler`; a `TestScheduler` in tests).
 * @returns An operator that mirrors the call without its `progress` events, or fails it with
 *   `ModelTimeoutError`.
 */
export function idleTimeout(
  timeoutMs: number | undefined,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<ModelEvent> {
  if (timeoutMs === undefined) return (source) => source;
  return (source) =>
    new Observable<ModelEvent>((subscriber) => {
      let timer: Subscription | undefined;
      const arm = (): void => {
        timer?.unsubscribe();
        timer = scheduler.schedule(() => subscriber.error(new ModelTimeoutError({ timeoutMs })), timeoutMs);
      };
      arm();
      const subscription = source.subscribe({
        next: (event) => {
          arm();
          if (event?.type === 'progress') return;
          // A consumer that asks to pause (backpressure) makes the call wait, not go quiet: the
          // timer stops until it is ready, and the wait is passed on to the model that delivers.
          const paused = nextPausable(subscriber, event);
          if (paused === undefined) return;
          timer?.unsubscribe();
          timer = undefined;
          pauseSource(paused);
          void paused.then(() => {
            if (!subscriber.closed && timer === undefined) arm();
          });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}

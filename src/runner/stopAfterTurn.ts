import { Observable, take, type MonoTypeOperatorFunction } from 'rxjs';
import type { LiveState } from './liveState.js';
import { withPartial } from './partial.js';
import type { TraceEnding } from './tracedRun.js';

/**
 * Watches the run's `stopAfterTurn` notifier for the run's lifetime: its first value asks the run
 * to stop before its next model call (the loop reads `stop.requested` between turns), so the turn
 * in flight — its model call and tools — finishes and is kept. It is subscribed before the run, so
 * a notifier that has emitted already (a `BehaviorSubject`'s value) stops it before its first
 * model call. An error of the notifier fails the run with it, with the run's `partial` (told to the
 * run's trace first, when it has one).
 */
export function stopAfterTurn<T>(
  notifier: Observable<unknown>,
  stop: { requested: boolean },
  state: LiveState,
  ending: TraceEnding | undefined,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      subscriber.add(
        notifier.pipe(take(1)).subscribe({
          next: () => (stop.requested = true),
          error: (error: unknown) => {
            const failure = withPartial(error, state);
            ending?.end({ type: 'failed', error: failure });
            subscriber.error(failure);
          },
        }),
      );
      if (!subscriber.closed) subscriber.add(source.subscribe(subscriber));
    });
}

import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/**
 * A scheduler that waits by blocking the thread: `schedule(work, delay)` sleeps `delay` ms, runs
 * `work` at once and returns. `runSync()` waits out a retry backoff with it, since it must finish
 * the run before it returns.
 *
 * The sleep is `Atomics.wait`, which Node allows on any thread; where blocking is not allowed (a
 * browser's main thread) the work runs without the wait.
 *
 * Internal to the runner.
 */
export const blockingScheduler: SchedulerLike = {
  now: () => Date.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay = 0, state?: T): Subscription {
    const action = new Subscription() as SchedulerAction<T>;
    action.schedule = (next?: T, nextDelay = 0) => blockingScheduler.schedule(work, nextDelay, next as T);
    sleep(delay);
    if (!action.closed) work.call(action, state as T);
    return action;
  },
};

function sleep(ms: number): void {
  if (!(ms > 0)) return;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  } catch {
    // Blocking is not allowed here: go on at once.
  }
}

import type { Observable, SchedulerLike } from 'rxjs';
import type { Model, ModelRequest } from '../model.js';
import { blockingScheduler } from './blockingScheduler.js';
import { guardModelCall, type ModelCallEvent, type ModelCallPolicy } from './retryModelCall.js';
import { bridgedModelCall } from './syncBridge.js';

/** Makes one model call of a run, under the run's policy. */
export type ModelCaller = (model: Model, request: ModelRequest) => Observable<ModelCallEvent>;

/**
 * How a run makes its model calls.
 *
 * - `run()` / `runStreamed()`: `model.stream(request)`, each attempt limited by `idleTimeoutMs`,
 *   failed attempts retried, all timers on `scheduler`.
 * - `runSync()`: an OpenAI model's call is made on the worker thread, policy and all (its timers
 *   run there). Any other model must answer synchronously, so no idle timeout applies to it (it
 *   cannot go quiet without blocking the thread); its retries wait by blocking the thread.
 *
 * Internal to the runner.
 */
export function modelCaller(policy: ModelCallPolicy, sync: boolean, scheduler: SchedulerLike | undefined): ModelCaller {
  if (!sync) {
    return (model, request) =>
      guardModelCall(() => model.stream(request), policy, scheduler === undefined ? {} : { scheduler });
  }
  return (model, request) =>
    bridgedModelCall(model, request, policy) ??
    guardModelCall(() => model.stream(request), { retry: policy.retry }, { scheduler: blockingScheduler });
}

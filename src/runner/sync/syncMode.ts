import type { Observable } from 'rxjs';
import { SyncRunError } from '../../errors.js';
import type { ModelEvent } from '../../model.js';
import type { RunMode } from '../runContext.js';
import { guardModelCall, type ModelCallPolicy } from '../retryModelCall.js';
import { decisionOf, isPromiseLike, toolResultOf } from '../toolResult.js';
import { blockingScheduler } from './blockingScheduler.js';
import { bridgedModelCall } from './syncBridge.js';

/**
 * How `runSync()` carries out a run, on the calling thread, which it must not give back before the
 * run ends:
 *
 * - an OpenAI model's call is made on a worker thread, policy and all (its timers run there),
 *   while this thread blocks ({@link bridgedModelCall});
 * - any other model must answer synchronously, so no idle timeout applies to it (it cannot go
 *   quiet without blocking the thread); its retries wait by blocking the thread;
 * - tools must answer synchronously (a Promise fails the run with `SyncRunError`, its tool's
 *   signal is aborted and its rejection handled; an `async function` is refused before the first
 *   model call, by `refuseAsyncTools`), and their
 *   `timeoutMs` is not applied: nothing could interrupt a synchronous tool;
 * - decisions (`needsApproval`, `approve`) and guardrails' checks must be synchronous too.
 */
export function syncMode(policy: ModelCallPolicy): RunMode {
  return {
    callModel: (model, request, observe) => {
      const bridged = bridgedModelCall(model, request, policy);
      if (bridged === undefined) {
        return guardModelCall(
          () => model.stream(request),
          { retry: policy.retry },
          { scheduler: blockingScheduler },
          observe,
        );
      }
      // The worker makes the attempts, retries and all: here the call is one attempt, whose
      // `restart` markers an observer passes on as events it does not know.
      return observe ? observe(bridged as Observable<ModelEvent>) : bridged;
    },
    toolScheduler: undefined,
    toolResult: (result, toolName) =>
      toolResultOf(
        refusePromise(
          result,
          `Tool '${toolName}' returned a Promise, but runSync() needs synchronous tools. Use run() for asynchronous tools. ` +
            `The tool's signal was aborted, and whatever its Promise settles to is ignored.`,
        ),
      ),
    decision: (decision, source) =>
      decisionOf(
        refusePromise(
          decision,
          `${source} returned a Promise, but runSync() needs a synchronous answer (a boolean, or an Observable that emits at once). Use run() to decide asynchronously.`,
        ),
      ),
    answer: (answer, source) =>
      toolResultOf(
        refusePromise(
          answer,
          `${source} returned a Promise, but runSync() needs a synchronous answer (a value, or an Observable that completes at once). Use run() to check asynchronously.`,
        ),
      ),
  };
}

/**
 * `value` as it is, unless it is a Promise: then the run fails now with a `SyncRunError` saying
 * `message`. The Promise is left to settle on its own: whatever it settles to is ignored, and a
 * rejection must not become the process's unhandled rejection (the error is what the user sees;
 * a tool's signal is aborted by its caller).
 */
function refusePromise(value: unknown, message: string): unknown {
  if (!isPromiseLike(value)) return value;
  value.then(undefined, () => undefined);
  throw new SyncRunError({ message });
}

import { SyncRunError } from '../../errors.js';
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
    callModel: (model, request) =>
      bridgedModelCall(model, request, policy) ??
      guardModelCall(() => model.stream(request), { retry: policy.retry }, { scheduler: blockingScheduler }),
    toolScheduler: undefined,
    toolResult: (result, toolName) => {
      if (isPromiseLike(result)) {
        // The run fails now; the Promise is left to settle on its own. Whatever it settles to is
        // ignored, and a rejection must not become the process's unhandled rejection: the
        // SyncRunError below is what the user sees. (The tool's signal is aborted by the caller.)
        result.then(undefined, () => undefined);
        throw new SyncRunError({
          message:
            `Tool '${toolName}' returned a Promise, but runSync() needs synchronous tools. Use run() for asynchronous tools. ` +
            `The tool's signal was aborted, and whatever its Promise settles to is ignored.`,
        });
      }
      return toolResultOf(result);
    },
    decision: (decision, source) => {
      if (isPromiseLike(decision)) {
        decision.then(undefined, () => undefined);
        throw new SyncRunError({
          message: `${source} returned a Promise, but runSync() needs a synchronous answer (a boolean, or an Observable that emits at once). Use run() to decide asynchronously.`,
        });
      }
      return decisionOf(decision);
    },
    answer: (answer, source) => {
      if (isPromiseLike(answer)) {
        answer.then(undefined, () => undefined);
        throw new SyncRunError({
          message: `${source} returned a Promise, but runSync() needs a synchronous answer (a value, or an Observable that completes at once). Use run() to check asynchronously.`,
        });
      }
      return toolResultOf(answer);
    },
  };
}

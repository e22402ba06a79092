import { SyncRunError } from '../../errors.js';
import type { RunMode } from '../runContext.js';
import { guardModelCall, type ModelCallPolicy } from '../retryModelCall.js';
import { isPromiseLike, toolResultOf } from '../toolResult.js';
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
 * - tools must answer synchronously (a Promise fails the run with `SyncRunError`), and their
 *   `timeoutMs` is not applied: nothing could interrupt a synchronous tool.
 */
export function syncMode(policy: ModelCallPolicy): RunMode {
  return {
    callModel: (model, request) =>
      bridgedModelCall(model, request, policy) ??
      guardModelCall(() => model.stream(request), { retry: policy.retry }, { scheduler: blockingScheduler }),
    toolScheduler: undefined,
    toolResult: (result, toolName) => {
      if (isPromiseLike(result)) {
        throw new SyncRunError({
          message: `Tool '${toolName}' returned a Promise, but runSync() needs synchronous tools. Use run() for asynchronous tools.`,
        });
      }
      return toolResultOf(result);
    },
  };
}

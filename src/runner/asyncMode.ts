import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { RunMode } from './runContext.js';
import { guardModelCall, type ModelCallPolicy } from './retryModelCall.js';
import { decisionOf, toolResultOf } from './toolResult.js';

/**
 * How `run()` and `runStreamed()` carry out a run: each model call is `model.stream(request)`,
 * each attempt limited by `idleTimeoutMs` and failed attempts retried, tools may answer
 * asynchronously and are timed by their `timeoutMs`; every timer runs on `scheduler` (default
 * `asyncScheduler`).
 */
export function asyncMode(policy: ModelCallPolicy, scheduler: SchedulerLike | undefined): RunMode {
  const tools = scheduler === undefined ? {} : { scheduler };
  return {
    callModel: (model, request, observe) => guardModelCall(() => model.stream(request), policy, tools, observe),
    toolScheduler: scheduler ?? asyncScheduler,
    toolResult: toolResultOf,
    decision: decisionOf,
    answer: toolResultOf,
  };
}

import { AgentsError } from '../errors.js';
import { describeThrown } from '../internal/describeThrown.js';
import type { LiveState } from './liveState.js';

/**
 * The error that ends a run, carrying what the run had produced (`partial`): nothing the user paid
 * for is lost.
 *
 * Our own errors are given the `partial` field (the first one set is kept: an error that crossed
 * a nested run keeps its own). An error of another library is not changed: it is wrapped in an
 * `AgentsError` whose `cause` it is, and which carries the `partial`.
 */
export function withPartial(error: unknown, state: LiveState): AgentsError {
  const ours = AgentsError.isInstance(error)
    ? error
    : new AgentsError({
        message: `The run failed: ${describeThrown(error)}`,
        cause: error,
      });
  ours.partial ??= state.partial();
  return ours;
}

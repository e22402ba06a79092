import type { EventError } from '../events.js';
import { describeThrown, thrownName } from '../internal/describeThrown.js';

/**
 * An error as an event carries it: plain data, its name and message, no stack and no cause.
 * Whatever was thrown (a null-prototype object, a value whose `toString` throws) is described
 * without throwing.
 */
export function eventError(error: unknown): EventError {
  return { name: thrownName(error), message: describeThrown(error) };
}

import type { EventError } from '../events.js';

/** An error as an event carries it: plain data, its name and message, no stack and no cause. */
export function eventError(error: unknown): EventError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

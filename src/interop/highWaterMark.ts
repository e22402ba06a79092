import { InvalidArgumentError } from '../errors.js';

/** How many values `toReadableStream()` and `toAsyncIterable()` hold before they pause the source. */
export const defaultHighWaterMark = 16;

/** The adapters' `highWaterMark`, checked where it is given: a whole number ≥ 1, or `Infinity`. */
export function checkHighWaterMark(value: unknown, argument: string): number {
  if (value === undefined) return defaultHighWaterMark;
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= 1)) return value;
  throw new InvalidArgumentError({
    argument,
    message: `expected a whole number of values of at least 1 (or Infinity, never to pause the source), got ${shown(value)}.`,
  });
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}

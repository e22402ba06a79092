import { InvalidArgumentError } from '../errors/runErrors.js';
import type { InputItem } from '../items.js';

// What every session checks the same way: its id, a `getItems` limit, a table's name.

/** `sessionId` as given: a non-empty string, or an `InvalidArgumentError` naming it. */
export function checkSessionId(sessionId: unknown): string {
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw new InvalidArgumentError({ argument: 'sessionId', message: 'must be a non-empty string.' });
  }
  return sessionId;
}

/**
 * A `getItems(limit)` limit: `undefined` (every item) or a positive integer. `0` is refused rather
 * than read as "none" or "all": a limit computed as `0` is a bug in the caller, and either reading
 * would hide it.
 */
export function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new InvalidArgumentError({
      argument: 'limit',
      message: `must be a positive integer or undefined (got ${typeof limit === 'number' ? String(limit) : typeof limit}).`,
    });
  }
  return limit;
}

/**
 * The pattern a table name must match: an SQL identifier that needs no quoting, short enough for
 * the index and sequence names derived from it to stay within Postgres's 63 characters.
 */
const tableNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/**
 * A table name as given, checked: it is put into SQL text (a name cannot be a query parameter), so
 * anything but a plain identifier is refused where it is given rather than quoted and hoped for.
 */
export function checkTableName(tableName: unknown): string {
  if (typeof tableName !== 'string' || !tableNamePattern.test(tableName)) {
    throw new InvalidArgumentError({
      argument: 'tableName',
      message: `must be a plain SQL identifier (letters, digits and _, not starting with a digit, at most 48 characters); got ${JSON.stringify(tableName)}.`,
    });
  }
  return tableName;
}

/**
 * `addItems`'s argument, checked to be an array of objects. Their shape is not checked further: a
 * session keeps whatever items a run gives it (a provider's own included) and gives them back.
 */
export function checkItems(items: unknown): readonly InputItem[] {
  if (!Array.isArray(items)) {
    throw new InvalidArgumentError({ argument: 'items', message: 'must be an array of items.' });
  }
  items.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InvalidArgumentError({ argument: `items[${index}]`, message: 'must be an item (an object).' });
    }
  });
  return items as readonly InputItem[];
}

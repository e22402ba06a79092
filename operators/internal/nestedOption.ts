import { InvalidArgumentError } from '../../src/errors.js';

/**
 * The options of the operators that read a run's text (`filterTextDeltas`, `accumulateText`):
 * whether the text of nested runs — agents called as tools, whose events carry `parentCallId` —
 * counts too.
 */
export interface NestedTextOptions {
  /**
   * Include the text of nested runs (default `false`: only the run's own text, what its answer is
   * made of). Nested text comes interleaved with the run's, in the order it streamed.
   */
  readonly nested?: boolean;
}

/**
 * Reads `{ nested }`, checked where the operator is made.
 *
 * @throws InvalidArgumentError naming the option that is wrong.
 */
export function nestedOption(options: NestedTextOptions | undefined, operator: string): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: `${operator}() takes an object { nested? }.` });
  }
  const { nested = false } = options;
  if (typeof nested !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'nested',
      message: `${operator}(): nested must be true or false; got ${JSON.stringify(nested)}.`,
    });
  }
  return nested;
}

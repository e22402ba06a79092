import { InvalidArgumentError } from '../errors.js';
import { checkRunOptions, type RunOptions } from '../runner/runOptions.js';
import type { BatchOptions } from './batchTypes.js';
import { isOpenAIBatchEngine } from './engine/engineRounds.js';

/** The options that are the batch's own; the rest are each item's run options. */
const batchKeys = [
  'concurrency',
  'requestsPerMinute',
  'tokensPerMinute',
  'maxRetries',
  'progressIntervalMs',
  'checkpoint',
  'engine',
] as const;

/** Options a batch's runs cannot take: each item is a conversation of its own. */
const refusedKeys = ['session', 'previousResponseId', 'conversationId', 'stopAfterTurn'] as const;

/**
 * Checks a batch's options where they are given, naming the field that is wrong, and returns the
 * run options each item's run is given.
 *
 * @throws InvalidArgumentError for a bad option.
 */
export function checkBatchOptions<TContext>(options: BatchOptions<TContext> | undefined): RunOptions<TContext> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'batch options must be an object.' });
  }
  const given = options as Record<string, unknown>;
  for (const key of refusedKeys) {
    if (given[key] !== undefined) {
      throw new InvalidArgumentError({
        argument: `options.${key}`,
        message: `a batch's runs cannot share ${key}: each item is a conversation of its own.`,
      });
    }
  }
  whole(given.concurrency, 'concurrency', 1);
  whole(given.maxRetries, 'maxRetries', 0);
  positive(given.requestsPerMinute, 'requestsPerMinute');
  positive(given.tokensPerMinute, 'tokensPerMinute');
  positive(given.progressIntervalMs, 'progressIntervalMs');
  const { checkpoint } = given;
  if (
    checkpoint !== undefined &&
    !(typeof checkpoint === 'string' && checkpoint !== '') &&
    !(
      typeof checkpoint === 'object' &&
      checkpoint !== null &&
      typeof (checkpoint as Record<string, unknown>).read === 'function' &&
      typeof (checkpoint as Record<string, unknown>).append === 'function'
    )
  ) {
    throw new InvalidArgumentError({
      argument: 'options.checkpoint',
      message: 'checkpoint must be a file path, or an object with read() and append(record).',
    });
  }
  const { engine } = given;
  if (engine !== undefined) {
    if (!isOpenAIBatchEngine(engine)) {
      throw new InvalidArgumentError({
        argument: 'options.engine',
        message: 'engine must be made by openAIBatch(); leave it out to make the calls here.',
      });
    }
    for (const key of ['requestsPerMinute', 'tokensPerMinute'] as const) {
      if (given[key] !== undefined) {
        throw new InvalidArgumentError({
          argument: `options.${key}`,
          message: `${key} paces calls made here; the Batch API engine runs under the Batch API's own limits.`,
        });
      }
    }
  }
  const runOptions: Record<string, unknown> = { ...given };
  for (const key of batchKeys) delete runOptions[key];
  const checked: RunOptions<TContext> = runOptions;
  checkRunOptions(checked);
  return checked;
}

function whole(value: unknown, name: string, least: number): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < least)) {
    throw new InvalidArgumentError({
      argument: `options.${name}`,
      message: `${name} must be a whole number of at least ${least}; got ${JSON.stringify(value) ?? typeof value}.`,
    });
  }
}

function positive(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new InvalidArgumentError({
      argument: `options.${name}`,
      message: `${name} must be a number above 0; got ${JSON.stringify(value) ?? typeof value}.`,
    });
  }
}

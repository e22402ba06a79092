import { AgentsError, type AgentsErrorOptions } from './agentsError.js';

// The errors of a run's configuration and course: what was given, how the run ended.

const invalidArgumentMarker = 'rxjs-agents.error.InvalidArgumentError';
const invalidArgumentSymbol = Symbol.for(invalidArgumentMarker);

/** Bad agent, tool, run or operator configuration; thrown where it is given, naming the field. */
export class InvalidArgumentError extends AgentsError {
  private readonly [invalidArgumentSymbol] = true;
  /** The field or parameter that was wrong, for example `'name'` or `'tools[1]'`. */
  readonly argument: string;

  constructor({ argument, message, cause }: AgentsErrorOptions & { argument: string; message: string }) {
    super({ message: `Invalid argument \`${argument}\`: ${message}`, cause });
    this.argument = argument;
  }

  /** Whether `error` is an `InvalidArgumentError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return AgentsError.hasMarker(error, invalidArgumentMarker);
  }
}

const maxTurnsMarker = 'rxjs-agents.error.MaxTurnsExceededError';
const maxTurnsSymbol = Symbol.for(maxTurnsMarker);

/** The run needed more model calls than `maxTurns` allows. */
export class MaxTurnsExceededError extends AgentsError {
  private readonly [maxTurnsSymbol] = true;
  /** The run's `maxTurns`. */
  readonly maxTurns: number;

  constructor({ maxTurns, cause }: AgentsErrorOptions & { maxTurns: number }) {
    super({ message: `The run exceeded maxTurns (${maxTurns}) without a final output.`, cause });
    this.maxTurns = maxTurns;
  }

  /** Whether `error` is a `MaxTurnsExceededError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is MaxTurnsExceededError {
    return AgentsError.hasMarker(error, maxTurnsMarker);
  }
}

const noFinalOutputMarker = 'rxjs-agents.error.NoFinalOutputError';
const noFinalOutputSymbol = Symbol.for(noFinalOutputMarker);

/** A stream of run events completed without a `final-output` event. */
export class NoFinalOutputError extends AgentsError {
  private readonly [noFinalOutputSymbol] = true;

  constructor({
    message = 'The run completed without a final output.',
    cause,
  }: AgentsErrorOptions & { message?: string } = {}) {
    super({ message, cause });
  }

  /** Whether `error` is a `NoFinalOutputError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is NoFinalOutputError {
    return AgentsError.hasMarker(error, noFinalOutputMarker);
  }
}

const runAbortedMarker = 'rxjs-agents.error.RunAbortedError';
const runAbortedSymbol = Symbol.for(runAbortedMarker);

/** The run was aborted through its `signal`; `cause` is the signal's `reason`. */
export class RunAbortedError extends AgentsError {
  private readonly [runAbortedSymbol] = true;

  constructor({ cause }: AgentsErrorOptions = {}) {
    super({ message: 'The run was aborted.', cause });
  }

  /** Whether `error` is a `RunAbortedError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is RunAbortedError {
    return AgentsError.hasMarker(error, runAbortedMarker);
  }
}

const syncRunMarker = 'rxjs-agents.error.SyncRunError';
const syncRunSymbol = Symbol.for(syncRunMarker);

/** `runSync()` was asked for something that cannot block: a browser, or an asynchronous tool. */
export class SyncRunError extends AgentsError {
  private readonly [syncRunSymbol] = true;

  constructor({ message, cause }: AgentsErrorOptions & { message: string }) {
    super({ message, cause });
  }

  /** Whether `error` is a `SyncRunError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is SyncRunError {
    return AgentsError.hasMarker(error, syncRunMarker);
  }
}

const outputLimitMarker = 'rxjs-agents.error.OutputLimitExceededError';
const outputLimitSymbol = Symbol.for(outputLimitMarker);

/**
 * One model response streamed more text than the run's `maxOutputCharacters` allows: the call was
 * stopped (its request aborted, its socket closed) and the run failed. It guards against a server
 * that streams without end (a broken proxy, a self-hosted model in a loop), which would otherwise
 * grow the run's text until the process runs out of memory or strings. Not retryable; `partial`
 * holds the text streamed up to the limit.
 */
export class OutputLimitExceededError extends AgentsError {
  private readonly [outputLimitSymbol] = true;
  /** The run's `maxOutputCharacters`. */
  readonly maxOutputCharacters: number;

  constructor({ maxOutputCharacters, cause }: AgentsErrorOptions & { maxOutputCharacters: number }) {
    super({
      message: `The model streamed more than maxOutputCharacters (${maxOutputCharacters}) characters of text in one response; the call was stopped.`,
      cause,
    });
    this.maxOutputCharacters = maxOutputCharacters;
  }

  /** Whether `error` is an `OutputLimitExceededError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is OutputLimitExceededError {
    return AgentsError.hasMarker(error, outputLimitMarker);
  }
}

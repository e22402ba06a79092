import { InvalidArgumentError } from '../errors.js';
import type { ModelProvider, ModelSettings } from '../model.js';

/** What to do when a tool call fails (bad arguments, or the tool threw). */
export type ToolErrorPolicy =
  /** Send the error to the model as the call's output, so it can recover (the default). */
  | 'report'
  /** Fail the run with a `ToolCallError`. */
  | 'throw';

/** Options of one run. */
export interface RunOptions<TContext = unknown> {
  /** The most model calls the run may make (default: the runner's, 10). */
  readonly maxTurns?: number;
  /** Passed to tools (`context.context`) and to dynamic instructions. */
  readonly context?: TContext;
  /**
   * Aborting it ends the run: `run()` rejects and `runStreamed()` errors with `RunAbortedError`,
   * after the model call and running tools have been aborted.
   */
  readonly signal?: AbortSignal;
  /** Resolves model names for this run (default: the runner's). */
  readonly modelProvider?: ModelProvider;
  /** What a failing tool call does (default: the runner's, `'report'`). */
  readonly toolErrors?: ToolErrorPolicy;
}

/** Defaults a `Runner` holds for the runs it makes. */
export interface RunnerConfig {
  /** Resolves model names; default: OpenAI's Responses API through the official `openai` SDK. */
  readonly modelProvider?: ModelProvider;
  /** The model name for agents that name none (default `'gpt-4.1-mini'`). */
  readonly model?: string;
  /** Settings under every agent's own `modelSettings`. */
  readonly modelSettings?: ModelSettings;
  /** The most model calls a run may make (default 10). */
  readonly maxTurns?: number;
  /** What a failing tool call does (default `'report'`). */
  readonly toolErrors?: ToolErrorPolicy;
}

export function checkMaxTurns(maxTurns: unknown, argument: string): void {
  if (maxTurns !== undefined && (typeof maxTurns !== 'number' || !Number.isInteger(maxTurns) || maxTurns < 1)) {
    throw new InvalidArgumentError({ argument, message: `maxTurns must be a whole number of at least 1; got ${String(maxTurns)}.` });
  }
}

export function checkToolErrors(toolErrors: unknown, argument: string): void {
  if (toolErrors !== undefined && toolErrors !== 'report' && toolErrors !== 'throw') {
    throw new InvalidArgumentError({ argument, message: `toolErrors must be 'report' or 'throw'; got ${JSON.stringify(toolErrors)}.` });
  }
}

export function checkModelProvider(provider: unknown, argument: string): void {
  if (provider !== undefined && (typeof provider !== 'object' || provider === null || typeof (provider as { getModel?: unknown }).getModel !== 'function')) {
    throw new InvalidArgumentError({ argument, message: 'a model provider needs a getModel(name) method.' });
  }
}

/** Checks run options where they are given, naming the field that is wrong. */
export function checkRunOptions(options: RunOptions<unknown> | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'run options must be an object.' });
  }
  checkMaxTurns(options.maxTurns, 'options.maxTurns');
  checkToolErrors(options.toolErrors, 'options.toolErrors');
  checkModelProvider(options.modelProvider, 'options.modelProvider');
  const signal: unknown = options.signal;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof (signal as { aborted?: unknown }).aborted !== 'boolean')) {
    throw new InvalidArgumentError({ argument: 'options.signal', message: 'signal must be an AbortSignal.' });
  }
}

import type { RunItem } from './items.js';
import type { Usage } from './usage.js';

const brand = Symbol.for('rxjs-agents.error');

/** What a run had produced when it failed: nothing the user paid for is lost. */
export interface RunPartial {
  /** Every text delta of the run, across turns, joined. */
  readonly text: string;
  /** The items the run had produced (complete turns and tool outputs). */
  readonly newItems: readonly RunItem[];
  /** Usage summed over the model responses that completed. */
  readonly usage: Usage;
}

/** Options every rxjs-agents error takes. */
export interface AgentsErrorOptions {
  readonly cause?: unknown;
}

/**
 * The base of every error rxjs-agents throws.
 *
 * Use {@link AgentsError.isInstance} rather than `instanceof`: it recognises errors from another
 * copy of the package too (it checks a `Symbol.for` brand).
 */
export class AgentsError extends Error {
  private readonly [brand] = true;
  /** What the run had produced before this error ended it; set on errors that end a run. */
  partial?: RunPartial;

  constructor(message: string, options?: AgentsErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  /**
   * Whether `error` is an rxjs-agents error, from this or another copy of the package.
   *
   * @param error Anything caught.
   * @returns `true` for every `AgentsError`, whatever its subclass.
   */
  static isInstance(error: unknown): error is AgentsError {
    return typeof error === 'object' && error !== null && (error as { [brand]?: unknown })[brand] === true;
  }
}

/** Bad agent, tool, run or operator configuration; thrown where it is given, naming the field. */
export class InvalidArgumentError extends AgentsError {
  /** The field or parameter that was wrong, for example `'name'` or `'tools[1]'`. */
  readonly argument: string;

  constructor({ argument, message, cause }: { argument: string; message: string; cause?: unknown }) {
    super(`Invalid argument \`${argument}\`: ${message}`, { cause });
    this.argument = argument;
  }
}

/** The run needed more model calls than `maxTurns` allows. */
export class MaxTurnsExceededError extends AgentsError {
  readonly maxTurns: number;

  constructor(maxTurns: number) {
    super(`The run exceeded maxTurns (${maxTurns}) without a final output.`);
    this.maxTurns = maxTurns;
  }
}

/** The model did something the run cannot accept: invalid structured output, an unknown tool. */
export class ModelBehaviorError extends AgentsError {
  /** The zod issues, when structured output failed its schema. */
  readonly issues?: readonly unknown[];

  constructor(message: string, options?: AgentsErrorOptions & { issues?: readonly unknown[] }) {
    super(message, options);
    if (options?.issues) this.issues = options.issues;
  }
}

/** A tool call failed (bad arguments or a throwing tool) and the run was set to fail on it. */
export class ToolCallError extends AgentsError {
  readonly toolName: string;
  readonly callId: string;

  constructor(toolName: string, callId: string, message: string, options?: AgentsErrorOptions) {
    super(`Tool \`${toolName}\` (call ${callId}) failed: ${message}`, options);
    this.toolName = toolName;
    this.callId = callId;
  }
}

/**
 * A tool ran past its own `timeoutMs`: its `signal` was aborted with this error as the reason. It
 * is reported to the model as the call's output, or fails the run when `toolErrors` is `'throw'`.
 */
export class ToolTimeoutError extends ToolCallError {
  /** The tool's `timeoutMs`. */
  readonly timeoutMs: number;

  constructor(toolName: string, callId: string, timeoutMs: number) {
    super(toolName, callId, `it ran past its timeoutMs of ${timeoutMs} ms and was aborted.`);
    this.timeoutMs = timeoutMs;
  }
}

/** A stream of run events completed without a `final-output` event. */
export class NoFinalOutputError extends AgentsError {
  constructor(message = 'The run completed without a final output.') {
    super(message);
  }
}

/** The run was aborted through its `signal`. */
export class RunAbortedError extends AgentsError {
  constructor(options?: AgentsErrorOptions) {
    super('The run was aborted.', options);
  }
}

/**
 * The model provider's API failed: an HTTP error, an `error` event, a failed or incomplete
 * response. `cause` holds the SDK's own error where there is one.
 */
export class ModelProviderError extends AgentsError {
  /** The HTTP status, when the failure was an HTTP error. */
  readonly status?: number;
  /** The provider's error code, for example `'insufficient_quota'`. */
  readonly code?: string;
  /**
   * Whether making the same call again may succeed: a connection that failed or dropped, a stream
   * that broke off, a 408, 409, 429 or 5xx status, a provider `server_error`. Not for a request the
   * provider refused (400, 401, 403, 404), nor for an incomplete response. The run's `retry` option
   * retries only these.
   */
  readonly retryable: boolean;
  /** How long the provider asked to wait before the next try (`Retry-After`, `retry-after-ms`), when it did. */
  declare readonly retryAfterMs?: number;
  /**
   * Usage the provider reported for the failed response (an incomplete one, cut at
   * `max_output_tokens`): it was paid for, so the run's `partial.usage` includes it.
   */
  declare readonly usage?: Usage;

  constructor(
    message: string,
    options?: AgentsErrorOptions & {
      status?: number;
      code?: string;
      retryable?: boolean;
      retryAfterMs?: number;
      usage?: Usage;
    },
  ) {
    super(message, options);
    if (options?.status !== undefined) this.status = options.status;
    if (options?.code !== undefined) this.code = options.code;
    this.retryable = options?.retryable ?? (options?.status !== undefined && isRetryableStatus(options.status));
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options?.usage !== undefined) this.usage = options.usage;
  }
}

/** The statuses worth another try, as the `openai` SDK judges them: 408, 409, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * A model call sent nothing for longer than the run's `idleTimeoutMs` (waiting for the first
 * event included): it was aborted, and its connection closed. The run's `retry` option retries it.
 */
export class ModelTimeoutError extends AgentsError {
  /** The `idleTimeoutMs` that passed without an event. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: AgentsErrorOptions) {
    super(`The model sent nothing for ${timeoutMs} ms (idleTimeoutMs); the call was aborted.`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** `runSync()` was asked for something that cannot block: a browser, or an asynchronous tool. */
export class SyncRunError extends AgentsError {}

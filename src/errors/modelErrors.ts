import type { Usage } from '../usage.js';
import { AgentsError, type AgentsErrorOptions } from './agentsError.js';

// The errors of a model call: the provider failed, the model went quiet, misbehaved or refused.

const modelProviderMarker = 'rxjs-agents.error.ModelProviderError';
const modelProviderSymbol = Symbol.for(modelProviderMarker);

/**
 * The model provider's API failed: an HTTP error, an `error` event, a failed or incomplete
 * response. `cause` holds the SDK's own error where there is one.
 */
export class ModelProviderError extends AgentsError {
  private readonly [modelProviderSymbol] = true;
  /** The HTTP status, when the failure was an HTTP error. */
  readonly status?: number;
  /** The provider's error code, for example `'insufficient_quota'`. */
  readonly code?: string;
  /**
   * Whether making the same call again may succeed: a connection that failed or dropped, a stream
   * that broke off, a 408, 409, 429 or 5xx status, a provider `server_error`. Not for a request the
   * provider refused (400, 401, 403, 404), nor for an incomplete response. The run's `retry` option
   * retries only these. Default: judged from `status` (408, 409, 429 and 5xx are), else `false`.
   */
  readonly retryable: boolean;
  /** How long the provider asked to wait before the next try (`Retry-After`, `retry-after-ms`), when it did. */
  declare readonly retryAfterMs?: number;
  /**
   * Usage the provider reported for the failed response (an incomplete one, cut at
   * `max_output_tokens`): it was paid for, so the run's `partial.usage` includes it.
   */
  declare readonly usage?: Usage;

  constructor({
    message,
    status,
    code,
    retryable,
    retryAfterMs,
    usage,
    cause,
  }: AgentsErrorOptions & {
    message: string;
    status?: number;
    code?: string;
    retryable?: boolean;
    retryAfterMs?: number;
    usage?: Usage;
  }) {
    super({ message, cause });
    if (status !== undefined) this.status = status;
    if (code !== undefined) this.code = code;
    this.retryable = retryable ?? (status !== undefined && isRetryableStatus(status));
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
    if (usage !== undefined) this.usage = usage;
  }

  /** Whether `error` is a `ModelProviderError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ModelProviderError {
    return AgentsError.hasMarker(error, modelProviderMarker);
  }
}

/** The statuses worth another try, as the `openai` SDK judges them: 408, 409, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

const modelTimeoutMarker = 'rxjs-agents.error.ModelTimeoutError';
const modelTimeoutSymbol = Symbol.for(modelTimeoutMarker);

/**
 * A model call sent nothing for longer than the run's `idleTimeoutMs` (waiting for the first
 * event included): it was aborted, and its connection closed. The run's `retry` option retries it.
 */
export class ModelTimeoutError extends AgentsError {
  private readonly [modelTimeoutSymbol] = true;
  /** The `idleTimeoutMs` that passed without an event. */
  readonly timeoutMs: number;

  constructor({ timeoutMs, cause }: AgentsErrorOptions & { timeoutMs: number }) {
    super({ message: `The model sent nothing for ${timeoutMs} ms (idleTimeoutMs); the call was aborted.`, cause });
    this.timeoutMs = timeoutMs;
  }

  /** Whether `error` is a `ModelTimeoutError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ModelTimeoutError {
    return AgentsError.hasMarker(error, modelTimeoutMarker);
  }
}

const modelBehaviorMarker = 'rxjs-agents.error.ModelBehaviorError';
const modelBehaviorSymbol = Symbol.for(modelBehaviorMarker);

/** The model did something the run cannot accept: invalid structured output, an unknown tool. */
export class ModelBehaviorError extends AgentsError {
  private readonly [modelBehaviorSymbol] = true;
  /** The zod issues, when structured output failed its schema. */
  readonly issues?: readonly unknown[];

  constructor({ message, issues, cause }: AgentsErrorOptions & { message: string; issues?: readonly unknown[] }) {
    super({ message, cause });
    if (issues !== undefined) this.issues = issues;
  }

  /** Whether `error` is a `ModelBehaviorError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ModelBehaviorError {
    return AgentsError.hasMarker(error, modelBehaviorMarker);
  }
}

const modelRefusalMarker = 'rxjs-agents.error.ModelRefusalError';
const modelRefusalSymbol = Symbol.for(modelRefusalMarker);

/**
 * The model refused to answer: its final message was a refusal (a `refusal` content part) rather
 * than text or structured output. The refusal is a complete, paid-for answer, so the run's
 * `partial` keeps the message item; `refusal` is its text, as the model wrote it.
 */
export class ModelRefusalError extends AgentsError {
  private readonly [modelRefusalSymbol] = true;
  /** What the model said instead of answering, for example `"I can't help with that."`. */
  readonly refusal: string;

  constructor({ refusal, cause }: AgentsErrorOptions & { refusal: string }) {
    super({ message: `The model refused to answer: ${JSON.stringify(refusal)}`, cause });
    this.refusal = refusal;
  }

  /** Whether `error` is a `ModelRefusalError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ModelRefusalError {
    return AgentsError.hasMarker(error, modelRefusalMarker);
  }
}

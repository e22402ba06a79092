import { describeThrown } from '../../internal/describeThrown.js';
import type { AgentsError } from '../../errors.js';
import { ModelProviderError, ModelTimeoutError, SyncRunError } from '../../errors.js';
import type { Usage } from '../../usage.js';

/**
 * An error as it crosses back from `runSync()`'s model worker: plain data, made there by
 * {@link toSyncCallError} and made the class it was again here by {@link rebuildError}.
 *
 * Internal to the runner.
 */
export interface SyncCallError {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly usage?: Usage;
  /** A `ModelTimeoutError`'s `idleTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** `error` as plain data for the trip back from the worker. */
export function toSyncCallError(error: unknown): SyncCallError {
  try {
    return readSyncCallError(error);
  } catch {
    // A getter that throws, a proxy: what can be said of any thrown value.
    return { name: 'Error', message: describeThrown(error) };
  }
}

function readSyncCallError(error: unknown): SyncCallError {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Partial<
    Record<keyof SyncCallError, unknown>
  >;
  const { name, message, status, code, retryable, retryAfterMs, usage, timeoutMs } = fields;
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : describeThrown(error),
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof retryable === 'boolean' ? { retryable } : {}),
    ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
    ...(typeof usage === 'object' && usage !== null ? { usage: usage as Usage } : {}),
    ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
  };
}

/**
 * The error the worker reported, as the class it was: a `SyncRunError` (the worker could not send
 * the call's events back), a `ModelTimeoutError` or a `ModelProviderError`.
 */
export function rebuildError(error: SyncCallError): AgentsError {
  if (error.name === 'SyncRunError') return new SyncRunError({ message: error.message });
  if (error.name === 'ModelTimeoutError' && error.timeoutMs !== undefined)
    return new ModelTimeoutError({ timeoutMs: error.timeoutMs });
  const rebuilt = new ModelProviderError({
    message: error.message,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.usage === undefined ? {} : { usage: error.usage }),
  });
  rebuilt.name = error.name;
  return rebuilt;
}

/**
 * The messages `startServerProcess` and its child process exchange over the IPC channel.
 * Times cross as epoch milliseconds (`performance.timeOrigin + performance.now()`), since each
 * process's `performance.now()` counts from its own start.
 */
import type { ServerTurn } from '../script.js';
import type { BatchOptions, RateLimitOptions, RecordedRequest } from './types.js';

/** The serializable options of `startServer`, as they cross to the child (fixtures as absolute paths). */
export interface ChildServerOptions {
  readonly turns?: readonly ServerTurn[];
  readonly echo?: boolean;
  readonly fixture?: readonly string[];
  readonly delayMs?: number;
  readonly batches?: BatchOptions;
  readonly rateLimits?: RateLimitOptions;
  readonly port?: number;
  readonly host?: string;
}

/** Parent → child. */
export type ParentMessage =
  | { readonly type: 'start'; readonly options: ChildServerOptions }
  | { readonly type: 'requests'; readonly id: number }
  | { readonly type: 'close' };

/** Child → parent. */
export type ChildMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'requests'; readonly id: number; readonly requests: RecordedRequest[] }
  | { readonly type: 'failed'; readonly message: string }
  /** The server closed; `errors` are the messages of what its responder threw. */
  | { readonly type: 'closed'; readonly errors: readonly string[] };

/** Moves a record's times from one process's `performance.now()` clock to another's. */
export function shiftTimes(request: RecordedRequest, by: number): RecordedRequest {
  return {
    ...request,
    receivedAt: request.receivedAt + by,
    ...(request.closedAt === undefined ? {} : { closedAt: request.closedAt + by }),
  };
}

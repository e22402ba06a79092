/**
 * The messages `startServerProcess` and its child process exchange over the IPC channel.
 * Times cross as epoch milliseconds (`performance.timeOrigin + performance.now()`), since each
 * process's `performance.now()` counts from its own start.
 */
import type { ServerTurn } from '../script.js';
import type { RecordedRequest } from './types.js';

/** Parent → child. */
export type ParentMessage =
  | { readonly type: 'start'; readonly turns: readonly ServerTurn[] }
  | { readonly type: 'requests'; readonly id: number }
  | { readonly type: 'close' };

/** Child → parent. */
export type ChildMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'requests'; readonly id: number; readonly requests: RecordedRequest[] }
  | { readonly type: 'failed'; readonly message: string };

/** Moves a record's times from one process's `performance.now()` clock to another's. */
export function shiftTimes(request: RecordedRequest, by: number): RecordedRequest {
  return {
    ...request,
    receivedAt: request.receivedAt + by,
    ...(request.closedAt === undefined ? {} : { closedAt: request.closedAt + by }),
  };
}

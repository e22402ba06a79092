import { AgentsError, type AgentsErrorOptions } from './agentsError.js';

const sessionMarker = 'rxjs-agents.error.SessionError';
const sessionSymbol = Symbol.for(sessionMarker);

/**
 * A session's store failed (`getItems`, `addItems`, `popItem` or `clear` threw or rejected); its
 * `cause` is what the store gave. The message names the operation, never the items. A run that
 * fails on its session keeps its `partial`, and the items already saved stay saved.
 */
export class SessionError extends AgentsError {
  private readonly [sessionSymbol] = true;
  /** The session method that failed. */
  readonly operation: 'getItems' | 'addItems' | 'popItem' | 'clear' | 'serverConversationId';
  /** The session's id, when it has one. */
  readonly sessionId: string | undefined;

  constructor({
    operation,
    sessionId,
    message,
    cause,
  }: AgentsErrorOptions & { operation: SessionError['operation']; sessionId?: string; message?: string }) {
    const which = sessionId === undefined ? 'The session' : `Session '${sessionId}'`;
    super({ message: message ?? `${which} failed to ${operation}.`, cause });
    this.operation = operation;
    this.sessionId = sessionId;
  }

  /** Whether `error` is a `SessionError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is SessionError {
    return AgentsError.hasMarker(error, sessionMarker);
  }
}

import { AgentsError, type AgentsErrorOptions } from './agentsError.js';

// The errors of a session: a conversation's store that failed.

/** The method of a `Session` that was called when its store failed. */
export type SessionOperation = 'getItems' | 'addItems' | 'popItem' | 'clear' | 'serverConversationId';

const sessionMarker = 'rxjs-agents.error.SessionError';
const sessionSymbol = Symbol.for(sessionMarker);

/**
 * A session's store failed: the database client rejected, the database could not be opened, or its
 * driver is not installed. `cause` is the store's own error, `operation` the method that was called
 * and `sessionId` the conversation's id, so a failure can be told apart and retried.
 *
 * The message names the operation and the session id, and the store's error code when it has one
 * (`SQLITE_BUSY`, Postgres's `40P01`), and never the items: a conversation holds what users wrote,
 * and error messages end up in logs. The store's own message, which may quote a value, is only in
 * `cause`. A run whose session fails fails with this error, and what it had saved stays saved.
 */
export class SessionError extends AgentsError {
  private readonly [sessionSymbol] = true;
  /** The session method that failed. */
  readonly operation: SessionOperation;
  /** The id of the conversation whose store failed (`undefined` for a session that has none). */
  readonly sessionId: string | undefined;

  constructor({
    operation,
    sessionId,
    message,
    cause,
  }: AgentsErrorOptions & {
    operation: SessionOperation;
    sessionId: string | undefined;
    /** What went wrong, when it is known better than "the store failed" (a driver to install). */
    message?: string;
  }) {
    super({
      message: `${sessionId === undefined ? 'The session' : `Session ${JSON.stringify(sessionId)}`}: ${operation}() failed: ${message ?? describeCause(cause)}`,
      cause,
    });
    this.operation = operation;
    this.sessionId = sessionId;
  }

  /** Whether `error` is a `SessionError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is SessionError {
    return AgentsError.hasMarker(error, sessionMarker);
  }
}

/**
 * What a store threw as a `SessionError`: one made already goes through as it is; anything else
 * is wrapped, naming the operation and the session.
 */
export function asSessionError(
  cause: unknown,
  operation: SessionOperation,
  sessionId: string | undefined,
): SessionError {
  return SessionError.isInstance(cause) ? cause : new SessionError({ operation, sessionId, cause });
}

/** The store's error by its name and code only: its message may quote an item. */
function describeCause(cause: unknown): string {
  const name = cause instanceof Error ? cause.name : 'a non-Error value';
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  const codeText = typeof code === 'string' || typeof code === 'number' ? ` (code ${String(code)})` : '';
  return `the store rejected with ${name}${codeText}; the store's error is in \`cause\`.`;
}

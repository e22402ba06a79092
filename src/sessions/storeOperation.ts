import { asSessionError, type SessionOperation } from '../errors/sessionErrors.js';

/**
 * Runs one session method's work on its store, turning whatever the store throws or rejects with
 * into a {@link SessionError} naming the operation and the session (the store's error as `cause`),
 * so a caller catches one named error whichever database is behind the session. A `SessionError`
 * made inside goes through as it is.
 */
export async function storeOperation<T>(
  sessionId: string,
  operation: SessionOperation,
  work: () => T | Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    throw asSessionError(cause, operation, sessionId);
  }
}

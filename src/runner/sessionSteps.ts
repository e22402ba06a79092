import { defer, EMPTY, from, ignoreElements, tap, catchError, throwError, type Observable } from 'rxjs';
import type { AgentsError } from '../errors.js';
import { asSessionError, type SessionOperation } from '../errors/sessionErrors.js';
import type { InputItem } from '../items.js';
import type { Session } from '../session.js';
import type { LiveState } from './liveState.js';
import { withPartial } from './partial.js';
import type { RunContext } from './runContext.js';

/**
 * Reads the conversation so far from the run's session, before its first model call: its items
 * lead the run's input. A resumed run does not read it again (its state holds the history).
 */
export function loadSession(session: Session, state: LiveState): Observable<never> {
  return defer(() => from(session.getItems())).pipe(
    tap((items: readonly InputItem[]) => {
      if (!Array.isArray(items)) throw new TypeError(`getItems() gave ${typeof items}, not an array of items.`);
      state.prependSessionItems(items);
    }),
    ignoreElements(),
    catchError((error: unknown) => throwError(() => sessionFailure(session, error, 'getItems', state))),
  );
}

/**
 * For a session whose items the model's server keeps (`serverConversationId`, as
 * `OpenAIConversationsSession` has): its conversation's id, before the first model call, so that
 * every request names it and sends only the items the server does not have; the server records
 * each turn. A resumed run resolves it again, and goes on where the conversation is.
 */
export function useServerConversation(
  session: Session,
  run: Pick<RunContext<unknown>, 'serverHistory'>,
  state: LiveState,
): Observable<never> {
  return defer(() => from(session.serverConversationId!())).pipe(
    tap((conversationId: string) => {
      if (typeof conversationId !== 'string' || conversationId === '') {
        throw new TypeError(`serverConversationId() gave ${JSON.stringify(conversationId)}, not a conversation id.`);
      }
      run.serverHistory = { conversationId };
    }),
    ignoreElements(),
    catchError((error: unknown) => throwError(() => sessionFailure(session, error, 'serverConversationId', state))),
  );
}

/**
 * Adds what the session does not hold yet — the items of the turns completed since the last save,
 * with the run's input the first time — to the session. The loop calls it at the end of each
 * turn (after its tools), so an interrupted turn is saved when it completes, never half.
 */
export function saveTurn(session: Session, state: LiveState): Observable<never> {
  return defer(() => {
    const history = state.history;
    if (history.length <= state.sessionItems) return EMPTY;
    return from(session.addItems(history.slice(state.sessionItems))).pipe(
      tap(() => (state.sessionItems = history.length)),
      ignoreElements(),
    );
  }).pipe(catchError((error: unknown) => throwError(() => sessionFailure(session, error, 'addItems', state))));
}

/**
 * A session's failure as the run's error: a `SessionError` as the session gave it (the sessions
 * of `rxjs-agents/sessions` give one), anything else wrapped in one, with the run's `partial`.
 */
function sessionFailure(session: Session, error: unknown, operation: SessionOperation, state: LiveState): AgentsError {
  const id = (session as { readonly sessionId?: unknown }).sessionId;
  return withPartial(asSessionError(error, operation, typeof id === 'string' ? id : undefined), state);
}

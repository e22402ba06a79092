import { defaultIfEmpty, from, isObservable, of, take, takeLast, type Observable } from 'rxjs';

/** Whether `value` is a Promise or another thenable. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * A tool's return value as an Observable of its one result: a value as it is, a Promise's value,
 * or an Observable's last value (`undefined` when it completes empty).
 */
export function toolResultOf(result: unknown): Observable<unknown> {
  if (isObservable(result)) return result.pipe(takeLast(1), defaultIfEmpty(undefined));
  if (isPromiseLike(result)) return from(result);
  return of(result);
}

/**
 * A decision (what `needsApproval` or the run's `approve` gives) as an Observable of its one
 * value: a value as it is, a Promise's value, or an Observable's *first* value — a dialog's
 * choices need not complete. An Observable that completes without a value gives `undefined`,
 * which the caller refuses.
 */
export function decisionOf(decision: unknown): Observable<unknown> {
  if (isObservable(decision)) return decision.pipe(take(1), defaultIfEmpty(undefined));
  if (isPromiseLike(decision)) return from(decision);
  return of(decision);
}

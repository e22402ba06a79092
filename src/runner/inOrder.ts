import { concat, EMPTY, type Observable, type ObservedValueOf } from 'rxjs';

/**
 * `concat(...parts)` without the parts that are `EMPTY` (a step with nothing to do: no session to
 * load or save, say), and a single part as itself: a `concat` is one more subscriber that every
 * event of the run passes through.
 */
export function inOrder<A extends readonly Observable<unknown>[]>(...parts: A): Observable<ObservedValueOf<A[number]>> {
  const steps = parts.filter((part) => part !== EMPTY) as Observable<ObservedValueOf<A[number]>>[];
  if (steps.length === 0) return EMPTY;
  return steps.length === 1 ? (steps[0] as Observable<ObservedValueOf<A[number]>>) : concat(...steps);
}

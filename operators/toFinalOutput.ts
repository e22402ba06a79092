import { filter, map, take, throwIfEmpty } from 'rxjs';
import type { Observable } from 'rxjs';
import { NoFinalOutputError } from '../src/errors.js';
import type { FinalOutputEvent, RunEvent } from '../src/events.js';

/**
 * Emits the `output` of the `final-output` event, then completes.
 *
 * <span class="informal">The answer of a run, without its progress: the Observable form of
 * what `run()` resolves to (its `finalOutput`).</span>
 *
 * ```
 * source: -r-t-t-f-x-|      r = raw   t = text-delta   f = final-output   x = anything after it
 * result: -------(o|)       o = f.output
 *
 * source: -r-t-t-|
 * result: -------#          # = NoFinalOutputError
 * ```
 *
 * It unsubscribes from the source as soon as the `final-output` event arrives, even while a
 * synchronous source is still emitting. A source that completes without a `final-output` event
 * errors with a `NoFinalOutputError`; a source that errors passes its error on unchanged. The
 * output type follows the events: `Observable<RunEvent<{ city: string }>>` gives
 * `Observable<{ city: string }>`.
 *
 * ## Example
 *
 * Get the structured answer of a run:
 *
 * ```ts
 * import { runStreamed } from 'rxjs-agents';
 * import { toFinalOutput } from 'rxjs-agents/operators';
 *
 * runStreamed(travelAgent, 'Where should I travel in May?')
 *   .pipe(toFinalOutput())
 *   .subscribe(({ destination, reason }) => console.log(`${destination}: ${reason}`));
 * ```
 *
 * @see {@link filterTextDeltas}
 * @see {@link https://rxjs.dev/api/index/function/lastValueFrom | lastValueFrom}
 *
 * @returns A function that returns an Observable of the run's final output, which completes
 * after it, or errors with `NoFinalOutputError` when there is none.
 */
export function toFinalOutput(): <T>(source: Observable<RunEvent<T>>) => Observable<T> {
  return <T>(source: Observable<RunEvent<T>>): Observable<T> =>
    source.pipe(
      filter((event): event is FinalOutputEvent<T> => event.type === 'final-output'),
      take(1),
      map((event) => event.output),
      throwIfEmpty(() => new NoFinalOutputError()),
    );
}

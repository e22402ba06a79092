import { filter, map, take, throwIfEmpty } from 'rxjs';
import type { Observable } from 'rxjs';
import { NoFinalOutputError } from '../src/errors.js';
import type { FinalOutputEvent, RunEvent, RunInterruptedEvent } from '../src/events.js';
import { interruptedResultOf, runResultOf, type RunResultData } from '../src/runner/runResult.js';

/**
 * Emits the whole result of a run — `finalOutput`, `newItems`, `history`, `lastAgent`, `usage`,
 * `rawResponses` — when its `final-output` event arrives, then completes; or, when the run is
 * interrupted (`run-interrupted`), the interrupted result with its `state` as data.
 *
 * <span class="informal">What `run()` resolves to, for a streamed run: a chat that prints tokens
 * as they arrive can still continue the conversation from `history`.</span>
 *
 * ```
 * source: -s-r-t-t-c-f-|    s = turn-started  r = raw  t = text-delta  c = turn-completed  f = final-output
 * result: -----------(o|)   o = { status: 'completed', finalOutput: f.output, newItems, history, lastAgent: f.agent, usage, rawResponses }
 *
 * source: -s-r-c-a-i-|      a = tool-approval-requested  i = run-interrupted
 * result: ---------(o|)     o = { status: 'interrupted', reason, interruptions, state, newItems, history, ... }
 *
 * source: -s-r-t-|
 * result: -------#          # = NoFinalOutputError
 * ```
 *
 * The result deep-equals what `run(agent, input)` resolves to for the same script, except that
 * `lastAgent` is the last agent's name rather than the `Agent` itself, and an interrupted run's
 * `state` is plain data (`RunState.fromJSON(agent, result.state)` resumes it): it is read from the
 * events, which are plain data. So it works the same on the far side of a server-sent-event connection
 * (`fromServerSentEvents`): a browser chat keeps its own history. A source that completes without
 * a `final-output` event errors with a `NoFinalOutputError`; a source that errors passes its error
 * on unchanged (its `partial` holds what the run had produced).
 *
 * ## Example
 *
 * Stream the answer, then ask a follow-up with the conversation so far:
 *
 * ```ts
 * import { concatMap, share } from 'rxjs';
 * import { runStreamed } from 'rxjs-agents';
 * import { filterTextDeltas, toRunResult } from 'rxjs-agents/operators';
 *
 * const first = runStreamed(agent, 'Where should I go in May?').pipe(share());
 * first.pipe(filterTextDeltas()).subscribe((delta) => process.stdout.write(delta));
 * first
 *   .pipe(
 *     toRunResult(),
 *     concatMap(({ history }) =>
 *       runStreamed(agent, [...history, { type: 'message', role: 'user', content: 'And in June?' }]),
 *     ),
 *     filterTextDeltas(),
 *   )
 *   .subscribe((delta) => process.stdout.write(delta));
 * ```
 *
 * @see {@link toFinalOutput}
 *
 * @returns A function that returns an Observable of the run's result, which completes after it,
 * or errors with `NoFinalOutputError` when there is none.
 */
export function toRunResult(): <T>(source: Observable<RunEvent<T>>) => Observable<RunResultData<T>> {
  return <T>(source: Observable<RunEvent<T>>): Observable<RunResultData<T>> =>
    source.pipe(
      filter(
        (event): event is FinalOutputEvent<T> | RunInterruptedEvent =>
          event.type === 'final-output' || event.type === 'run-interrupted',
      ),
      take(1),
      map((event): RunResultData<T> =>
        event.type === 'final-output'
          ? runResultOf(event, event.agent)
          : interruptedResultOf(event, event.agent, event.state),
      ),
      throwIfEmpty(() => new NoFinalOutputError()),
    );
}

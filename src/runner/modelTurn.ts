import { defer, Observable } from 'rxjs';
import { MaxTurnsExceededError, ModelBehaviorError } from '../errors.js';
import type { RunEvent } from '../events.js';
import type { ModelRequest, ModelResponse } from '../model.js';
import { checkDelta, checkModelResponse } from './checkModelOutput.js';
import { decideNextStep } from './nextStep.js';
import type { RunContext } from './runContext.js';
import type { RunState } from './runState.js';
import { modelRequest, resolveInstructions, turnSettings } from './turnRequest.js';

/**
 * The `call-model` step: one turn's model call, as a cold Observable of the turn's events —
 * `turn-started`, then the `raw` and `text-delta` events as the model streams them (and
 * `turn-restarted` before a retry that follows text), then `turn-completed`.
 *
 * When the response is complete it joins the state, and the state's next step is decided from it
 * ({@link decideNextStep}). More than `maxTurns` calls fail the run with `MaxTurnsExceededError`.
 */
export function modelTurn<TContext>(state: RunState, run: RunContext<TContext>): Observable<RunEvent<unknown>> {
  return defer(() => {
    const { maxTurns, context } = run.settings;
    if (state.turn >= maxTurns) throw new MaxTurnsExceededError({ maxTurns });
    const turn = ++state.turn;
    const agent = run.agents.get(state.agent);
    const plan = run.plans.get(agent);
    const settings = turnSettings(agent, plan, state);
    const instructions$ = resolveInstructions(agent, context);
    // `turn-started`, then the response, passed on without an operator between them and the
    // run: every event of the turn would cross a `concat` and a `switchMap`.
    return new Observable<RunEvent<unknown>>((subscriber) => {
      subscriber.next({ type: 'turn-started', agent: agent.name, turn });
      if (subscriber.closed) return;
      return instructions$.subscribe({
        next: (instructions) => {
          try {
            streamResponse(modelRequest(plan, instructions, settings, state), turn, state, run).subscribe(subscriber);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
      });
    });
  });
}

/** The model call itself: its events as run events, and, last, `turn-completed`. */
function streamResponse<TContext>(
  request: ModelRequest,
  turn: number,
  state: RunState,
  run: RunContext<TContext>,
): Observable<RunEvent<unknown>> {
  return new Observable<RunEvent<unknown>>((subscriber) => {
    const agent = run.agents.get(state.agent);
    const { model } = run.plans.get(agent);
    const source = model.name;
    const agentName = agent.name;
    let response: ModelResponse | undefined;
    // The run's text before this turn: a restarted attempt's deltas are dropped back to it.
    const textBefore = state.text.length;
    // Our handlers' own errors (a malformed delta or response, an answer that fails its schema)
    // fail the run: RxJS would only report an error thrown inside an observer's callback.
    const subscription = run.mode.callModel(model, request).subscribe({
      next: (event) => {
        switch (event.type) {
          case 'text-delta': {
            let delta: string;
            try {
              delta = checkDelta(event.delta, source);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            state.text.append(delta);
            subscriber.next({ type: 'text-delta', agent: agentName, turn, delta });
            break;
          }
          case 'raw':
            subscriber.next({ type: 'raw', agent: agentName, turn, source, data: event.data });
            break;
          case 'response':
            response = event.response;
            break;
          case 'restart':
            state.text.truncate(textBefore);
            response = undefined;
            subscriber.next({
              type: 'turn-restarted',
              agent: agentName,
              turn,
              reason: event.reason,
              attempt: event.attempt,
            });
            break;
        }
      },
      error: (error: unknown) => {
        state.recordFailedCall(error);
        subscriber.error(error);
      },
      complete: () => {
        if (response === undefined) {
          subscriber.error(
            new ModelBehaviorError({ message: `Model '${source}' completed its stream without a response event.` }),
          );
          return;
        }
        let checked: ModelResponse;
        try {
          checked = checkModelResponse(response, source);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        state.recordResponse(checked);
        subscriber.next({
          type: 'turn-completed',
          agent: agentName,
          turn,
          ...(checked.id === undefined ? {} : { responseId: checked.id }),
          usage: checked.usage,
        });
        try {
          state.next = decideNextStep(agent, checked);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        subscriber.complete();
      },
    });
    return subscription;
  });
}

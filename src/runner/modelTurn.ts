import { Observable } from 'rxjs';
import { MaxTurnsExceededError, ModelBehaviorError } from '../errors.js';
import type { RunEvent } from '../events.js';
import type { Agent } from '../agent.js';
import type { Model, ModelRequest, ModelResponse } from '../model.js';
import { checkDelta, checkModelResponse } from './checkModelOutput.js';
import { decideNextStep } from './nextStep.js';
import { withPartial } from './partial.js';
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
  // One Observable, subscribed by the model call with the same subscriber: every event of the
  // turn reaches the run with no operator between (a `concat` and a `switchMap` here cost ~8% of
  // a streamed run's own time in the pipeline bench). So errors get the run's `partial` here.
  return new Observable<RunEvent<unknown>>((subscriber) => {
    const fail = (error: unknown): void => subscriber.error(withPartial(error, state));
    let turn: number;
    let request: (instructions: string | undefined) => ModelRequest;
    let instructions$: Observable<string | undefined>;
    let agent: Agent<unknown, TContext>;
    let model: Model;
    try {
      const { maxTurns, context } = run.settings;
      if (state.turn >= maxTurns) throw new MaxTurnsExceededError({ maxTurns });
      turn = ++state.turn;
      agent = run.agents.get(state.agent);
      const plan = run.plans.get(agent);
      const settings = turnSettings(agent, plan, state);
      model = plan.model;
      request = (instructions) => modelRequest(plan, instructions, settings, state);
      instructions$ = resolveInstructions(agent, context);
    } catch (error) {
      fail(error);
      return;
    }
    subscriber.next({ type: 'turn-started', agent: agent.name, turn });
    if (subscriber.closed) return;
    return instructions$.subscribe({
      next: (instructions) =>
        streamResponse(request(instructions), turn, agent, model, state, run).subscribe(subscriber),
      error: fail,
    });
  });
}

/** The model call itself: its events as run events, and, last, `turn-completed`. */
function streamResponse<TContext>(
  request: ModelRequest,
  turn: number,
  agent: Agent<unknown, TContext>,
  model: Model,
  state: RunState,
  run: RunContext<TContext>,
): Observable<RunEvent<unknown>> {
  return new Observable<RunEvent<unknown>>((subscriber) => {
    const fail = (error: unknown): void => subscriber.error(withPartial(error, state));
    const source = model.name;
    const agentName = agent.name;
    let response: ModelResponse | undefined;
    // The run's text before this turn: a restarted attempt's deltas are dropped back to it.
    const textBefore = state.text.length;
    // Our handlers' own errors (a malformed delta or response, an answer that fails its schema)
    // fail the run: RxJS would only report an error thrown inside an observer's callback.
    let call$: ReturnType<typeof run.mode.callModel>;
    try {
      call$ = run.mode.callModel(model, request);
    } catch (error) {
      // A model whose stream() throws.
      fail(error);
      return;
    }
    const subscription = call$.subscribe({
      next: (event) => {
        switch (event.type) {
          case 'text-delta': {
            let delta: string;
            try {
              delta = checkDelta(event.delta, source);
            } catch (error) {
              fail(error);
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
        fail(error);
      },
      complete: () => {
        if (response === undefined) {
          fail(new ModelBehaviorError({ message: `Model '${source}' completed its stream without a response event.` }));
          return;
        }
        let checked: ModelResponse;
        try {
          checked = checkModelResponse(response, source);
        } catch (error) {
          fail(error);
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
          fail(error);
          return;
        }
        subscriber.complete();
      },
    });
    return subscription;
  });
}

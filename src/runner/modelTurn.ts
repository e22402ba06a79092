import { concatMap, Observable, type Subscriber } from 'rxjs';
import { MaxTurnsExceededError, ModelBehaviorError, OutputLimitExceededError } from '../errors.js';
import type { RunEvent } from '../events.js';
import type { Agent } from '../agent.js';
import type { Model, ModelRequest, ModelResponse } from '../model.js';
import { checkDelta, checkModelResponse } from './checkModelOutput.js';
import { decideNextStep } from './nextStep.js';
import { StreamGuardrails } from './streamGuardrails.js';
import { withPartial } from './partial.js';
import type { AttemptObserver, RunContext } from './runContext.js';
import { tracedAgent } from './tracedRun.js';
import type { LiveState } from './liveState.js';
import { modelRequest, resolveInstructions, turnSettings } from './turnRequest.js';

/**
 * The `call-model` step: one turn's model call, as a cold Observable of the turn's events —
 * `turn-started`, then the `raw` and `text-delta` events as the model streams them (and
 * `turn-restarted` before a retry that follows text), then `turn-completed`.
 *
 * The agent's MCP tools are listed first, once per run (`agentTools.ts`); the agent's stream
 * guardrails check the text as it streams (`streamGuardrails.ts`). When the response is complete
 * it joins the state, and the state's next step is decided from it ({@link decideNextStep}). More
 * than `maxTurns` calls fail the run with `MaxTurnsExceededError`.
 */
export function modelTurn<TContext>(state: LiveState, run: RunContext<TContext>): Observable<RunEvent<unknown>> {
  // One Observable, subscribed by the model call with the same subscriber: every event of the
  // turn reaches the run with no operator between (a `concat` and a `switchMap` here cost ~8% of
  // a streamed run's own time in the pipeline bench). So errors get the run's `partial` here.
  return new Observable<RunEvent<unknown>>((subscriber) => {
    const fail = failRun(subscriber, state);
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
      request = (instructions) =>
        modelRequest(plan, instructions, settings, state, run.serverHistory, run.tools.mcpSpecs(agent));
      const instructions = resolveInstructions(agent, context);
      // An agent's MCP tools are listed (its servers connected) before its first turn's request.
      instructions$ = run.tools.ready(agent)
        ? instructions
        : run.tools.resolve(agent).pipe(concatMap(() => instructions));
    } catch (error) {
      fail(error);
      return;
    }
    subscriber.next({ type: 'turn-started', agent: agent.name, turn });
    if (subscriber.closed) return;
    return instructions$.subscribe({
      next: (instructions) => {
        let turnRequest: ModelRequest;
        try {
          turnRequest = request(instructions);
        } catch (error) {
          fail(error);
          return;
        }
        streamResponse(turnRequest, turn, agent, model, state, run).subscribe(subscriber);
      },
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
  state: LiveState,
  run: RunContext<TContext>,
): Observable<RunEvent<unknown>> {
  return new Observable<RunEvent<unknown>>((subscriber) => {
    const fail = failRun(subscriber, state);
    const source = model.name;
    const agentName = agent.name;
    const { maxOutputCharacters } = run.settings;
    let response: ModelResponse | undefined;
    // The run's text before this turn: a restarted attempt's deltas are dropped back to it.
    const textBefore = state.text.length;
    const streamGuardrails = StreamGuardrails.of(run, agent.streamGuardrails);
    const guardrails =
      streamGuardrails &&
      new StreamGuardrails(streamGuardrails, {
        agent: agentName,
        turn,
        state,
        run,
        emit: (event) => subscriber.next(event),
        fail,
      });
    // Every handler below catches what it throws (a malformed delta or response, an answer that
    // fails its schema, an event that is not an object, a string past V8's limit) and fails the
    // run with it: RxJS would only report an error thrown inside an observer's callback as
    // unhandled, which ends a Node process.
    let call$: ReturnType<typeof run.mode.callModel>;
    try {
      call$ = run.mode.callModel(model, request, attemptObserver(run, agent, turn, model, request));
    } catch (error) {
      // A model whose stream() throws.
      fail(error);
      return;
    }
    const subscription = call$.subscribe({
      next: (event) => {
        // A synchronous model goes on emitting into a turn that failed before its teardown ran.
        if (subscriber.closed) return;
        try {
          switch (event.type) {
            case 'text-delta': {
              const delta = checkDelta(event.delta, source);
              // Checked before the delta joins the text: `partial.text` is what was emitted, and
              // failing unsubscribes the call, which aborts its request.
              if (state.text.length - textBefore + delta.length > maxOutputCharacters) {
                fail(new OutputLimitExceededError({ maxOutputCharacters }));
                return;
              }
              state.text.append(delta);
              subscriber.next({ type: 'text-delta', agent: agentName, turn, delta });
              guardrails?.grew(delta);
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
              guardrails?.restart();
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
        } catch (error) {
          fail(error);
        }
      },
      error: (error: unknown) => {
        try {
          state.recordFailedCall(error);
        } catch {
          // Usage that cannot be read is not added; the call's own error still ends the run.
        }
        fail(error);
      },
      complete: () => {
        try {
          if (response === undefined) {
            throw new ModelBehaviorError({
              message: `Model '${source}' completed its stream without a response event.`,
            });
          }
          const checked = checkModelResponse(response, source);
          state.recordResponse(checked);
          subscriber.next({
            type: 'turn-completed',
            agent: agentName,
            turn,
            ...(checked.id === undefined ? {} : { responseId: checked.id }),
            usage: checked.usage,
          });
          state.next = decideNextStep(agent, checked, run.tools.get(agent));
        } catch (error) {
          fail(error);
          return;
        }
        // The response's checks still running are awaited: nothing acts on an answer before they pass.
        if (guardrails) guardrails.settle(() => subscriber.complete());
        else subscriber.complete();
      },
    });
    if (!guardrails) return subscription;
    return () => {
      subscription.unsubscribe();
      guardrails.dispose();
    };
  });
}

/**
 * What each attempt of the turn's model call goes through: the run's trace (numbering the attempts
 * from 1), inside the batch's gate (so that a span times the request, not the wait for the
 * budget); `undefined`, and nothing in the way, for a run with neither.
 */
function attemptObserver<TContext>(
  run: RunContext<TContext>,
  agent: Agent<unknown, TContext>,
  turn: number,
  model: Model,
  request: ModelRequest,
): AttemptObserver | undefined {
  const { trace } = run;
  const gate = run.settings.modelCallGate;
  if (!trace && !gate) return undefined;
  let observed: AttemptObserver = (call) => call;
  if (trace) {
    const traced = tracedAgent(agent);
    let attempt = 0;
    observed = (call) => trace.modelCall({ agent: traced, turn, attempt: ++attempt, model, request }, call);
  }
  return gate ? (call) => gate(request, observed(call)) : observed;
}

/**
 * How a step fails the run: with the error, given the run's `partial`. It never throws: should
 * reading the partial fail too (the text past what a string can hold), the error goes as it is.
 */
function failRun(subscriber: Subscriber<RunEvent<unknown>>, state: LiveState): (error: unknown) => void {
  return (error) => {
    let failure: unknown = error;
    try {
      failure = withPartial(error, state);
    } catch {
      // The error without its partial is still the run's error.
    }
    subscriber.error(failure);
  };
}

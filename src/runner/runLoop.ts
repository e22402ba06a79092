import { concat, defer, Observable, of, type OperatorFunction } from 'rxjs';
import type { Agent } from '../agent.js';
import { RunAbortedError } from '../errors.js';
import type { FinalOutputEvent, RunEvent } from '../events.js';
import type { InputItem } from '../items.js';
import type { AgentGraph } from './agentGraph.js';
import { onAbort } from '../internal/onAbort.js';
import { modelTurn } from './modelTurn.js';
import { withPartial } from './partial.js';
import type { RunContext, RunMode, RunSettings } from './runContext.js';
import { RunState } from './runState.js';
import { toolStep } from './toolStep.js';
import { TurnPlans } from './turnRequest.js';

/**
 * One run as a cold Observable of its events: each subscription is a run of its own, with a state
 * of its own.
 *
 * The run is its steps, chained: each step is a cold Observable that emits the step's events and
 * leaves the decision of what follows in the state (`state.next`), and the next step is subscribed
 * only when the one before it completes. So unsubscribing ends the step in flight (its model call
 * or its tools) and no later step ever starts: "nothing after unsubscribe" is RxJS's own teardown.
 */
export function createRun<TOutput, TContext>(
  startAgent: Agent<TOutput, TContext>,
  agents: AgentGraph<TContext>,
  input: readonly InputItem[],
  settings: RunSettings<TContext>,
  mode: RunMode,
): Observable<RunEvent<TOutput>> {
  return defer(() => {
    const state = RunState.start(startAgent.name, input);
    const run: RunContext<TContext> = { settings, mode, agents, plans: new TurnPlans(settings) };
    const steps = runFrom(state, run) as Observable<RunEvent<TOutput>>;
    // Each step gives its own errors the run's `partial` (no operator between the model's deltas
    // and the consumer: the pipeline bench counts every one).
    return settings.signal ? steps.pipe(abortOn(settings.signal, state)) : steps;
  });
}

/** The run from the state's next step to its end. */
function runFrom<TContext>(state: RunState, run: RunContext<TContext>): Observable<RunEvent<unknown>> {
  return defer(() => {
    const step = state.next;
    switch (step.type) {
      case 'call-model':
        return concat(modelTurn(state, run), runFrom(state, run));
      case 'run-tools':
        return concat(toolStep(step.calls, state, run), runFrom(state, run));
      case 'final-output':
        return of(finalOutputEvent(state, step.output));
    }
  });
}

/** The `final-output` step: the last event, with everything `run()` resolves to. */
function finalOutputEvent(state: RunState, output: unknown): FinalOutputEvent<unknown> {
  return {
    type: 'final-output',
    agent: state.agent,
    turn: state.turn,
    output,
    usage: state.usage,
    newItems: state.newItems.slice(),
    history: state.history,
    rawResponses: state.rawResponses.slice(),
  };
}

/**
 * Ends the run with `RunAbortedError` when `signal` aborts: the step in flight is unsubscribed
 * (its model call and tools aborted) before the error is delivered, and, since the listener is
 * added before the run starts, an abort from inside an event handler stops the run there.
 */
function abortOn<T>(signal: AbortSignal, state: RunState): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const abort = (): void => subscriber.error(withPartial(new RunAbortedError({ cause: signal.reason }), state));
      if (signal.aborted) return abort();
      // One listener per signal, shared by every run on it (see onAbort): no warning at 11 runs.
      subscriber.add(onAbort(signal, abort));
      return source.subscribe(subscriber);
    });
}

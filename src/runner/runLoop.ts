import { concat, defer, EMPTY, finalize, Observable, of, type OperatorFunction } from 'rxjs';
import { RunAbortedError } from '../errors.js';
import type { FinalOutputEvent, RunEvent, RunInterruptedEvent } from '../events.js';
import { userMessage, type InputItem } from '../items.js';
import { onAbort } from '../internal/onAbort.js';
import { AgentGraph } from './agentGraph.js';
import { AgentTools } from './agentTools.js';
import { LiveState } from './liveState.js';
import { withInputGuardrails } from './inputGuardrails.js';
import { modelTurn } from './modelTurn.js';
import { outputGuardrailChecks } from './outputGuardrails.js';
import { withPartial } from './partial.js';
import type { NestedRunner, RunContext, RunMode, RunSettings } from './runContext.js';
import type { RunStateData } from './runStateData.js';
import { loadSession, saveTurn, useServerConversation } from './sessionSteps.js';
import { stopAfterTurn } from './stopAfterTurn.js';
import { toolStep } from './toolStep.js';
import { TraceEnding, tracedAgent, tracedParts } from './tracedRun.js';
import { TurnPlans } from './turnRequest.js';
import { inOrder } from './inOrder.js';

/** Where a run starts: a new run's first agent and input, or a stored state it resumes. */
export type RunOrigin =
  { readonly startAgent: string; readonly input: readonly InputItem[] } | { readonly state: RunStateData };

/**
 * One run as a cold Observable of its events: each subscription is a run of its own, with a state
 * of its own (a resumed run's made again from the same data).
 *
 * The run is its steps, chained: each step is a cold Observable that emits the step's events and
 * leaves the decision of what follows in the state (`state.next`), and the next step is subscribed
 * only when the one before it completes. So unsubscribing ends the step in flight (its model call
 * or its tools) and no later step ever starts: "nothing after unsubscribe" is RxJS's own teardown.
 */
export function createRun<TOutput, TContext>(
  agents: AgentGraph<TContext>,
  origin: RunOrigin,
  settings: RunSettings<TContext>,
  mode: RunMode,
): Observable<RunEvent<TOutput>> {
  return defer(() => {
    const resumed = 'state' in origin;
    const state = resumed ? new LiveState(origin.state) : LiveState.start(origin.startAgent, origin.input);
    // Started first, in the subscriber's context: every span of the run is under its own.
    const trace = settings.tracing?.startRun({
      agent: tracedAgent(agents.get(state.agent)),
      resumed,
      nested: settings.nested,
    });
    const run: RunContext<TContext> = {
      settings,
      mode,
      agents,
      plans: new TurnPlans(settings),
      tools: new AgentTools(),
      nested: nestedRunner(settings, mode),
      trace,
      stop: { requested: false },
      serverHistory: settings.serverHistory,
    };
    const { session } = settings;
    // A session the model's server keeps is not read: the run names its conversation instead.
    const load = !session
      ? EMPTY
      : session.serverConversationId
        ? useServerConversation(session, run, state)
        : resumed
          ? EMPTY
          : loadSession(session, state);
    // A traced run's parts are sequenced by the trace's watcher instead of `concat`: tracing adds
    // no operator between the model's deltas and the consumer (the pipeline bench counts every
    // one). The watchers below fail the run outside the parts, so they tell its trace themselves.
    const ending = trace && new TraceEnding(trace);
    const parts = [load, runFrom(state, run)] as Observable<RunEvent<TOutput>>[];
    let steps = ending ? tracedParts(parts, ending) : inOrder(...parts);
    // Each step gives its own errors the run's `partial`.
    if (settings.stopAfterTurn) steps = steps.pipe(stopAfterTurn(settings.stopAfterTurn, run.stop, state, ending));
    // The MCP servers the run connected are closed when it ends, however it ends.
    if (agents.hasMcpServers) steps = steps.pipe(finalize(() => run.tools.close()));
    if (settings.signal) steps = steps.pipe(abortOn(settings.signal, state, ending));
    return steps;
  });
}

/**
 * How a run makes its nested runs (agents called as tools, `agentToolCall.ts`): each a run of its
 * own agent graph, under the parent's settings and mode (so a `runSync()`'s nested model calls
 * block the same way), with the parent's `context` and `approve`. It has no `signal`, session,
 * server-kept history or `stopAfterTurn` of its own: it ends when the parent's tool step
 * unsubscribes, and its items are the call's business, not the parent's conversation.
 */
function nestedRunner<TContext>(settings: RunSettings<TContext>, mode: RunMode): NestedRunner<TContext> {
  // Made at the first nested run: most runs have none, and every open run would hold it.
  let nestedSettings: RunSettings<TContext> | undefined;
  return (agent, input, maxTurns) => {
    nestedSettings ??= {
      ...settings,
      signal: undefined,
      stopAfterTurn: undefined,
      session: undefined,
      serverHistory: undefined,
      nested: true,
    };
    const agents = new AgentGraph(agent);
    const origin = { startAgent: agent.name, input: [userMessage(input)] };
    const events = createRun<unknown, TContext>(
      agents,
      origin,
      { ...nestedSettings, maxTurns: maxTurns ?? settings.nestedMaxTurns },
      mode,
    );
    return { agents, events };
  };
}

/**
 * The run from the state's next step to its end. Between turns — before a model call that is not
 * the first, before the final output, before stopping — the completed turn is saved to the run's
 * session; a run whose `stopAfterTurn` notifier emitted ends there, resumable.
 */
function runFrom<TContext>(state: LiveState, run: RunContext<TContext>): Observable<RunEvent<unknown>> {
  return defer(() => {
    const step = state.next;
    switch (step.type) {
      case 'call-model':
        if (run.stop.requested)
          return concat(
            completedTurnSaved(state, run),
            defer(() => of(interruptedEvent(state, 'stopped'))),
          );
        return inOrder(
          completedTurnSaved(state, run),
          withInputGuardrails(modelTurn(state, run), state, run),
          runFrom(state, run),
        );
      case 'run-tools':
        return concat(
          toolStep(step.calls, state, run),
          defer(() =>
            state.pendingApprovals.length > 0 ? of(interruptedEvent(state, 'approval')) : runFrom(state, run),
          ),
        );
      case 'final-output':
        // Checked before the turn is saved: a session keeps no answer that a guardrail stopped.
        return inOrder(
          outputGuardrailChecks(step.output, state, run),
          completedTurnSaved(state, run),
          defer(() => of(finalOutputEvent(state, step.output))),
        );
    }
  });
}

/** The turn that has just completed, saved to the run's session (a session the server keeps records it itself). */
function completedTurnSaved<TContext>(state: LiveState, run: RunContext<TContext>): Observable<never> {
  const { session } = run.settings;
  return session && !session.serverConversationId && state.turn > 0 ? saveTurn(session, state) : EMPTY;
}

/** The `final-output` step: the last event, with everything `run()` resolves to. */
function finalOutputEvent(state: LiveState, output: unknown): FinalOutputEvent<unknown> {
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

/** The last event of a run that stops resumable: its state, and what waits for a decision. */
function interruptedEvent(state: LiveState, reason: RunInterruptedEvent['reason']): RunInterruptedEvent {
  return {
    type: 'run-interrupted',
    agent: state.agent,
    turn: state.turn,
    reason,
    interruptions: state.pendingApprovals.slice(),
    state: state.toJSON(),
    usage: state.usage,
  };
}

/**
 * Ends the run with `RunAbortedError` when `signal` aborts: the step in flight is unsubscribed
 * (its model call and tools aborted) before the error is delivered, and, since the listener is
 * added before the run starts, an abort from inside an event handler stops the run there. The
 * run's trace, when it has one, is told first.
 */
function abortOn<T>(signal: AbortSignal, state: LiveState, ending: TraceEnding | undefined): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const abort = (): void => {
        const error = withPartial(new RunAbortedError({ cause: signal.reason }), state);
        ending?.end({ type: 'failed', error });
        subscriber.error(error);
      };
      if (signal.aborted) return abort();
      // One listener per signal, shared by every run on it (see onAbort): no warning at 11 runs.
      subscriber.add(onAbort(signal, abort));
      return source.subscribe(subscriber);
    });
}

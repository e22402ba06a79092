import type { Agent } from '../agent.js';
import type { FinalOutputEvent, RunInterruptedEvent } from '../events.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import type { Usage } from '../usage.js';
import type { RunState } from './runState.js';
import type { RunStateData, ToolApprovalRequest } from './runStateData.js';

/** What every run's result holds, whether it finished or was interrupted. */
interface RunResultBase<TAgent> {
  /** The items this run produced: assistant messages, function calls and their outputs, reasoning. */
  readonly newItems: readonly RunItem[];
  /** The input followed by the new items: ready to be the next run's input. */
  readonly history: readonly InputItem[];
  /** The agent that gave the final output, or was active when the run stopped. */
  readonly lastAgent: TAgent;
  /** Usage summed over every model call of the run. */
  readonly usage: Usage;
  /** Every model response, in order. */
  readonly rawResponses: readonly ModelResponse[];
}

/** A run that finished: it has its answer. */
export interface CompletedRunResult<TOutput = string, TContext = unknown> extends RunResultBase<
  Agent<unknown, TContext>
> {
  readonly status: 'completed';
  /** The answer: the last assistant message's text, or the structured output parsed by `outputType`. */
  readonly finalOutput: TOutput;
  readonly interruptions?: undefined;
  readonly state?: undefined;
}

/**
 * A run that stopped before its end, resumable: calls wait for approval (`reason: 'approval'`),
 * or its `stopAfterTurn` notifier emitted (`'stopped'`). Decide on `state` and run it again.
 */
export interface InterruptedRunResult<TContext = unknown> extends RunResultBase<Agent<unknown, TContext>> {
  readonly status: 'interrupted';
  readonly reason: 'approval' | 'stopped';
  readonly finalOutput?: undefined;
  /** The calls that wait for a decision (none when stopped). */
  readonly interruptions: readonly ToolApprovalRequest[];
  /** The run's state: decide on it (`approve`, `reject`), store it (`JSON.stringify`), run it again. */
  readonly state: RunState;
}

/**
 * What a run gave: narrow on `status` — `'completed'` has the `finalOutput`, `'interrupted'` the
 * `state` to resume from. A run with no tool that needs approval and no `stopAfterTurn` always
 * completes.
 */
export type RunResult<TOutput = string, TContext = unknown> =
  CompletedRunResult<TOutput, TContext> | InterruptedRunResult<TContext>;

/** A {@link CompletedRunResult} as plain data: `lastAgent` is the agent's name. */
export interface CompletedRunResultData<TOutput = string> extends RunResultBase<string> {
  readonly status: 'completed';
  readonly finalOutput: TOutput;
  readonly interruptions?: undefined;
  readonly state?: undefined;
}

/** An {@link InterruptedRunResult} as plain data: `lastAgent` is a name, `state` plain data. */
export interface InterruptedRunResultData extends RunResultBase<string> {
  readonly status: 'interrupted';
  readonly reason: 'approval' | 'stopped';
  readonly finalOutput?: undefined;
  readonly interruptions: readonly ToolApprovalRequest[];
  /** The run's state as plain data: `RunState.fromJSON(agent, result.state)` resumes it. */
  readonly state: RunStateData;
}

/**
 * A {@link RunResult} as plain data, as `toRunResult()` makes it from a run's events: the same
 * fields, with `lastAgent` the agent's name (events name agents; they carry no agent objects) and
 * an interrupted run's `state` as data.
 */
export type RunResultData<TOutput = string> = CompletedRunResultData<TOutput> | InterruptedRunResultData;

/** The result a `final-output` event carries, with `lastAgent` as given. */
export function runResultOf<TOutput, TAgent>(
  event: FinalOutputEvent<TOutput>,
  lastAgent: TAgent,
): RunResultBase<TAgent> & { readonly status: 'completed'; readonly finalOutput: TOutput } {
  return {
    status: 'completed',
    finalOutput: event.output,
    newItems: event.newItems,
    history: event.history,
    lastAgent,
    usage: event.usage,
    rawResponses: event.rawResponses,
  };
}

/** The result a `run-interrupted` event carries, with `lastAgent` and `state` as given. */
export function interruptedResultOf<TAgent, TState>(
  event: RunInterruptedEvent,
  lastAgent: TAgent,
  state: TState,
): RunResultBase<TAgent> & {
  readonly status: 'interrupted';
  readonly reason: 'approval' | 'stopped';
  readonly interruptions: readonly ToolApprovalRequest[];
  readonly state: TState;
} {
  return {
    status: 'interrupted',
    reason: event.reason,
    interruptions: event.interruptions,
    state,
    newItems: event.state.newItems,
    history: [...event.state.input, ...event.state.newItems],
    lastAgent,
    usage: event.usage,
    rawResponses: event.state.rawResponses,
  };
}

import type { GuardrailKind } from './guardrails.js';
import type { InputItem, RunItem } from './items.js';
import type { ModelResponse } from './model.js';
import type { RunStateData, ToolApprovalRequest } from './runner/runStateData.js';
import type { Usage } from './usage.js';

/**
 * Events of a run, as `runStreamed()` emits them: a discriminated union on `type`.
 *
 * Every event is plain, JSON-serializable data and carries the name of the `agent` that produced
 * it and the 1-based `turn` (model call number) it belongs to. Events hold no timestamps and no
 * random ids, so two runs of the same script give deep-equal events.
 */
interface RunEventBase {
  /** The name of the agent that was active when the event happened. */
  readonly agent: string;
  /** The 1-based number of the model call this event belongs to. */
  readonly turn: number;
  /**
   * Set on events of a nested run — an agent called as a tool (`agent.asTool()`) — to the
   * `callId` of the call that runs it; `agent` and `turn` are then the nested run's. A deeper
   * nesting's events keep their own, so the tree is built from the `tool-call` events. The nested
   * run's own `final-output` and `run-interrupted` are not forwarded: the call's `tool-output`
   * carries its result.
   */
  readonly parentCallId?: string;
}

/**
 * A model call is about to be made: emitted before each turn's request, so that a UI can show
 * "thinking…" and a tracer can open a span.
 */
export interface TurnStartedEvent extends RunEventBase {
  readonly type: 'turn-started';
}

/** An event exactly as the model's stream delivered it. */
export interface RawModelEvent extends RunEventBase {
  readonly type: 'raw';
  /** The model's `name`: `'openai-responses'`, `'openai-chat-completions'`, or a custom model's. */
  readonly source: string;
  /** The provider's event, untouched. */
  readonly data: unknown;
}

/** A new piece of assistant text. */
export interface TextDeltaEvent extends RunEventBase {
  readonly type: 'text-delta';
  readonly delta: string;
}

/**
 * The model asked for a tool; emitted after the turn's `turn-completed`, before the arguments are
 * validated and the tool runs. A handoff is not a tool call: it is reported by `agent-updated`.
 */
export interface ToolCallEvent extends RunEventBase {
  readonly type: 'tool-call';
  readonly callId: string;
  readonly name: string;
  /** The arguments parsed from JSON, or the raw string when they are not valid JSON. */
  readonly arguments: unknown;
}

/** What an error looks like inside an event: plain data, no stack. */
export interface EventError {
  readonly name: string;
  readonly message: string;
}

/**
 * A tool finished, failed, or was rejected. Emitted in completion order.
 *
 * A call that needed approval and was rejected did not run: `rejected` is `true` and `output` is
 * the text the model was sent instead (the rejection's message, or a default).
 */
export interface ToolOutputEvent extends RunEventBase {
  readonly type: 'tool-output';
  readonly callId: string;
  readonly name: string;
  /** The tool's own return value (`undefined` when it failed; the rejection text when rejected). */
  readonly output: unknown;
  /** Set when the arguments failed validation or the tool threw. */
  readonly error?: EventError;
  /**
   * `true` when the call was rejected: it needed approval and was refused, or a tool input
   * guardrail rejected it (the tool did not run), or a tool output guardrail replaced its output.
   */
  readonly rejected?: true;
  /** The name of the tool guardrail that rejected the call or its output. */
  readonly guardrail?: string;
}

/**
 * A call of a tool that needs approval (`needsApproval`) waits for a decision: the tool does not
 * run until it is approved. With the run's `approve` option the run waits for it (the turn's
 * other tools go on); without, the run ends with `run-interrupted` once the turn's other tools
 * have finished.
 */
export interface ToolApprovalRequestedEvent extends RunEventBase {
  readonly type: 'tool-approval-requested';
  /** The model's id for the call: what `state.approve(callId)` takes. */
  readonly callId: string;
  readonly name: string;
  /** The arguments, parsed and validated by the tool's schema. */
  readonly arguments: unknown;
}

/**
 * The run stopped before its end, resumable: the last event, instead of `final-output`.
 *
 * - `'approval'`: calls wait for a decision and the run has no `approve` option. Decide on the
 *   `state` (`RunState.fromJSON(agent, event.state)`, then `approve(callId)` or `reject(callId)`)
 *   and run it again: the approved tools run, and nothing already done is repeated.
 * - `'stopped'`: the `stopAfterTurn` notifier emitted; the turn in flight finished first.
 */
export interface RunInterruptedEvent extends RunEventBase {
  readonly type: 'run-interrupted';
  readonly reason: 'approval' | 'stopped';
  /** The calls that wait for a decision (none when `reason` is `'stopped'`). */
  readonly interruptions: readonly ToolApprovalRequest[];
  /** The run's state as plain data: store it, and resume from it with `RunState.fromJSON`. */
  readonly state: RunStateData;
  /** Usage summed over the run so far. */
  readonly usage: Usage;
}

/**
 * A handoff switched the active agent; `agent` is the new one. It is the only event of a handoff:
 * the model's `transfer_to_…` call is not reported as a `tool-call`.
 */
export interface AgentUpdatedEvent extends RunEventBase {
  readonly type: 'agent-updated';
  /** The name of the agent that handed off. */
  readonly from: string;
  /** The id of the model's `transfer_to_…` call that asked for the handoff. */
  readonly callId: string;
}

/** One model response finished. */
export interface TurnCompletedEvent extends RunEventBase {
  readonly type: 'turn-completed';
  readonly responseId?: string;
  /** Usage of this response alone. */
  readonly usage: Usage;
}

/**
 * A model call that had already streamed output failed, and is being made again (the run's
 * `retry` option with `afterOutput: true`). Drop the text this turn has shown so far: the retry
 * streams the turn from its beginning, under the same `turn` number.
 *
 * The run drops it too: from this event on, the run's text (and so `partial.text` of an error that
 * ends the run later) no longer holds the restarted attempt's deltas, so it always equals what a
 * UI that honours this event shows. `raw` events of the failed attempt are not taken back.
 *
 * A call that failed before any `text-delta` is retried silently, without this event.
 */
export interface TurnRestartedEvent extends RunEventBase {
  readonly type: 'turn-restarted';
  /** Why: the error that ended the failed attempt, as plain data. */
  readonly reason: EventError;
  /** The number of the attempt that follows (2 for the first retry), counting silent retries too. */
  readonly attempt: number;
}

/**
 * The run's answer: exactly once, last, when the run succeeds. It carries everything `run()`
 * resolves to (as plain data, `agent` naming the last agent), so that a streamed run — on either
 * side of a server-sent-event connection — can continue the conversation: see `toRunResult()`.
 */
export interface FinalOutputEvent<TOutput = string> extends RunEventBase {
  readonly type: 'final-output';
  readonly output: TOutput;
  /** Usage summed over the whole run. */
  readonly usage: Usage;
  /** The items this run produced. */
  readonly newItems: readonly RunItem[];
  /** The run's input followed by its new items: ready to be the next run's input. */
  readonly history: readonly InputItem[];
  /** Every model response of the run, in order. */
  readonly rawResponses: readonly ModelResponse[];
}

/**
 * A guardrail checked something: the run's input (`'input'`), its final output (`'output'`), the
 * text while it streamed (`'stream'`), or a tool call (`'tool'`, with its `callId`). Emitted for
 * every check, passed or tripped, so a UI and a trace can show it; a trip then fails the run.
 */
export interface GuardrailEvent extends RunEventBase {
  readonly type: 'guardrail';
  /** The guardrail's `name`. */
  readonly name: string;
  readonly kind: GuardrailKind;
  readonly tripwireTriggered: boolean;
  /** What the check reported (its `outputInfo`), when it reported anything. */
  readonly outputInfo?: unknown;
  /** The tool call a tool guardrail checked. */
  readonly callId?: string;
  /**
   * A tool guardrail's decision: `'allow'`, `'reject'` (the call or its output was replaced by a
   * message) or `'stop'` (the run fails); `tripwireTriggered` is `true` unless it is `'allow'`.
   */
  readonly behavior?: 'allow' | 'reject' | 'stop';
}

/** Any event of a run whose final output is a `TOutput`. */
export type RunEvent<TOutput = string> =
  | TurnStartedEvent
  | RawModelEvent
  | TextDeltaEvent
  | ToolCallEvent
  | ToolOutputEvent
  | AgentUpdatedEvent
  | TurnCompletedEvent
  | TurnRestartedEvent
  | ToolApprovalRequestedEvent
  | RunInterruptedEvent
  | GuardrailEvent
  | FinalOutputEvent<TOutput>;

/** The `type` of any run event. */
export type RunEventType = RunEvent['type'];

import type { EventError } from '../events.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import type { Usage } from '../usage.js';
import type { NextStep } from './nextStep.js';

/** The version of {@link RunStateData} this package writes and reads. */
export const runStateVersion = 2;

/** A call of a tool that needs approval, waiting for a person's (or a system's) decision. */
export interface ToolApprovalRequest {
  /** The name of the agent whose turn called the tool. */
  readonly agent: string;
  /** The model's id for the call: what `state.approve(callId)` and `state.reject(callId)` take. */
  readonly callId: string;
  /** The tool's name. */
  readonly name: string;
  /** The arguments, parsed and validated by the tool's schema. */
  readonly arguments: unknown;
}

/** A decision on a {@link ToolApprovalRequest}, as the state stores it until the call is carried out. */
export interface ApprovalDecisionData {
  readonly callId: string;
  readonly approved: boolean;
  /** For a rejection: what the model is told instead of the tool's output. */
  readonly message?: string;
}

/** The output of a call of the current `run-tools` step that has already run (or been rejected). */
export interface ToolOutputData {
  readonly callId: string;
  /** The text the model is sent for the call. */
  readonly output: string;
  /**
   * The tool's own return value, kept only for an agent whose `toolUseBehavior` may make it the
   * final output (so a resumed run can). A state without it (an older one) offers `output`.
   */
  readonly value?: unknown;
  /** Set when the call failed. */
  readonly error?: EventError;
  /** `true` when the call, or its output, was rejected (approval refused, a tool guardrail). */
  readonly rejected?: true;
}

/**
 * A run's state as plain data: what `RunState.toJSON()` gives and a stored run resumes from. It
 * holds no functions and nothing of a model client (no API key): agents are named, not held.
 */
export interface RunStateData {
  /** The shape's version: 2. A state of another version is refused by `RunState.fromJSON`. */
  readonly version: typeof runStateVersion;
  /** The name of the active agent (the run's agents are found by name in its agent graph). */
  readonly agent: string;
  /** Model calls made so far. */
  readonly turn: number;
  /** What the run started from (after a session's items, when it has a session). */
  readonly input: readonly InputItem[];
  /** The items the run has produced, in order. */
  readonly newItems: readonly RunItem[];
  /** Usage summed over the model responses so far (and failed calls that reported some). */
  readonly usage: Usage;
  /** Every model response so far, in order. */
  readonly rawResponses: readonly ModelResponse[];
  /** The agents that have called a tool in this run (their forced `toolChoice` is then reset). */
  readonly toolUse: readonly string[];
  /** What the run does next. */
  readonly next: NextStep;
  /** Outputs of the calls of the current `run-tools` step that have run: they are not run again. */
  readonly toolOutputs: readonly ToolOutputData[];
  /** Calls of the current step that wait for a decision. */
  readonly pendingApprovals: readonly ToolApprovalRequest[];
  /** Decisions given and not yet carried out. */
  readonly approvals: readonly ApprovalDecisionData[];
  /** How many items of the history (`input`, then `newItems`) the run's session holds. */
  readonly sessionItems: number;
}

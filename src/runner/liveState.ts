import type { RunPartial } from '../errors.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import { addUsage, emptyUsage, type Usage } from '../usage.js';
import type { NextStep } from './nextStep.js';
import {
  runStateVersion,
  type ApprovalDecisionData,
  type RunStateData,
  type ToolApprovalRequest,
  type ToolOutputData,
} from './runStateData.js';
import { RunText } from './runText.js';

/** What the state holds of a finished call: the text the model is sent, and what a stopping rule reads. */
export type ToolOutputRecord = Omit<ToolOutputData, 'callId'>;

/**
 * Everything a run knows while it runs in this process, one per run: the active agent (by name),
 * the turn, the input and the items produced, usage, the model responses, the step to take next,
 * and, within a `run-tools` step, the outputs of the calls that ran and the approvals asked for
 * and given.
 *
 * The loop's steps read and update it; nothing else about a run lives anywhere else, except the
 * text streamed in this process (for an error's `partial.text`), which is not part of the data.
 * {@link toJSON} gives it as plain data that survives `JSON.stringify` and `JSON.parse`; the
 * public `RunState` is that data, checked, for users to store, decide on and resume.
 *
 * Internal to the runner.
 */
export class LiveState {
  agent: string;
  turn: number;
  input: readonly InputItem[];
  readonly newItems: RunItem[];
  usage: Usage;
  readonly rawResponses: ModelResponse[];
  next: NextStep;
  /** The current step's calls that wait for a decision, in the order they were asked for. */
  readonly pendingApprovals: ToolApprovalRequest[];
  /** How many items of the history the run's session holds. */
  sessionItems: number;
  /** The text deltas streamed by this run (not part of the data). */
  readonly text = new RunText();

  // Made when first used: most runs call no tool, and an empty Map is about 190 bytes of every
  // open run (the memory bench holds 500 of them).
  #toolUse: Set<string> | undefined;
  #toolOutputs: Map<string, ToolOutputRecord> | undefined;
  #approvals: Map<string, ApprovalDecisionData> | undefined;

  constructor(data: RunStateData) {
    this.agent = data.agent;
    this.turn = data.turn;
    this.input = data.input.slice();
    this.newItems = data.newItems.slice();
    this.usage = data.usage;
    this.rawResponses = data.rawResponses.slice();
    if (data.toolUse.length > 0) this.#toolUse = new Set(data.toolUse);
    this.next = data.next;
    if (data.toolOutputs.length > 0) {
      this.#toolOutputs = new Map(data.toolOutputs.map(({ callId, ...record }) => [callId, record]));
    }
    this.pendingApprovals = data.pendingApprovals.slice();
    if (data.approvals.length > 0) {
      this.#approvals = new Map(data.approvals.map((decision) => [decision.callId, decision]));
    }
    this.sessionItems = data.sessionItems;
  }

  /** The agents that have called a function tool (for `toolUseBehavior` and `toolChoice` resets). */
  get toolUse(): Set<string> {
    return (this.#toolUse ??= new Set());
  }

  /** The outputs of the current `run-tools` step's finished calls, by call id. */
  get toolOutputs(): Map<string, ToolOutputRecord> {
    return (this.#toolOutputs ??= new Map());
  }

  /** Decisions given and not carried out yet, by call id. */
  get approvals(): Map<string, ApprovalDecisionData> {
    return (this.#approvals ??= new Map());
  }

  /**
   * The state of a run that has not started: its first step is a model call. `sessionItems` of
   * the input came from the run's session (they lead the input).
   */
  static start(agent: string, input: readonly InputItem[], sessionItems = 0): LiveState {
    return new LiveState({
      version: runStateVersion,
      agent,
      turn: 0,
      input,
      newItems: [],
      usage: emptyUsage,
      rawResponses: [],
      toolUse: [],
      next: { type: 'call-model' },
      toolOutputs: [],
      pendingApprovals: [],
      approvals: [],
      sessionItems,
    });
  }

  /** The input followed by the new items: the conversation the next model call is sent. */
  get history(): InputItem[] {
    return this.input.concat(this.newItems);
  }

  /** Records a finished model response: its items join the new items, its usage the sum. */
  recordResponse(response: ModelResponse): void {
    this.rawResponses.push(response);
    this.usage = addUsage(this.usage, response.usage);
    this.addItems(response.output);
  }

  /**
   * Adds the usage a failed model call's error reports (a response cut at `max_output_tokens` was
   * still paid for), so that the error's `partial.usage` holds it.
   */
  recordFailedCall(error: unknown): void {
    const usage = typeof error === 'object' && error !== null ? (error as { usage?: unknown }).usage : undefined;
    if (isUsage(usage)) this.usage = addUsage(this.usage, usage);
  }

  /** The items a session gave, before the first model call: they lead the input, and are saved already. */
  prependSessionItems(items: readonly InputItem[]): void {
    this.input = [...items, ...this.input];
    this.sessionItems += items.length;
  }

  addItems(items: readonly RunItem[]): void {
    for (const item of items) this.newItems.push(item);
  }

  /** What the run has produced so far, for the error that ends it. */
  partial(): RunPartial {
    return { text: this.text.value, newItems: this.newItems.slice(), usage: this.usage };
  }

  /** The state as plain, JSON-serializable data. */
  toJSON(): RunStateData {
    return {
      version: runStateVersion,
      agent: this.agent,
      turn: this.turn,
      input: this.input.slice(),
      newItems: this.newItems.slice(),
      usage: this.usage,
      rawResponses: this.rawResponses.slice(),
      toolUse: [...(this.#toolUse ?? [])],
      next: this.next,
      toolOutputs: [...(this.#toolOutputs ?? [])].map(([callId, record]) => ({ callId, ...record })),
      pendingApprovals: this.pendingApprovals.slice(),
      approvals: [...(this.#approvals?.values() ?? [])],
      sessionItems: this.sessionItems,
    };
  }
}

function isUsage(value: unknown): value is Usage {
  if (typeof value !== 'object' || value === null) return false;
  const usage = value as Record<keyof Usage, unknown>;
  return (['requests', 'inputTokens', 'outputTokens', 'totalTokens'] as const).every(
    (key) => typeof usage[key] === 'number',
  );
}

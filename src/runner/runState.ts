import type { RunPartial } from '../errors.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import { addUsage, emptyUsage, type Usage } from '../usage.js';
import type { NextStep } from './nextStep.js';
import { RunText } from './runText.js';

/** A run's state as plain data: what {@link RunState.toJSON} gives and a stored run resumes from. */
export interface RunStateData {
  /** The shape's version, for readers of stored states. */
  readonly version: 1;
  /** The name of the active agent (the run's agents are found by name in its agent graph). */
  readonly agent: string;
  /** Model calls made so far. */
  readonly turn: number;
  /** What the run started from. */
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
}

/**
 * Everything a run knows, one per run: the active agent (by name), the turn, the input and the
 * items produced, usage, the model responses, and the step to take next.
 *
 * The loop's steps read and update it; nothing else about a run lives anywhere else, except the
 * text streamed in this process (for an error's `partial.text`), which is not part of the data.
 * {@link toJSON} gives it as plain data that survives `JSON.stringify` and `JSON.parse`.
 *
 * Internal to the runner.
 */
export class RunState {
  agent: string;
  turn: number;
  readonly input: readonly InputItem[];
  readonly newItems: RunItem[];
  usage: Usage;
  readonly rawResponses: ModelResponse[];
  readonly toolUse: Set<string>;
  next: NextStep;
  /** The text deltas streamed by this run (not part of the data). */
  readonly text = new RunText();

  constructor(data: RunStateData) {
    this.agent = data.agent;
    this.turn = data.turn;
    this.input = data.input.slice();
    this.newItems = data.newItems.slice();
    this.usage = data.usage;
    this.rawResponses = data.rawResponses.slice();
    this.toolUse = new Set(data.toolUse);
    this.next = data.next;
  }

  /** The state of a run that has not started: its first step is a model call. */
  static start(agent: string, input: readonly InputItem[]): RunState {
    return new RunState({
      version: 1,
      agent,
      turn: 0,
      input,
      newItems: [],
      usage: emptyUsage,
      rawResponses: [],
      toolUse: [],
      next: { type: 'call-model' },
    });
  }

  /** The input followed by the new items: the conversation the next model call is sent. */
  get history(): InputItem[] {
    return [...this.input, ...this.newItems];
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
      version: 1,
      agent: this.agent,
      turn: this.turn,
      input: this.input.slice(),
      newItems: this.newItems.slice(),
      usage: this.usage,
      rawResponses: this.rawResponses.slice(),
      toolUse: [...this.toolUse],
      next: this.next,
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

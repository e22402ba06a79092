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

/** The model asked for a tool; emitted before the arguments are validated and the tool runs. */
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

/** A tool finished or failed. Emitted in completion order. */
export interface ToolOutputEvent extends RunEventBase {
  readonly type: 'tool-output';
  readonly callId: string;
  readonly name: string;
  /** The tool's own return value (`undefined` when it failed). */
  readonly output: unknown;
  /** Set when the arguments failed validation or the tool threw. */
  readonly error?: EventError;
}

/** A handoff switched the active agent; `agent` is the new one. */
export interface AgentUpdatedEvent extends RunEventBase {
  readonly type: 'agent-updated';
  /** The name of the agent that handed off. */
  readonly from: string;
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

/** The run's answer: exactly once, last, when the run succeeds. */
export interface FinalOutputEvent<TOutput = string> extends RunEventBase {
  readonly type: 'final-output';
  readonly output: TOutput;
  /** Usage summed over the whole run. */
  readonly usage: Usage;
}

/** Any event of a run whose final output is a `TOutput`. */
export type RunEvent<TOutput = string> =
  | RawModelEvent
  | TextDeltaEvent
  | ToolCallEvent
  | ToolOutputEvent
  | AgentUpdatedEvent
  | TurnCompletedEvent
  | TurnRestartedEvent
  | FinalOutputEvent<TOutput>;

/** The `type` of any run event. */
export type RunEventType = RunEvent['type'];

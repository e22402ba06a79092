import type { Observable } from 'rxjs';
import type { RunEvent } from './events.js';
import type { Model, ModelEvent, ModelRequest } from './model.js';
import { InvalidArgumentError } from './errors.js';

/**
 * What a run tells a tracer: `rxjs-agents/otel`'s `openTelemetry()` is one, and any object of
 * this shape is another (a tracer of your own, a test's recorder).
 *
 * Given as `new Runner({ tracing })` or a run's `tracing` option. A runner without one calls
 * nothing of it: tracing off costs nothing.
 *
 * ```ts
 * import { openTelemetry } from 'rxjs-agents/otel';
 * const runner = new Runner({ tracing: openTelemetry() });
 * ```
 */
export interface Tracing {
  /**
   * A run starts: called when its Observable is subscribed (each subscription is a run), in the
   * caller's context, before anything else of the run. A nested run (an agent called as a tool)
   * starts while its tool call's {@link RunTrace.toolCall} is being subscribed.
   */
  startRun(start: TracedRunStart): RunTrace;
}

/** The run that starts. */
export interface TracedRunStart {
  /** The agent the run starts with (a resumed run's: the agent it resumes). */
  readonly agent: TracedAgent;
  /** Whether the run resumes a stored state. */
  readonly resumed: boolean;
  /** Whether the run is an agent called as a tool by another run. */
  readonly nested: boolean;
}

/** An agent, as a trace names it. */
export interface TracedAgent {
  readonly name: string;
  /** Its `handoffDescription`, when it has one. */
  readonly description?: string;
  /** `'json'` for an agent with an `outputType`, `'text'` otherwise. */
  readonly outputType: 'text' | 'json';
}

/**
 * One run's trace, from {@link Tracing.startRun} to {@link RunTrace.end}. Its methods are called
 * synchronously, in the order of the run's steps; none may throw (a tracer's failure must not fail
 * the run it watches).
 */
export interface RunTrace {
  /**
   * Each event of the run, as it is emitted, but its `raw` and `text-delta` events: those are a
   * model call's, which {@link RunTrace.modelCall}'s attempt carries (as `raw` and `text-delta`
   * model events). A nested run's forwarded events are its own trace's.
   */
  event(event: RunEvent<unknown>): void;
  /**
   * One attempt of a model call (a retry is an attempt of its own): return `attempt`, observed.
   * Subscribe it in whatever context its request should run in (the OpenAI models start their
   * HTTP request while they are subscribed).
   */
  modelCall(call: TracedModelCall, attempt: Observable<ModelEvent>): Observable<ModelEvent>;
  /**
   * One tool call, from its input guardrails to its `tool-output` event (a nested run's events
   * for an agent called as a tool): return `execution`, observed. The tool's `execute` runs while
   * it is subscribed.
   */
  toolCall(call: TracedToolCall, execution: Observable<RunEvent<unknown>>): Observable<RunEvent<unknown>>;
  /** The run ended: how. Called once, last. */
  end(end: RunTraceEnd): void;
}

/** A model call's attempt. */
export interface TracedModelCall {
  /** The agent that calls the model. */
  readonly agent: TracedAgent;
  /** The run's turn (1-based model call number). */
  readonly turn: number;
  /** The attempt's number within the turn: 1, then 2 for the first retry. */
  readonly attempt: number;
  readonly model: Model;
  readonly request: ModelRequest;
}

/** A tool call. */
export interface TracedToolCall {
  /** The agent whose turn asked for it. */
  readonly agent: string;
  readonly turn: number;
  readonly callId: string;
  readonly name: string;
  readonly description: string;
  /** `'function'` for a function tool, `'agent'` for an agent called as a tool, `'mcp'` for an MCP server's tool. */
  readonly kind: 'function' | 'agent' | 'mcp';
  /** The arguments as the model sent them (JSON text). */
  readonly arguments: string;
}

/**
 * How a run ended: `completed` with its `final-output`, `interrupted` with `run-interrupted`,
 * `failed` with its error, `cancelled` when it was unsubscribed before it ended.
 */
export type RunTraceEnd =
  | { readonly type: 'completed' }
  | { readonly type: 'interrupted' }
  | { readonly type: 'failed'; readonly error: unknown }
  | { readonly type: 'cancelled' };

/**
 * The `tracing` option, checked where it is given: a {@link Tracing} (an object with a
 * `startRun` function), or `undefined` for `undefined` and `false`.
 *
 * @throws InvalidArgumentError naming `argument` for anything else.
 */
export function checkTracing(value: unknown, argument: string): Tracing | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as Tracing).startRun !== 'function') {
    throw new InvalidArgumentError({
      argument,
      message: "tracing must be a Tracing (for example openTelemetry() from 'rxjs-agents/otel'), or false for none.",
    });
  }
  return value as Tracing;
}

import type { Observable, SchedulerLike } from 'rxjs';
import type { GuardrailsConfig } from '../guardrails.js';
import type { Agent } from '../agent.js';
import type { RunEvent } from '../events.js';
import type { Model, ModelEvent, ModelProvider, ModelRequest, ModelSettings } from '../model.js';
import type { AgentGraph } from './agentGraph.js';
import type { AgentTools } from './agentTools.js';
import type { ModelCallEvent } from './retryModelCall.js';
import type { Session } from '../session.js';
import type { Approver, ToolErrorPolicy } from './runOptions.js';
import type { ServerHistory } from './serverHistory.js';
import type { TurnPlans } from './turnRequest.js';
import type { RunTrace, Tracing } from '../tracing.js';

/**
 * Makes one model call of a run, under the run's policy; `observe`, when given, is handed each
 * attempt (a tracer's `modelCall`) and returns it observed.
 */
export type ModelCaller = (
  model: Model,
  request: ModelRequest,
  observe?: AttemptObserver,
) => Observable<ModelCallEvent>;

/** Observes one attempt of a model call (see `RunTrace.modelCall`). */
export type AttemptObserver = (attempt: Observable<ModelEvent>) => Observable<ModelEvent>;

/** What a run takes from its runner and options, resolved once when the run is made. */
export interface RunSettings<TContext> {
  /** Resolves model names; `undefined` when neither the run nor its runner has a provider. */
  readonly modelProvider: ModelProvider | undefined;
  readonly defaultModel: string;
  readonly modelSettings: ModelSettings;
  readonly maxTurns: number;
  /** The `maxTurns` of a nested run (an agent called as a tool) that sets none: the runner's. */
  readonly nestedMaxTurns: number;
  readonly toolErrors: ToolErrorPolicy;
  readonly context: TContext;
  readonly signal: AbortSignal | undefined;
  /** The most characters of text one model response may stream (`maxOutputCharacters`). */
  readonly maxOutputCharacters: number;
  /** Decides on calls that need approval, while the run waits; without it, the run interrupts. */
  readonly approve: Approver | undefined;
  /** When it emits, the run stops after the turn in flight. */
  readonly stopAfterTurn: Observable<unknown> | undefined;
  /** Where the conversation is kept between runs. */
  readonly session: Session | undefined;
  /** Whether the model's server keeps the conversation (`previousResponseId`, `conversationId`). */
  readonly serverHistory?: ServerHistory | undefined;
  /** The runner's guardrails, checked for every agent besides the agent's own. */
  readonly guardrails: RunnerGuardrails<TContext>;
  /** What traces the run's runs (`undefined`: nothing, and none of it is called). */
  readonly tracing: Tracing | undefined;
  /** Whether this is a nested run (an agent called as a tool), for its trace. */
  readonly nested: boolean;
  /**
   * What each model call attempt waits for before it is made, and reports its usage to: a batch's
   * rate limits (`runBatch`); nested runs share it.
   */
  readonly modelCallGate?: ModelCallGate | undefined;
  /**
   * What the run calls in place of each agent's model: the Batch API engine's line-making model
   * (`runBatch` with `engine`); nested runs share it.
   */
  readonly modelOf?: ((model: Model) => Model) | undefined;
}

/** Lets one model call attempt through (a batch's rate limits): the attempt, gated. */
export type ModelCallGate = (request: ModelRequest, attempt: Observable<ModelEvent>) => Observable<ModelEvent>;

/** The guardrails a `Runner` adds to every agent's. */
export type RunnerGuardrails<TContext> = Required<GuardrailsConfig<unknown, TContext>>;

/**
 * How a mode carries out what the loop asks for: `run()`/`runStreamed()` make them asynchronously
 * (`asyncMode.ts`), `runSync()` on the calling thread or a worker (`sync/syncMode.ts`). The loop
 * knows nothing else of the mode it runs in.
 */
export interface RunMode {
  /** Makes one model call under the run's idle timeout and retries. */
  readonly callModel: ModelCaller;
  /** Where tools' `timeoutMs` timers run; `undefined` where tools cannot be timed. */
  readonly toolScheduler: SchedulerLike | undefined;
  /** A tool's return value (a value, a Promise or an Observable) as an Observable of its result. */
  readonly toolResult: (result: unknown, toolName: string) => Observable<unknown>;
  /**
   * A decision (`needsApproval`'s, `approve`'s: a value, a Promise or an Observable) as an
   * Observable of its first value; `source` names who gave it, for the error that refuses it.
   */
  readonly decision: (decision: unknown, source: string) => Observable<unknown>;
  /**
   * A check's answer (a guardrail's: a value, a Promise or an Observable) as an Observable of its
   * last value; `source` names who gave it, for the error that refuses it.
   */
  readonly answer: (answer: unknown, source: string) => Observable<unknown>;
}

/**
 * Everything a run's steps share besides its state; made once per run (only `stop` and, before
 * the first model call, `serverHistory` change).
 */
export interface RunContext<TContext> {
  readonly settings: RunSettings<TContext>;
  readonly mode: RunMode;
  readonly agents: AgentGraph<TContext>;
  readonly plans: TurnPlans<TContext>;
  /** Each agent's tools, its MCP servers' included, resolved once per run. */
  readonly tools: AgentTools<TContext>;
  /** Makes a nested run of this run (an agent called as a tool): see `nestedRun` in `runLoop.ts`. */
  readonly nested: NestedRunner<TContext>;
  /** This run's trace, when the run is traced. */
  readonly trace: RunTrace | undefined;
  /** Set when `stopAfterTurn` emitted: the run ends before its next model call. */
  readonly stop: { requested: boolean };
  /**
   * Whether the model's server keeps the conversation: the run options', or, for a session whose
   * server keeps its items (`serverConversationId`), its conversation once resolved.
   */
  serverHistory: ServerHistory | undefined;
}

/** A nested run, cold, with the agents it can reach (to find its last agent by name). */
export interface NestedRun<TContext> {
  readonly agents: AgentGraph<TContext>;
  readonly events: Observable<RunEvent<unknown>>;
}

/**
 * Makes a nested run of `agent` on `input` (a user message) under the parent run's settings and
 * mode; `maxTurns` `undefined` is the runner's.
 *
 * @throws InvalidArgumentError when two agents `agent` reaches share a name.
 */
export type NestedRunner<TContext> = (
  agent: Agent<unknown, TContext>,
  input: string,
  maxTurns: number | undefined,
) => NestedRun<TContext>;

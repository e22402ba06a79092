import { defer, filter, map, tap, type Observable } from 'rxjs';
import { Agent } from '../agent.js';
import { InvalidArgumentError, NoFinalOutputError, SyncRunError, type AgentsError } from '../errors.js';
import type { FinalOutputEvent, RunEvent, RunInterruptedEvent } from '../events.js';
import { AgentGraph } from './agentGraph.js';
import { asyncMode } from './asyncMode.js';
import { checkedGuardrails } from '../guardrails.js';
import type { RunMode, RunnerGuardrails } from './runContext.js';
import { createRun, type RunOrigin } from './runLoop.js';
import { toInputItems, type RunInput } from './runInput.js';
import { readRunStateData } from './readRunState.js';
import { RunState } from './runState.js';
import {
  checkRunOptions,
  checkSharedRunSettings,
  defaultMaxOutputCharacters,
  retryPolicy,
  type RunnerConfig,
  type RunOptions,
} from './runOptions.js';
import { interruptedResultOf, runResultOf, type RunResult } from './runResult.js';
import { refuseAsyncTools } from './sync/asyncTools.js';
import { syncMode } from './sync/syncMode.js';
import { serverHistoryOf } from './serverHistory.js';
import type { ModelCallPolicy } from './retryModelCall.js';
import { batchEvents, type ItemCalls } from '../batch/batchEvents.js';
import { checkBatchOptions } from '../batch/batchOptions.js';
import type { BatchEvent, BatchItems, BatchOptions } from '../batch/batchTypes.js';

const defaultMaxTurns = 10;
const defaultModel = 'gpt-4.1-mini';

/**
 * Runs agents, in the three modes of OpenAI's Agents SDK: streamed (`runStreamed`, an Observable
 * of events), async (`run`, a Promise) and sync (`runSync`, blocking). It holds the defaults its
 * runs share: the model provider, the default model, settings, `maxTurns`, `toolErrors`.
 *
 * ```ts
 * const runner = new Runner({ modelProvider: new OpenAIProvider({ useResponses: false }), maxTurns: 5 });
 * const result = await runner.run(agent, 'Where should I go in May?');
 * ```
 *
 * A `Runner` resolves model names with its `modelProvider` (or the run's); without one, its agents
 * must be given a `Model`. The module functions `run`, `runStreamed` and `runSync` use a runner
 * whose provider is OpenAI's ({@link getDefaultRunner}). So a `Runner` of your own with your own
 * models does not bring the `openai` SDK into your bundle.
 */
export class Runner {
  readonly config: RunnerConfig;
  readonly #guardrails: RunnerGuardrails<unknown>;

  /** @throws InvalidArgumentError naming the field that is wrong. */
  constructor(config: RunnerConfig = {}) {
    if (typeof config !== 'object' || config === null) {
      throw new InvalidArgumentError({ argument: 'config', message: 'new Runner() takes an object of defaults.' });
    }
    checkSharedRunSettings(config, '');
    if (config.model !== undefined && (typeof config.model !== 'string' || config.model === '')) {
      throw new InvalidArgumentError({
        argument: 'model',
        message: 'the default model must be a non-empty model name.',
      });
    }
    this.config = config;
    this.#guardrails = checkedGuardrails(config, 'the Runner');
  }

  /**
   * Streamed mode: the run as a cold Observable of its events. Nothing happens until subscription;
   * each subscription is a run of its own; unsubscribing aborts the model call in flight and the
   * running tools' `signal`, and nothing is emitted or started afterwards.
   *
   * @throws InvalidArgumentError (at once, not on subscription) for a bad agent, input or options.
   */
  runStreamed<TOutput, TContext = unknown>(
    agent: Agent<TOutput, TContext>,
    input: RunInput | RunState,
    options?: RunOptions<TContext>,
  ): Observable<RunEvent<TOutput>> {
    return this.#createRun(agent, input, options, (policy) => asyncMode(policy, options?.scheduler)).events;
  }

  /**
   * Async mode: the run as a Promise of its {@link RunResult}: the Promise form of the same
   * Observable. It rejects with the error that ended the run (its `partial` holds what the run
   * had produced), or with `RunAbortedError` when `options.signal` aborts.
   *
   * @throws InvalidArgumentError (at once, not as a rejection) for a bad agent, input or options.
   */
  run<TOutput, TContext = unknown>(
    agent: Agent<TOutput, TContext>,
    input: RunInput | RunState,
    options?: RunOptions<TContext>,
  ): Promise<RunResult<TOutput, TContext>> {
    const results = this.#createRun(agent, input, options, (policy) => asyncMode(policy, options?.scheduler)).results();
    return new Promise((resolve, reject) => {
      let result: RunResult<TOutput, TContext> | undefined;
      results.subscribe({
        next: (finished) => (result = finished),
        error: reject,
        complete: () => (result ? resolve(result) : reject(new NoFinalOutputError())),
      });
    });
  }

  /**
   * Sync mode: blocks the calling thread until the run ends and returns its {@link RunResult}, the
   * way the Python SDK's `Runner.run_sync` does.
   *
   * In Node, the OpenAI models' HTTP calls are carried out on a worker thread while this thread
   * waits; other models must complete their stream synchronously (as `fakeModel` does). Tools run
   * on this thread and must be synchronous. Where that is impossible (a browser, an asynchronous
   * tool or model), it throws a `SyncRunError` that says to use `run()`.
   *
   * @throws The error that ended the run, with its `partial`.
   */
  runSync<TOutput, TContext = unknown>(
    agent: Agent<TOutput, TContext>,
    input: RunInput | RunState,
    options?: RunOptions<TContext>,
  ): RunResult<TOutput, TContext> {
    if (options?.session !== undefined) {
      throw new SyncRunError({
        message: "runSync() cannot use a session: a session's methods return Promises. Use run() with a session.",
      });
    }
    const results = this.#createRun(agent, input, options, syncMode).results();
    refuseAsyncTools(agent);
    let result: RunResult<TOutput, TContext> | undefined;
    let ended = false;
    // Every error that ends a run is an AgentsError (createRun wraps any other).
    let failure: AgentsError | undefined;
    const subscription = results.subscribe({
      next: (finished) => (result = finished),
      error: (error: unknown) => {
        ended = true;
        failure = error as AgentsError;
      },
      complete: () => (ended = true),
    });
    if (!ended) {
      subscription.unsubscribe();
      throw new SyncRunError({
        message:
          'runSync() could not finish the run synchronously: a model, tool or instructions function answered asynchronously. ' +
          'Use run() for asynchronous models and tools.',
      });
    }
    if (failure !== undefined) throw failure;
    if (!result) throw new NoFinalOutputError();
    return result;
  }

  /**
   * Batch mode: many inputs, each a run of `agent`, at most `concurrency` at once and paced to the
   * account's rate limits, as a cold Observable of the batch's events — `item-completed` and
   * `item-failed` in completion order (one failing item never stops the others), `batch-progress`
   * now and then, `batch-completed` last. Unsubscribing cancels every run in flight.
   *
   * ```ts
   * runner.runBatch(agent, questions, { concurrency: 16, requestsPerMinute: 500 }).subscribe((event) => {
   *   if (event.type === 'item-completed') console.log(event.id, event.finalOutput);
   * });
   * ```
   *
   * @param items An array, iterable, async iterable or Observable of `{ id, input, context? }` or of
   * bare inputs (their ids are their positions), read lazily.
   * @param options Each run's options, and the batch's: `concurrency`, `requestsPerMinute`,
   * `tokensPerMinute`, `maxRetries`, `progressIntervalMs`, `checkpoint`.
   * @throws InvalidArgumentError (at once) for a bad agent or options; a bad item fails as that item.
   */
  runBatch<TOutput, TContext = unknown>(
    agent: Agent<TOutput, TContext>,
    items: BatchItems<TContext>,
    options?: BatchOptions<TContext>,
  ): Observable<BatchEvent<TOutput>> {
    checkAgent(agent);
    if (items === null || typeof items !== 'object') {
      throw new InvalidArgumentError({
        argument: 'items',
        message: 'items must be an array, an iterable, an async iterable or an Observable of inputs.',
      });
    }
    const runOptions = checkBatchOptions(options);
    // A Batch API call waits for its round's job, for hours maybe: no idle timeout applies.
    const makeMode = (policy: ModelCallPolicy) =>
      asyncMode(options?.engine ? { ...policy, idleTimeoutMs: undefined } : policy, options?.scheduler);
    return batchEvents<TOutput, TContext>(items, options ?? {}, (item, calls) => {
      const itemOptions = item.context === undefined ? runOptions : { ...runOptions, context: item.context };
      return this.#createRun(agent, item.input, itemOptions, makeMode, calls).events;
    });
  }

  #createRun<TOutput, TContext>(
    agent: Agent<TOutput, TContext>,
    input: RunInput | RunState,
    options: RunOptions<TContext> | undefined,
    makeMode: (policy: ModelCallPolicy) => RunMode,
    calls?: ItemCalls,
  ): { events: Observable<RunEvent<TOutput>>; results: () => Observable<RunResult<TOutput, TContext>> } {
    checkAgent(agent);
    checkRunOptions(options);
    const agents = new AgentGraph<TContext>(agent);
    const resumed = RunState.isRunState(input) ? RunState.resumeData(input) : undefined;
    const origin: RunOrigin = resumed
      ? // The state is checked against this run's agents too: they may be defined anew since.
        { state: readRunStateData(resumed.data, agents) }
      : { startAgent: agent.name, input: toInputItems(input as RunInput) };
    const policy: ModelCallPolicy = {
      idleTimeoutMs: options?.idleTimeoutMs ?? this.config.idleTimeoutMs,
      retry: retryPolicy(options?.retry ?? this.config.retry),
    };
    let events = createRun<TOutput, TContext>(
      agents,
      origin,
      {
        modelProvider: options?.modelProvider ?? this.config.modelProvider,
        defaultModel: this.config.model ?? defaultModel,
        modelSettings: this.config.modelSettings ?? {},
        maxTurns: options?.maxTurns ?? this.config.maxTurns ?? defaultMaxTurns,
        nestedMaxTurns: this.config.maxTurns ?? defaultMaxTurns,
        toolErrors: options?.toolErrors ?? this.config.toolErrors ?? 'report',
        context: options?.context as TContext,
        signal: options?.signal,
        maxOutputCharacters:
          options?.maxOutputCharacters ?? this.config.maxOutputCharacters ?? defaultMaxOutputCharacters,
        approve: options?.approve,
        stopAfterTurn: options?.stopAfterTurn,
        session: options?.session,
        serverHistory: serverHistoryOf(options),
        guardrails: this.#guardrails,
        tracing: options?.tracing === undefined ? this.config.tracing || undefined : options.tracing || undefined,
        nested: false,
        modelCallGate: calls?.gate,
        modelOf: calls?.modelOf,
      },
      makeMode(policy),
    );
    if (resumed) events = spendOnEnd(events, resumed.spend, () => RunState.resumeData(input as RunState));
    // What run() and runSync() read: the last event, with the last agent found by name. Made
    // only for them: a streamed run or a batch's item (2,000 short runs) has no use for it.
    const results = () =>
      events.pipe(
        filter(isRunEnd),
        map((event): RunResult<TOutput, TContext> =>
          event.type === 'final-output'
            ? runResultOf(event, agents.get(event.agent))
            : interruptedResultOf(event, agents.get(event.agent), RunState.fromRun(event.state)),
        ),
      );
    return { events, results };
  }
}

/**
 * A resumed run: refused at subscription when another run of the same state has ended since the
 * call (a cold Observable subscribed twice), and spending the state when it ends.
 */
function spendOnEnd<T>(
  events: Observable<RunEvent<T>>,
  spend: () => void,
  check: () => unknown,
): Observable<RunEvent<T>> {
  return defer(() => {
    check();
    return events.pipe(tap((event) => isRunEnd(event) && spend()));
  });
}

function checkAgent(agent: unknown): void {
  if (!Agent.isAgent(agent)) {
    throw new InvalidArgumentError({
      argument: 'agent',
      message: 'expected an Agent, made with new Agent({ name, ... }).',
    });
  }
}

function isRunEnd<TOutput>(event: RunEvent<TOutput>): event is FinalOutputEvent<TOutput> | RunInterruptedEvent {
  return event.type === 'final-output' || event.type === 'run-interrupted';
}

import { asyncScheduler, type Observable } from 'rxjs';
import { Agent } from '../agent.js';
import { InvalidArgumentError, NoFinalOutputError, SyncRunError } from '../errors.js';
import type { RunEvent } from '../events.js';
import type { ModelProvider } from '../model.js';
import { OpenAIProvider } from '../models/openaiProvider.js';
import { createRun } from './runLoop.js';
import { toInputItems, type RunInput } from './runInput.js';
import {
  checkRunOptions,
  checkSharedRunSettings,
  retryPolicy,
  type RunnerConfig,
  type RunOptions,
} from './runOptions.js';
import type { RunResult } from './runResult.js';
import { modelCaller } from './modelCaller.js';

const defaultMaxTurns = 10;
const defaultModel = 'gpt-4.1-mini';

/**
 * Runs agents, in the three modes of OpenAI's Agents SDK: streamed (`runStreamed`, an Observable
 * of events), async (`run`, a Promise) and sync (`runSync`, blocking). It holds the defaults its
 * runs share: the model provider, the default model, settings, `maxTurns`, `toolErrors`.
 *
 * ```ts
 * const runner = new Runner({ modelProvider: { getModel: () => myModel }, maxTurns: 5 });
 * const result = await runner.run(agent, 'Where should I go in May?');
 * ```
 */
export class Runner {
  readonly config: RunnerConfig;
  #defaultProvider: ModelProvider | undefined;

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
  }

  /**
   * Streamed mode: the run as a cold Observable of its events. Nothing happens until subscription;
   * each subscription is a run of its own; unsubscribing aborts the model call in flight and the
   * running tools' `signal`, and nothing is emitted afterwards.
   *
   * @throws InvalidArgumentError (at once, not on subscription) for a bad agent, input or options.
   */
  runStreamed<TOutput, TContext = unknown>(
    agent: Agent<TOutput, TContext>,
    input: RunInput,
    options?: RunOptions<TContext>,
  ): Observable<RunEvent<TOutput>> {
    return this.#createRun(agent, input, options, false);
  }

  /**
   * Async mode: the run as a Promise of its {@link RunResult}. It rejects with the error that ended
   * the run (its `partial` holds what the run had produced), or with `RunAbortedError` when
   * `options.signal` aborts.
   */
  run<TOutput, TContext = unknown>(
    agent: Agent<TOutput, TContext>,
    input: RunInput,
    options?: RunOptions<TContext>,
  ): Promise<RunResult<TOutput, TContext>> {
    let result: RunResult<TOutput, TContext> | undefined;
    const events = this.#createRun(agent, input, options, false, (finished) => (result = finished));
    return new Promise((resolve, reject) => {
      events.subscribe({
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
    input: RunInput,
    options?: RunOptions<TContext>,
  ): RunResult<TOutput, TContext> {
    let result: RunResult<TOutput, TContext> | undefined;
    let ended = false;
    let failure: unknown;
    const subscription = this.#createRun(agent, input, options, true, (finished) => (result = finished)).subscribe({
      error: (error: unknown) => {
        ended = true;
        failure = error;
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

  #modelProvider(options: RunOptions<unknown> | undefined): () => ModelProvider {
    return () =>
      options?.modelProvider ?? this.config.modelProvider ?? (this.#defaultProvider ??= new OpenAIProvider());
  }

  #createRun<TOutput, TContext>(
    agent: Agent<TOutput, TContext>,
    input: RunInput,
    options: RunOptions<TContext> | undefined,
    sync: boolean,
    onResult?: (result: RunResult<TOutput, TContext>) => void,
  ): Observable<RunEvent<TOutput>> {
    if (!Agent.isAgent(agent)) {
      throw new InvalidArgumentError({
        argument: 'agent',
        message: 'expected an Agent, made with new Agent({ name, ... }).',
      });
    }
    checkRunOptions(options);
    const items = toInputItems(input);
    return createRun(
      agent,
      items,
      {
        modelProvider: this.#modelProvider(options),
        defaultModel: this.config.model ?? defaultModel,
        modelSettings: this.config.modelSettings ?? {},
        maxTurns: options?.maxTurns ?? this.config.maxTurns ?? defaultMaxTurns,
        toolErrors: options?.toolErrors ?? this.config.toolErrors ?? 'report',
        context: options?.context as TContext,
        signal: options?.signal,
        sync,
        callModel: modelCaller(
          {
            idleTimeoutMs: options?.idleTimeoutMs ?? this.config.idleTimeoutMs,
            retry: retryPolicy(options?.retry ?? this.config.retry),
          },
          sync,
          options?.scheduler,
        ),
        scheduler: options?.scheduler ?? asyncScheduler,
      },
      onResult,
    );
  }
}

let defaultRunner: Runner | undefined;

/** The runner the module functions use: OpenAI's Responses API, `maxTurns` 10. */
export function getDefaultRunner(): Runner {
  return (defaultRunner ??= new Runner());
}

/** Streamed mode with the default runner; see {@link Runner.runStreamed}. */
export function runStreamed<TOutput, TContext = unknown>(
  agent: Agent<TOutput, TContext>,
  input: RunInput,
  options?: RunOptions<TContext>,
): Observable<RunEvent<TOutput>> {
  return getDefaultRunner().runStreamed(agent, input, options);
}

/** Async mode with the default runner; see {@link Runner.run}. */
export function run<TOutput, TContext = unknown>(
  agent: Agent<TOutput, TContext>,
  input: RunInput,
  options?: RunOptions<TContext>,
): Promise<RunResult<TOutput, TContext>> {
  return getDefaultRunner().run(agent, input, options);
}

/** Sync mode with the default runner; see {@link Runner.runSync}. */
export function runSync<TOutput, TContext = unknown>(
  agent: Agent<TOutput, TContext>,
  input: RunInput,
  options?: RunOptions<TContext>,
): RunResult<TOutput, TContext> {
  return getDefaultRunner().runSync(agent, input, options);
}

import { isObservable, type Observable, type SchedulerLike } from 'rxjs';
import { InvalidArgumentError } from '../errors.js';
import type { GuardrailsConfig } from '../guardrails.js';
import { checkTracing, type Tracing } from '../tracing.js';
import type { ModelProvider, ModelSettings } from '../model.js';
import type { Session } from '../session.js';
import type { ToolApprovalRequest } from './runStateData.js';
import { checkServerHistory } from './serverHistory.js';

/** What to do when a tool call fails (bad arguments, or the tool threw). */
export type ToolErrorPolicy =
  /** Send the error to the model as the call's output, so it can recover (the default). */
  | 'report'
  /** Fail the run with a `ToolCallError`. */
  | 'throw';

/**
 * The `retry` option: model calls that failed on something worth another try are made again,
 * after an exponential backoff with jitter.
 *
 * These retries come on top of the `openai` SDK's own (its client's `maxRetries`, 2 by default),
 * which it makes before any byte of a response arrives. A call is retried here when it failed with
 * a retryable error — a `ModelProviderError` whose `retryable` is true (a dropped or refused
 * connection, a stream that broke off, 408, 409, 429, 5xx) or a `ModelTimeoutError` from
 * `idleTimeoutMs` — and either it had not emitted any output yet (no `text-delta`; `raw` events
 * do not count), or `afterOutput` is set. A custom model opts its errors in with a
 * `retryable: true` field.
 *
 * Retry `n` (1-based) waits a random time between half of and all of
 * `min(maxDelayMs, initialDelayMs * 2 ** (n - 1))`, and at least what the provider asked for in
 * `Retry-After` (`error.retryAfterMs`). When the provider asks for more than `maxDelayMs`, the
 * call is not retried: the run fails with that error, whose `retryAfterMs` says how long to wait.
 */
export interface RetryOptions {
  /** Retries after the first call, at most (default 3): an integer of 0 or more. */
  readonly maxRetries?: number;
  /** The backoff before the first retry, doubling for each next one (default 500 ms, or `maxDelayMs` if less). */
  readonly initialDelayMs?: number;
  /** The longest backoff, and the longest `Retry-After` honoured (default 30,000 ms): at least `initialDelayMs`. */
  readonly maxDelayMs?: number;
  /**
   * Also retry a call that failed after it had streamed text (default `false`: the run then fails,
   * its error's `partial` holding the text). The run emits a `turn-restarted` event first, so that
   * a UI can drop the turn's text; the turn then streams again from its beginning.
   */
  readonly afterOutput?: boolean;
}

/**
 * A decision on a call that needs approval: `true` to run it, `false` to reject it, or an object
 * that can also say what the model is told of a rejection.
 */
export type ApprovalDecision = boolean | { readonly approved: boolean; readonly message?: string };

/**
 * Decides on calls that need approval, in the process that runs them: a value, a Promise, or an
 * Observable whose first value is the decision (a dialog's choice, a button's clicks).
 */
export type Approver = (
  request: ToolApprovalRequest,
) => ApprovalDecision | PromiseLike<ApprovalDecision> | Observable<ApprovalDecision>;

/** Options of one run. */
export interface RunOptions<TContext = unknown> {
  /** The most model calls the run may make (default: the runner's, 10). */
  readonly maxTurns?: number;
  /** Passed to tools (`context.context`) and to dynamic instructions. */
  readonly context?: TContext;
  /**
   * Aborting it ends the run: `run()` rejects and `runStreamed()` errors with `RunAbortedError`,
   * after the model call and running tools have been aborted.
   */
  readonly signal?: AbortSignal;
  /** Resolves model names for this run (default: the runner's). */
  readonly modelProvider?: ModelProvider;
  /** What a failing tool call does (default: the runner's, `'report'`). */
  readonly toolErrors?: ToolErrorPolicy;
  /**
   * The longest a model call may go without sending anything, in ms (default: the runner's, no
   * limit). Waiting for the first event counts, the `openai` SDK's own retries included. Bytes
   * count, not whole events: a large event still arriving keeps the call alive (for the OpenAI
   * models; a custom model proves itself alive by its events, or by `progress` events). When it
   * passes, the call is aborted (its connection closed) and fails with `ModelTimeoutError`, which
   * `retry` retries. In `runSync()` it is applied on the worker thread that makes the call.
   */
  readonly idleTimeoutMs?: number;
  /** Retry failed model calls (default: the runner's, off); see {@link RetryOptions}. */
  readonly retry?: RetryOptions;
  /**
   * The most characters of text one model response may stream (default: the runner's,
   * 1,000,000). Past it, the call is stopped (its request
   * aborted, its socket closed) and the run fails with `OutputLimitExceededError`, whose `partial`
   * holds the text streamed so far. It bounds what a server that streams without end can make the
   * process hold.
   */
  readonly maxOutputCharacters?: number;
  /**
   * Where the run's timers run — retry backoff, `idleTimeoutMs`, tools' `timeoutMs` (default
   * `asyncScheduler`): a `TestScheduler` runs them in virtual time. `runSync()` ignores it: its
   * model calls' timers run on the worker thread, and a backoff blocks the calling thread.
   */
  readonly scheduler?: SchedulerLike;
  /**
   * Decides on calls of tools that need approval (`needsApproval`), while the run waits: the run
   * emits `tool-approval-requested`, the turn's other tools go on, and the call runs once
   * approved (or is rejected: the model is told). Unsubscribing while it waits cancels the run as
   * usual. Without it, the run ends with `run-interrupted` and its resumable `state` instead.
   * In `runSync()` it must answer synchronously.
   */
  readonly approve?: Approver;
  /**
   * Stops the run after the turn in flight (the model call and its tools) when it emits: the run
   * ends with `run-interrupted` (`reason: 'stopped'`) and its resumable `state`, instead of being
   * cut mid-stream and losing what was paid for. Unsubscribing still cuts at once. An error of the
   * notifier fails the run.
   */
  readonly stopAfterTurn?: Observable<unknown>;
  /**
   * The conversation's memory: the run reads its items before the first model call (they lead the
   * input) and adds the items of each completed turn (the input with the first). See
   * `rxjs-agents/sessions`. Its methods return Promises, so `runSync()` refuses it.
   */
  readonly session?: Session;
  /**
   * Continue a response stored on the model's server (the Responses API's
   * `previous_response_id`): the server keeps the history, and each request sends only what is
   * new. The first model call sends the run's input with this id; every later call sends the
   * items since the run's previous response (its tools' outputs) with that response's id. Give
   * the input of this run only. To go on after a run, give the next one its last response's id
   * (`result.rawResponses.at(-1)?.id`, or the last `turn-completed` event's `responseId`). The
   * run's `newItems` and `history` are still the whole of what it saw and made. Needs the
   * Responses API: a Chat Completions model fails the run with `InvalidArgumentError`. Not with
   * `conversationId`.
   */
  readonly previousResponseId?: string;
  /**
   * Continue and extend a conversation kept on the model's server (the Responses API's
   * `conversation`, made with `client.conversations.create()` or by `OpenAIConversationsSession`):
   * every model call sends this id and only the items the conversation does not have yet — the
   * run's input on the first call, then the items since the previous response — and the server
   * appends each request's input and output to the conversation, so the next run on it
   * remembers. Needs the Responses API: a Chat Completions model fails the run with
   * `InvalidArgumentError`. Not with `previousResponseId`.
   */
  readonly conversationId?: string;
  /**
   * Traces this run (default: the runner's `tracing`): for example `openTelemetry()` from
   * `rxjs-agents/otel`. `false` traces nothing, whatever the runner's.
   */
  readonly tracing?: Tracing | false;
}

/** Defaults a `Runner` holds for the runs it makes. */
/**
 * A `Runner`'s defaults. Its guardrails (`inputGuardrails`, `outputGuardrails`, `streamGuardrails`)
 * are checked for every agent it runs, before the agent's own.
 */
export interface RunnerConfig extends GuardrailsConfig<unknown, unknown> {
  /** Resolves model names; default: OpenAI's Responses API through the official `openai` SDK. */
  readonly modelProvider?: ModelProvider;
  /** The model name for agents that name none (default `'gpt-4.1-mini'`). */
  readonly model?: string;
  /** Settings under every agent's own `modelSettings`. */
  readonly modelSettings?: ModelSettings;
  /** The most model calls a run may make (default 10). */
  readonly maxTurns?: number;
  /** What a failing tool call does (default `'report'`). */
  readonly toolErrors?: ToolErrorPolicy;
  /** The default `idleTimeoutMs` of runs (default: no limit). */
  readonly idleTimeoutMs?: number;
  /** The default `retry` of runs (default: off). */
  readonly retry?: RetryOptions;
  /** The default `maxOutputCharacters` of runs (default 1,000,000). */
  readonly maxOutputCharacters?: number;
  /**
   * Traces every run (default: none, and then nothing of tracing is called): for example
   * `openTelemetry()` from `rxjs-agents/otel`. A run's own `tracing` option overrides it.
   */
  readonly tracing?: Tracing | false;
}

/**
 * The default `maxOutputCharacters`: 1,000,000 characters of text in one model response.
 *
 * Generous: today's largest output limits are 128k tokens (about 4 characters each, so ~512k
 * characters), and a real answer is far shorter; a million leaves twice that. Bounded: a run's
 * text is kept whole for `partial` (and the Chat Completions model keeps its own copy), so a
 * million characters cost a few MB per turn — where an endless stream would otherwise grow until
 * V8's string limit (~536 million characters) or the heap ends the process.
 */
export const defaultMaxOutputCharacters = 1_000_000;

/** A bad value as an error message shows it: a number as written, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value);
}

export function checkMaxTurns(maxTurns: unknown, argument: string): void {
  if (maxTurns !== undefined && (typeof maxTurns !== 'number' || !Number.isInteger(maxTurns) || maxTurns < 1)) {
    throw new InvalidArgumentError({
      argument,
      message: `maxTurns must be a whole number of at least 1; got ${shown(maxTurns)}.`,
    });
  }
}

export function checkToolErrors(toolErrors: unknown, argument: string): void {
  if (toolErrors !== undefined && toolErrors !== 'report' && toolErrors !== 'throw') {
    throw new InvalidArgumentError({
      argument,
      message: `toolErrors must be 'report' or 'throw'; got ${JSON.stringify(toolErrors)}.`,
    });
  }
}

export function checkModelProvider(provider: unknown, argument: string): void {
  if (
    provider !== undefined &&
    (typeof provider !== 'object' ||
      provider === null ||
      typeof (provider as { getModel?: unknown }).getModel !== 'function')
  ) {
    throw new InvalidArgumentError({ argument, message: 'a model provider needs a getModel(name) method.' });
  }
}

/** The longest delay a timer takes (setTimeout's limit, about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

function isDelay(value: unknown, min: number): value is number {
  return typeof value === 'number' && value >= min && value <= maxTimerMs;
}

export function checkIdleTimeout(idleTimeoutMs: unknown, argument: string): void {
  if (idleTimeoutMs !== undefined && !(isDelay(idleTimeoutMs, 0) && idleTimeoutMs > 0)) {
    throw new InvalidArgumentError({
      argument,
      message: `idleTimeoutMs must be a number of milliseconds greater than 0 (at most ${maxTimerMs}); got ${shown(idleTimeoutMs)}.`,
    });
  }
}

export function checkMaxOutputCharacters(maxOutputCharacters: unknown, argument: string): void {
  if (
    maxOutputCharacters !== undefined &&
    !(typeof maxOutputCharacters === 'number' && Number.isSafeInteger(maxOutputCharacters) && maxOutputCharacters >= 1)
  ) {
    throw new InvalidArgumentError({
      argument,
      message: `maxOutputCharacters must be a whole number of at least 1; got ${shown(maxOutputCharacters)}.`,
    });
  }
}

export function checkRetry(retry: unknown, argument: string): void {
  if (retry === undefined) return;
  if (typeof retry !== 'object' || retry === null) {
    throw new InvalidArgumentError({
      argument,
      message: 'retry must be an object { maxRetries?, initialDelayMs?, maxDelayMs?, afterOutput? }.',
    });
  }
  const { maxRetries, initialDelayMs, maxDelayMs, afterOutput } = retry as RetryOptions;
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new InvalidArgumentError({
      argument: `${argument}.maxRetries`,
      message: `maxRetries must be a whole number of 0 or more; got ${String(maxRetries)}.`,
    });
  }
  if (initialDelayMs !== undefined && !isDelay(initialDelayMs, 0)) {
    throw new InvalidArgumentError({
      argument: `${argument}.initialDelayMs`,
      message: `initialDelayMs must be a number of milliseconds of 0 or more; got ${String(initialDelayMs)}.`,
    });
  }
  if (maxDelayMs !== undefined && !isDelay(maxDelayMs, 0)) {
    throw new InvalidArgumentError({
      argument: `${argument}.maxDelayMs`,
      message: `maxDelayMs must be a number of milliseconds of 0 or more; got ${String(maxDelayMs)}.`,
    });
  }
  if (initialDelayMs !== undefined && (maxDelayMs ?? defaultRetry.maxDelayMs) < initialDelayMs) {
    throw new InvalidArgumentError({
      argument: `${argument}.maxDelayMs`,
      message: `maxDelayMs must be at least initialDelayMs (${initialDelayMs}); got ${String(maxDelayMs ?? defaultRetry.maxDelayMs)}.`,
    });
  }
  if (afterOutput !== undefined && typeof afterOutput !== 'boolean') {
    throw new InvalidArgumentError({
      argument: `${argument}.afterOutput`,
      message: `afterOutput must be a boolean; got ${JSON.stringify(afterOutput)}.`,
    });
  }
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

export const defaultRetry: RetryPolicy = { maxRetries: 3, initialDelayMs: 500, maxDelayMs: 30_000, afterOutput: false };

/** The retry policy of `retry` (checked already), or `undefined` when retries are off. */
export function retryPolicy(retry: RetryOptions | undefined): RetryPolicy | undefined {
  if (retry === undefined) return undefined;
  const maxDelayMs = retry.maxDelayMs ?? defaultRetry.maxDelayMs;
  return {
    maxRetries: retry.maxRetries ?? defaultRetry.maxRetries,
    initialDelayMs: retry.initialDelayMs ?? Math.min(defaultRetry.initialDelayMs, maxDelayMs),
    maxDelayMs,
    afterOutput: retry.afterOutput ?? defaultRetry.afterOutput,
  };
}

export function checkScheduler(scheduler: unknown, argument: string): void {
  if (
    scheduler !== undefined &&
    (typeof scheduler !== 'object' ||
      scheduler === null ||
      typeof (scheduler as { schedule?: unknown }).schedule !== 'function')
  ) {
    throw new InvalidArgumentError({
      argument,
      message: 'scheduler must be an RxJS scheduler (asyncScheduler, a TestScheduler).',
    });
  }
}

/**
 * Checks the options a run and a `Runner` share, naming the field that is wrong with `prefix`
 * (`'options.'` for a run's options, `''` for a runner's config).
 */
export function checkSharedRunSettings(settings: RunOptions<unknown> | RunnerConfig, prefix: string): void {
  checkMaxTurns(settings.maxTurns, `${prefix}maxTurns`);
  checkToolErrors(settings.toolErrors, `${prefix}toolErrors`);
  checkModelProvider(settings.modelProvider, `${prefix}modelProvider`);
  checkIdleTimeout(settings.idleTimeoutMs, `${prefix}idleTimeoutMs`);
  checkRetry(settings.retry, `${prefix}retry`);
  checkMaxOutputCharacters(settings.maxOutputCharacters, `${prefix}maxOutputCharacters`);
  checkTracing(settings.tracing, `${prefix}tracing`);
}

/** Checks run options where they are given, naming the field that is wrong. */
export function checkRunOptions(options: RunOptions<unknown> | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'run options must be an object.' });
  }
  checkSharedRunSettings(options, 'options.');
  checkScheduler(options.scheduler, 'options.scheduler');
  if (options.approve !== undefined && typeof options.approve !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.approve',
      message: 'approve must be a function (request) => boolean | Promise<boolean> | Observable<boolean>.',
    });
  }
  if (options.stopAfterTurn !== undefined && !isObservable(options.stopAfterTurn)) {
    throw new InvalidArgumentError({
      argument: 'options.stopAfterTurn',
      message: 'stopAfterTurn must be an Observable, whose first value stops the run after the turn in flight.',
    });
  }
  checkSession(options.session);
  if (
    options.session !== undefined &&
    (options.previousResponseId !== undefined || options.conversationId !== undefined)
  ) {
    throw new InvalidArgumentError({
      argument: 'options.session',
      message:
        'give a session, or previousResponseId / conversationId, not both: each keeps the conversation, and together the model would read it twice. (OpenAIConversationsSession names its conversation itself.)',
    });
  }
  checkServerHistory(options, 'options.');
  const signal: unknown = options.signal;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || typeof (signal as { aborted?: unknown }).aborted !== 'boolean')
  ) {
    throw new InvalidArgumentError({ argument: 'options.signal', message: 'signal must be an AbortSignal.' });
  }
}

const sessionMethods = ['getItems', 'addItems', 'popItem', 'clear'] as const;

function checkSession(session: unknown): void {
  if (session === undefined) return;
  const missing =
    typeof session === 'object' && session !== null
      ? sessionMethods.filter((method) => typeof (session as Record<string, unknown>)[method] !== 'function')
      : sessionMethods;
  if (missing.length > 0) {
    throw new InvalidArgumentError({
      argument: 'options.session',
      message: `a session needs the methods getItems, addItems, popItem and clear; missing: ${missing.join(', ')}.`,
    });
  }
}

import type { Observable } from 'rxjs';
import { checkGuardrailList, type GuardrailContext } from './guardrails.js';

/**
 * What a tool guardrail decided about a call:
 *
 * - `'allow'`: the call goes on (to the next guardrail, to `execute`, or to the model);
 * - `'reject'`: the call is answered with `message` instead — an input guardrail's call does not
 *   run, an output guardrail's output is replaced — and the model reads `message` as the call's
 *   output, so it can recover; the run goes on;
 * - `'stop'`: the run fails with `ToolGuardrailTripwireTriggered`.
 *
 * `outputInfo` (plain data: it crosses server-sent events) is reported in the `guardrail` event
 * and the error.
 */
export type ToolGuardrailResult =
  | { readonly behavior: 'allow' | 'stop'; readonly outputInfo?: unknown }
  | { readonly behavior: 'reject'; readonly message: string; readonly outputInfo?: unknown };

/** What a tool guardrail's check may return: a result, a Promise of one, or an Observable (its last value counts). */
export type ToolGuardrailAnswer =
  ToolGuardrailResult | PromiseLike<ToolGuardrailResult> | Observable<ToolGuardrailResult>;

/** What a tool guardrail is given besides what it checks: the call, and the run's context. */
export interface ToolGuardrailContext<TArgs = unknown, TContext = unknown> extends GuardrailContext<TContext> {
  /** The name of the tool called. */
  readonly toolName: string;
  /** The model's id for the call. */
  readonly callId: string;
  /** The call's arguments, validated by the tool's `parameters`. */
  readonly arguments: TArgs;
}

/**
 * A check of a call before the tool runs: it sees the validated arguments (a call whose arguments
 * fail the schema never reaches it). For a tool that needs approval it runs once the call is
 * approved, just before `execute`.
 */
export interface ToolInputGuardrail<TArgs = unknown, TContext = unknown> {
  /** Names the guardrail in its `guardrail` event and in the error a `'stop'` fails the run with. */
  readonly name: string;
  /**
   * Checks the call before the tool runs.
   *
   * @param args The call's validated arguments (also `context.arguments`).
   * @param context The call, the run's context and an abort signal.
   */
  execute(args: TArgs, context: ToolGuardrailContext<TArgs, TContext>): ToolGuardrailAnswer;
}

/**
 * A check of a tool's output, before the model (or `toolUseBehavior`) sees it. A call that failed
 * (it threw, timed out, or its arguments failed the schema) has no output, and is not checked.
 */
export interface ToolOutputGuardrail<TResult = unknown, TArgs = unknown, TContext = unknown> {
  readonly name: string;
  /**
   * Checks the tool's output before the model reads it.
   *
   * @param output The tool's own return value.
   * @param context The call, the run's context and an abort signal.
   */
  execute(output: TResult, context: ToolGuardrailContext<TArgs, TContext>): ToolGuardrailAnswer;
}

/**
 * A tool's guardrail list, checked where `tool()` is given it: an array of objects with a
 * non-empty `name` and an `execute` function. Gives a frozen copy.
 *
 * @throws InvalidArgumentError naming the list and index.
 */
export function checkedToolGuardrails<T>(
  list: readonly T[] | undefined,
  field: string,
  toolName: string,
): readonly T[] {
  if (list === undefined) return Object.freeze([]);
  checkGuardrailList(list, field, `tool '${toolName}'`);
  return Object.freeze(list.slice());
}

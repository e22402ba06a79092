import { InvalidArgumentError } from './errors.js';
import type { EventError } from './events.js';

/**
 * One call of a turn's tools, as a `toolUseBehavior` function sees it once all of them have
 * finished, in call order.
 */
export interface ToolCallResult {
  /** The model's id for the call. */
  readonly callId: string;
  /** The tool's name. */
  readonly name: string;
  /** The arguments parsed from JSON (the raw string when they are not JSON). */
  readonly arguments: unknown;
  /**
   * The tool's own return value; for a rejected call (approval refused, or a tool guardrail's
   * `'reject'`) the message the model would read; `undefined` when the call failed.
   */
  readonly output: unknown;
  /** Set when the call failed (its arguments failed validation, the tool threw or timed out). */
  readonly error?: EventError;
  /** `true` when the call, or its output, was rejected. */
  readonly rejected?: true;
}

/** What a `toolUseBehavior` function decides: whether the run ends now, and with which final output. */
export interface ToolsFinalOutput<TOutput> {
  readonly isFinalOutput: boolean;
  /** The final output, when `isFinalOutput` is `true` (checked by the agent's `outputType`, if it has one). */
  readonly finalOutput?: TOutput;
}

/** A `toolUseBehavior` function: decides from a turn's tool results whether they end the run. */
export type ToolsToFinalOutput<TOutput, TContext> = (
  context: TContext,
  toolResults: readonly ToolCallResult[],
) => ToolsFinalOutput<TOutput> | PromiseLike<ToolsFinalOutput<TOutput>>;

/**
 * What happens after a turn's function tools have run (the Agents SDKs' `toolUseBehavior`):
 *
 * - `'run_llm_again'` (the default): the model is called again with the outputs;
 * - `'stop_on_first_tool'`: the first call's output (in call order) is the final output;
 * - `{ stopAtToolNames }`: the run stops when one of these tools was called; the first such
 *   call's output is the final output;
 * - a function of the run's context and the turn's {@link ToolCallResult}s (a value or a Promise).
 *
 * A stopping call's output becomes the final output as the model would have read it (a string as
 * it is, anything else as JSON) for an agent without `outputType`; for an agent with one, the
 * tool's own return value, validated by the schema (a call that failed or was rejected offers its
 * message, which a schema other than a string's refuses). A handoff in the same turn wins: the new
 * agent is called. Calls that wait for approval interrupt the run first; the rule applies once
 * they are decided.
 */
export type ToolUseBehavior<TOutput = string, TContext = unknown> =
  | 'run_llm_again'
  | 'stop_on_first_tool'
  | { readonly stopAtToolNames: readonly string[] }
  | ToolsToFinalOutput<TOutput, TContext>;

/**
 * The agent's `toolUseBehavior`, checked where the agent is made.
 *
 * @throws InvalidArgumentError naming the field.
 */
export function checkedToolUseBehavior<TOutput, TContext>(
  value: ToolUseBehavior<TOutput, TContext> | undefined,
  where: string,
): ToolUseBehavior<TOutput, TContext> {
  if (value === undefined) return 'run_llm_again';
  if (value === 'run_llm_again' || value === 'stop_on_first_tool' || typeof value === 'function') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { stopAtToolNames?: unknown }).stopAtToolNames)
  ) {
    const names = (value as { stopAtToolNames: readonly unknown[] }).stopAtToolNames;
    names.forEach((name, index) => {
      if (typeof name !== 'string' || name === '') {
        throw new InvalidArgumentError({
          argument: `toolUseBehavior.stopAtToolNames[${index}]`,
          message: `${where}: stopAtToolNames must hold tool names; got ${JSON.stringify(name)}.`,
        });
      }
    });
    return Object.freeze({ stopAtToolNames: Object.freeze(names.slice() as string[]) });
  }
  throw new InvalidArgumentError({
    argument: 'toolUseBehavior',
    message:
      `${where}: toolUseBehavior must be 'run_llm_again', 'stop_on_first_tool', { stopAtToolNames: [...] } ` +
      `or a function (context, toolResults) => { isFinalOutput, finalOutput }; got ${JSON.stringify(value) ?? typeof value}.`,
  });
}

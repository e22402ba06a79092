import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { InvalidArgumentError } from './errors.js';
import { isZodObject, parametersJsonSchema, strictSchemaProblem } from './internal/zodSchemas.js';
import type { FunctionToolSpec } from './model.js';
import { checkedToolGuardrails, type ToolInputGuardrail, type ToolOutputGuardrail } from './toolGuardrails.js';

const toolBrand = Symbol.for('rxjs-agents.tool');

/** What a tool's `execute` is given besides its arguments. */
export interface ToolContext<TContext = unknown> {
  /** Aborted when the run is unsubscribed (or aborted) while the tool runs. */
  readonly signal: AbortSignal;
  /** The run's `context` option, as given. */
  readonly context: TContext;
  /** The name of the agent whose turn called the tool. */
  readonly agent: string;
  /** The model's id for this call. */
  readonly callId: string;
}

/** What a `needsApproval` function is given besides the call's arguments. */
export interface ToolApprovalContext<TContext = unknown> {
  /** The run's `context` option, as given. */
  readonly context: TContext;
  /** The name of the agent whose turn called the tool. */
  readonly agent: string;
  /** The model's id for this call. */
  readonly callId: string;
}

/**
 * Whether a call needs a person's approval before it runs: always (`true`), never (`false`, the
 * default), or as a function of the call's validated arguments decides (a value or a Promise).
 */
export type NeedsApproval<TArgs, TContext> =
  boolean | ((args: TArgs, context: ToolApprovalContext<TContext>) => boolean | PromiseLike<boolean>);

/** What `execute` may return: a value, a Promise of one, or an Observable (its last value counts). */
export type ToolResult<TResult> = TResult | PromiseLike<TResult> | Observable<TResult>;

/** The configuration `tool()` takes. */
export interface ToolConfig<TParameters extends z.ZodObject, TResult, TContext = unknown> {
  /** The name the model calls the tool by: letters, digits, `_` and `-`, at most 64 characters. */
  readonly name: string;
  /** What the tool does, for the model. */
  readonly description: string;
  /** A zod object schema of the arguments. */
  readonly parameters: TParameters;
  /** Runs the tool with validated arguments. */
  readonly execute: (args: z.output<TParameters>, context: ToolContext<TContext>) => ToolResult<TResult>;
  /**
   * The longest one call may run, in ms (default: no limit). When it passes, the call's `signal`
   * is aborted with a `ToolTimeoutError`, whatever `execute` still returns is ignored, and the
   * error is reported to the model as the call's output (or fails the run, with the run's
   * `toolErrors: 'throw'`). The timer runs on the run's `scheduler`. In `runSync()`, where tools
   * must answer synchronously, there is nothing to interrupt and it does not apply.
   */
  readonly timeoutMs?: number;
  /**
   * Whether a call needs approval before it runs (default `false`): `true`, or a function of the
   * validated arguments (`({ amount }) => amount > 100`). Such a call emits
   * `tool-approval-requested` and waits: for the run's `approve` option, or, without one, the run
   * ends with `run-interrupted` and resumes from its `state` once decided. A rejected call does not
   * run; the model is told it was rejected. In `runSync()` a function must answer synchronously.
   */
  readonly needsApproval?: NeedsApproval<z.output<TParameters>, TContext>;
  /**
   * Checks of each call before it runs, in order (after approval, when the tool needs it): each
   * may allow it, reject it (the tool does not run; the model reads the guardrail's message as the
   * call's output) or stop the run (`ToolGuardrailTripwireTriggered`). See {@link ToolInputGuardrail}.
   */
  readonly inputGuardrails?: readonly ToolInputGuardrail<z.output<TParameters>, TContext>[];
  /**
   * Checks of each output before the model reads it, in order: each may allow it, replace it with
   * a message (reject), or stop the run. See {@link ToolOutputGuardrail}. Written after
   * `execute` in the object, they are given its result's type (TypeScript infers left to right).
   */
  readonly outputGuardrails?: readonly ToolOutputGuardrail<TResult, z.output<TParameters>, TContext>[];
}

/** A function tool an agent can offer the model. Make one with {@link tool}. */
export interface Tool<TParameters extends z.ZodObject = z.ZodObject, TResult = unknown, TContext = unknown> {
  readonly [toolBrand]: true;
  readonly name: string;
  readonly description: string;
  readonly parameters: TParameters;
  /** The tool as the model is told about it (strict JSON schema of the parameters). */
  readonly spec: FunctionToolSpec;
  /** The longest one call may run, in ms; see {@link ToolConfig.timeoutMs}. */
  readonly timeoutMs?: number;
  /** Whether a call needs approval before it runs; see {@link ToolConfig.needsApproval}. */
  readonly needsApproval: boolean | ((args: never, context: ToolApprovalContext<TContext>) => unknown);
  /** Checks of each call before it runs; see {@link ToolConfig.inputGuardrails}. */
  readonly inputGuardrails: readonly ToolInputGuardrail<z.output<TParameters>, TContext>[];
  /** Checks of each output before the model reads it; see {@link ToolConfig.outputGuardrails}. */
  readonly outputGuardrails: readonly ToolOutputGuardrail<TResult, z.output<TParameters>, TContext>[];
  // A method, not a function-typed property: method parameters are compared bivariantly, which is
  // what lets a `Tool<ZodObject<{ city: ZodString }>>` stand in a list of `AnyTool`s.
  /**
   * Runs the tool.
   *
   * @param args The arguments, validated by `parameters`.
   * @param context The run's context, the call's id and an abort signal.
   * @returns A value, a Promise of one, or an Observable whose last value counts.
   */
  execute(args: z.output<TParameters>, context: ToolContext<TContext>): ToolResult<TResult>;
}

/** A tool of any parameters and result, as an agent holds it. */
export type AnyTool<TContext = unknown> = Tool<z.ZodObject, unknown, TContext>;

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** The longest delay a timer takes (setTimeout's limit, about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Defines a function tool.
 *
 * ```ts
 * const getWeather = tool({
 *   name: 'get_weather',
 *   description: 'The weather in a city today.',
 *   parameters: z.object({ city: z.string() }),
 *   execute: async ({ city }, { signal }) => fetchWeather(city, { signal }),
 * });
 * ```
 *
 * The configuration is checked here, so a mistake is reported where it was written.
 *
 * @throws InvalidArgumentError naming the field that is wrong.
 */
export function tool<TParameters extends z.ZodObject, TResult, TContext = unknown>(
  config: ToolConfig<TParameters, TResult, TContext>,
): Tool<TParameters, TResult, TContext> {
  if (typeof config !== 'object' || config === null) {
    throw new InvalidArgumentError({
      argument: 'config',
      message: 'tool() takes an object { name, description, parameters, execute }.',
    });
  }
  const { name, description, parameters, execute, timeoutMs, needsApproval = false } = config;
  if (typeof name !== 'string' || !toolNamePattern.test(name)) {
    throw new InvalidArgumentError({
      argument: 'name',
      message: `a tool name must be 1 to 64 letters, digits, '_' or '-'; got ${JSON.stringify(name)}.`,
    });
  }
  if (typeof description !== 'string') {
    throw new InvalidArgumentError({ argument: 'description', message: `tool '${name}' needs a description string.` });
  }
  if (!isZodObject(parameters)) {
    throw new InvalidArgumentError({
      argument: 'parameters',
      message: `tool '${name}' needs a zod object schema, such as z.object({ city: z.string() }).`,
    });
  }
  if (typeof execute !== 'function') {
    throw new InvalidArgumentError({
      argument: 'execute',
      message: `tool '${name}' needs an execute(args, context) function.`,
    });
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= maxTimerMs)) {
    throw new InvalidArgumentError({
      argument: 'timeoutMs',
      message: `tool '${name}': timeoutMs must be a number of milliseconds greater than 0 (at most ${maxTimerMs}); got ${String(timeoutMs)}.`,
    });
  }
  if (typeof needsApproval !== 'boolean' && typeof needsApproval !== 'function') {
    throw new InvalidArgumentError({
      argument: 'needsApproval',
      message: `tool '${name}': needsApproval must be true, false or a function (args, context) => boolean; got ${typeof needsApproval}.`,
    });
  }
  const inputGuardrails = checkedToolGuardrails(config.inputGuardrails, 'inputGuardrails', name);
  const outputGuardrails = checkedToolGuardrails(config.outputGuardrails, 'outputGuardrails', name);
  let schema: FunctionToolSpec['parameters'];
  try {
    schema = parametersJsonSchema(parameters, name);
  } catch (cause) {
    // A schema strict mode cannot express: an optional field, a record, a catchall, a tuple, a transform.
    throw new InvalidArgumentError({
      argument: 'parameters',
      message: `tool '${name}': ${strictSchemaProblem(cause, parameters)}`,
      cause,
    });
  }
  return {
    [toolBrand]: true,
    name,
    description,
    parameters,
    execute,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    needsApproval,
    inputGuardrails,
    outputGuardrails,
    spec: { type: 'function', name, description, parameters: schema, strict: true },
  };
}

/** Whether `value` was made by {@link tool}. */
export function isTool(value: unknown): value is AnyTool {
  return typeof value === 'object' && value !== null && (value as { [toolBrand]?: unknown })[toolBrand] === true;
}

/**
 * A tool the runner makes from a spec it was given as it is (an MCP server's tool, whose JSON
 * schema the server validates), rather than from a zod schema: internal, not exported from the
 * package; `tool()` is how users make tools.
 *
 * @internal
 */
export function toolFromSpec<TContext>(fields: {
  readonly name: string;
  readonly description: string;
  readonly parameters: z.ZodObject;
  readonly spec: FunctionToolSpec;
  readonly execute: (args: Record<string, unknown>, context: ToolContext<TContext>) => ToolResult<unknown>;
}): AnyTool<TContext> {
  return { [toolBrand]: true, ...fields, needsApproval: false, inputGuardrails: [], outputGuardrails: [] };
}

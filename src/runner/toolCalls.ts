import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { Agent } from '../agent.js';
import { McpServerError, SyncRunError, ToolCallError, ToolTimeoutError } from '../errors.js';
import type { ToolOutputEvent } from '../events.js';
import type { FunctionCallItem } from '../items.js';
import type { AnyTool } from '../tool.js';
import type { ToolErrorPolicy } from './runOptions.js';
import { eventError } from './eventError.js';
import { describeThrown } from '../internal/describeThrown.js';

/**
 * `JSON.parse` that drops every `__proto__` key: arguments come from the model, and an own
 * `__proto__` property is what turns a later naive merge (`Object.assign`, a hand-written deep
 * merge) into prototype pollution. (`constructor` keys are plain data and stay.)
 */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}

/** The arguments as the `tool-call` event shows them: parsed JSON, or the raw string when it is not JSON. */
export function parseArguments(raw: string): unknown {
  try {
    return parseJson(raw);
  } catch {
    return raw;
  }
}

/** What the model is sent for a tool's return value: a string as it is, anything else as JSON. */
export function toolOutputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === undefined) return '';
  // A value JSON cannot express (a function, a cycle, a throwing toJSON) is sent as whatever
  // describeThrown makes of it, which never throws (a null-prototype object has no toString).
  try {
    const json = JSON.stringify(output) as string | undefined;
    if (json !== undefined) return json;
  } catch {
    // described below
  }
  return describeThrown(output);
}

/** A call's arguments, parsed and validated by its tool's schema; or why they are not valid. */
export type ValidatedArguments =
  | { readonly success: true; readonly data: Record<string, unknown> }
  | { readonly success: false; readonly error: unknown; readonly why: string };

/**
 * Parses a call's arguments (`''` is `{}`) and validates them with the tool's `parameters`: what
 * `execute` is given, and what `needsApproval` decides on.
 */
export function validatedArguments(call: FunctionCallItem, tool: AnyTool<never>): ValidatedArguments {
  let args: unknown;
  try {
    args = parseJson(call.arguments === '' ? '{}' : call.arguments);
  } catch (error) {
    return { success: false, error, why: `the arguments are not valid JSON: ${describeThrown(error)}` };
  }
  const parsed = tool.parameters.safeParse(args);
  if (!parsed.success) {
    return {
      success: false,
      error: parsed.error,
      why: `the arguments do not match the tool's schema: ${parsed.error.message}`,
    };
  }
  return { success: true, data: parsed.data };
}

/** One finished call: the event to emit and the text the model gets back. */
export interface ToolCallOutcome {
  readonly event: ToolOutputEvent;
  readonly outputText: string;
}

/** The fields of a call's `tool-output` event that every outcome shares. */
export type ToolOutputBase = Pick<ToolOutputEvent, 'type' | 'agent' | 'turn' | 'callId' | 'name'>;

/**
 * Ends a failed call on `subscriber`: with the error that fails the run (with `toolErrors:
 * 'throw'`, and always for a `SyncRunError` or a gone MCP server), or with the outcome that tells
 * the model what went wrong, so it can recover.
 */
export function failCall(
  subscriber: Pick<Subscriber<ToolCallOutcome>, 'next' | 'error' | 'complete'>,
  base: ToolOutputBase,
  toolErrors: ToolErrorPolicy,
  error: unknown,
  why: string,
): void {
  // An MCP server that is gone fails the run whatever the policy: it cannot answer the next call either.
  const serverGone = McpServerError.isInstance(error);
  if (toolErrors === 'throw' || error instanceof SyncRunError || serverGone) {
    const passThrough = error instanceof SyncRunError || error instanceof ToolTimeoutError || serverGone;
    subscriber.error(
      passThrough ? error : new ToolCallError({ toolName: base.name, callId: base.callId, message: why, cause: error }),
    );
    return;
  }
  subscriber.next({
    event: { ...base, output: undefined, error: eventError(error) },
    outputText: `An error occurred while running the tool '${base.name}'. Please try again. Error: ${why}`,
  });
  subscriber.complete();
}

export interface ToolCallSetup<TContext> {
  readonly agent: Agent<unknown, TContext>;
  readonly turn: number;
  readonly context: TContext;
  readonly toolErrors: ToolErrorPolicy;
  /** Where the tool's `timeoutMs` timer runs; `undefined` where tools are not timed. */
  readonly scheduler: SchedulerLike | undefined;
  /** The tool's return value as an Observable of its result, as the run's mode takes it. */
  readonly toolResult: (result: unknown, toolName: string) => Observable<unknown>;
}

/**
 * Runs one tool call as a cold Observable of its single outcome: arguments parsed and validated
 * (`execute` never sees arguments that fail the schema), `execute` called, its value, Promise or
 * Observable (last value) awaited. The tool's `signal` is aborted when the call is unsubscribed
 * before it finished (the run was cancelled), or when the tool's `timeoutMs` passes.
 *
 * A failure (bad JSON, arguments that fail the schema, a throwing tool, a `ToolTimeoutError`)
 * becomes the call's output for the model to read, or fails the run when `toolErrors` is
 * `'throw'` (with a `ToolCallError`, of which `ToolTimeoutError` is one). An `McpServerError` (an
 * MCP tool's server that is gone) always fails the run, as it is.
 */
export function runToolCall<TContext>(
  call: FunctionCallItem,
  tool: AnyTool<TContext>,
  setup: ToolCallSetup<TContext>,
): Observable<ToolCallOutcome> {
  return new Observable<ToolCallOutcome>((subscriber) => {
    const controller = new AbortController();
    let finished = false;
    const base: ToolOutputBase = {
      type: 'tool-output',
      agent: setup.agent.name,
      turn: setup.turn,
      callId: call.call_id,
      name: call.name,
    };

    const succeed = (output: unknown) => {
      if (finished) return;
      finished = true;
      subscriber.next({ event: { ...base, output }, outputText: toolOutputText(output) });
      subscriber.complete();
    };
    const fail = (error: unknown, why: string) => {
      if (finished) return;
      finished = true;
      failCall(subscriber, base, setup.toolErrors, error, why);
    };

    const parsed = validatedArguments(call, tool);
    if (!parsed.success) {
      fail(parsed.error, parsed.why);
      return;
    }

    // The timer starts before `execute`, so that a tool which starts slow work and returns a
    // Promise is timed from its start.
    let timer: Subscription | undefined;
    const { timeoutMs } = tool;
    if (timeoutMs !== undefined && setup.scheduler) {
      timer = setup.scheduler.schedule(() => {
        const error = new ToolTimeoutError({ toolName: call.name, callId: call.call_id, timeoutMs });
        controller.abort(error);
        fail(error, `the tool ran past its timeoutMs of ${timeoutMs} ms and was aborted.`);
      }, timeoutMs);
    }
    const teardown = (): void => {
      timer?.unsubscribe();
      if (!finished) controller.abort(new Error(`The run was cancelled while tool '${call.name}' was running.`));
    };

    let result: unknown;
    try {
      result = tool.execute(parsed.data, {
        signal: controller.signal,
        context: setup.context,
        agent: setup.agent.name,
        callId: call.call_id,
      });
    } catch (error) {
      fail(error, describeThrown(error));
      return teardown;
    }

    let result$: Observable<unknown>;
    try {
      result$ = setup.toolResult(result, call.name);
    } catch (error) {
      // The mode refused the result (runSync() and a Promise): tell the tool to stop.
      controller.abort(error);
      fail(error, describeThrown(error));
      return teardown;
    }
    const subscription = result$.subscribe({
      next: succeed,
      error: (error: unknown) => fail(error, describeThrown(error)),
    });
    return () => {
      subscription.unsubscribe();
      teardown();
    };
  });
}

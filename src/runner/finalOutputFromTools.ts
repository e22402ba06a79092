import { defer, EMPTY, ignoreElements, map, type Observable } from 'rxjs';
import type { Agent } from '../agent.js';
import { InvalidArgumentError, ToolCallError } from '../errors.js';
import type { ToolOutputEvent } from '../events.js';
import type { ToolCallResult } from '../toolUseBehavior.js';
import type { LiveState, ToolOutputRecord } from './liveState.js';
import type { PlannedHandoff, PlannedToolCall } from './nextStep.js';
import type { RunContext } from './runContext.js';
import { parseArguments } from './toolCalls.js';

/**
 * What the state keeps of a finished call: the text the model is sent, whether it failed or was
 * rejected, and — for an agent whose `toolUseBehavior` may make it the final output — the tool's
 * own return value.
 */
export function outputRecord(
  agent: Agent<unknown, never>,
  event: ToolOutputEvent,
  outputText: string,
): ToolOutputRecord {
  return {
    output: outputText,
    ...((agent.toolUseBehavior ?? 'run_llm_again') === 'run_llm_again' || event.error !== undefined
      ? {}
      : { value: event.output }),
    ...(event.error === undefined ? {} : { error: event.error }),
    ...(event.rejected ? { rejected: true as const } : {}),
  };
}

/**
 * The agent's `toolUseBehavior` carried out at the end of a `run-tools` step, as the Agents SDKs'
 * `checkForFinalOutputFromTools` does: when a rule stops the run, `state.next` becomes
 * `final-output`, and the loop's final-output step ends the run (its guardrails, its session save)
 * as after a model's answer. A turn with a carried-out handoff, or without function calls, never
 * stops here.
 *
 * The calls' outputs are read now, before the step clears them; the Observable decides (a
 * function's answer may be a Promise, refused in `runSync()` by the mode) and emits nothing.
 */
export function finalOutputFromTools<TContext>(
  agent: Agent<unknown, TContext>,
  calls: readonly (PlannedToolCall | PlannedHandoff)[],
  state: LiveState,
  run: RunContext<TContext>,
): Observable<never> {
  // An agent of an older copy of the package has no toolUseBehavior: the default.
  const behavior = agent.toolUseBehavior ?? 'run_llm_again';
  if (behavior === 'run_llm_again') return EMPTY;
  if (calls.some((planned) => planned.kind === 'handoff' && planned.carriedOut)) return EMPTY;
  const functionCalls = calls.filter((planned): planned is PlannedToolCall => planned.kind === 'function');
  if (functionCalls.length === 0) return EMPTY;
  const results = functionCalls.map(({ call }) => resultOf(call.call_id, call.name, call.arguments, state));
  const stop = (output: unknown): void => {
    state.next = { type: 'final-output', output };
  };

  if (typeof behavior === 'function') {
    const where = `agent '${agent.name}': toolUseBehavior`;
    return defer(() =>
      run.mode.decision(behavior(run.settings.context, results), `The toolUseBehavior of agent '${agent.name}'`),
    ).pipe(
      map((answer) => {
        if (
          typeof answer !== 'object' ||
          answer === null ||
          typeof (answer as { isFinalOutput?: unknown }).isFinalOutput !== 'boolean'
        ) {
          throw new InvalidArgumentError({
            argument: 'toolUseBehavior',
            message: `${where} must answer { isFinalOutput: boolean, finalOutput? }; got ${describe(answer)}.`,
          });
        }
        const { isFinalOutput, finalOutput } = answer as { isFinalOutput: boolean; finalOutput?: unknown };
        if (!isFinalOutput) return;
        if (finalOutput === undefined) {
          throw new InvalidArgumentError({
            argument: 'toolUseBehavior',
            message: `${where} answered isFinalOutput: true without a finalOutput.`,
          });
        }
        stop(
          finalValue(
            agent,
            finalOutput,
            (why) =>
              new InvalidArgumentError({ argument: 'toolUseBehavior', message: `${where}'s finalOutput ${why}` }),
          ),
        );
      }),
      ignoreElements(),
    );
  }

  const names = behavior === 'stop_on_first_tool' ? undefined : new Set(behavior.stopAtToolNames);
  const stopping = functionCalls.find(({ call }) => names === undefined || names.has(call.name));
  if (stopping === undefined) return EMPTY;
  const { call } = stopping;
  const record = state.toolOutputs.get(call.call_id);
  const value = record === undefined ? '' : agent.outputType === undefined ? record.output : valueOf(record, true);
  return defer(() => {
    stop(
      finalValue(
        agent,
        value,
        (why) =>
          new ToolCallError({
            toolName: call.name,
            callId: call.call_id,
            message: `the output of tool '${call.name}', the final output by agent '${agent.name}''s toolUseBehavior, ${why}`,
          }),
      ),
    );
    return EMPTY;
  });
}

function resultOf(callId: string, name: string, args: string, state: LiveState): ToolCallResult {
  const record = state.toolOutputs.get(callId);
  return {
    callId,
    name,
    arguments: parseArguments(args),
    output: record === undefined ? undefined : valueOf(record, false),
    ...(record?.error === undefined ? {} : { error: record.error }),
    ...(record?.rejected ? { rejected: true as const } : {}),
  };
}

/**
 * A call's output as a rule reads it: the tool's own return value; the message, for a rejected
 * call; for a failed call, nothing (or, `asText`, the text the model would have read); for a
 * record of a state stored without the value, its text, parsed when it is JSON.
 */
function valueOf(record: ToolOutputRecord, asText: boolean): unknown {
  if (record.error !== undefined) return asText ? record.output : undefined;
  if (record.rejected) return record.output;
  return 'value' in record ? record.value : parseArguments(record.output);
}

/** The final output: text as it is for an agent without `outputType`, else the value validated by it. */
function finalValue(agent: Agent<unknown, never>, value: unknown, failure: (why: string) => Error): unknown {
  if (agent.outputType === undefined) {
    if (typeof value !== 'string')
      throw failure(`must be a string (the agent has no outputType); got ${describe(value)}.`);
    return value;
  }
  const parsed = agent.outputType.safeParse(value);
  if (!parsed.success) throw failure(`does not match the agent's outputType: ${parsed.error.message}`);
  return parsed.data;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

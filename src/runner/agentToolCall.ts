import { Observable, of, type Subscription } from 'rxjs';
import type { AgentToolRun } from '../agentTool.js';
import {
  AgentsError,
  InputGuardrailTripwireTriggered,
  NoFinalOutputError,
  OutputGuardrailTripwireTriggered,
  SyncRunError,
  ToolCallError,
  ToolGuardrailTripwireTriggered,
} from '../errors.js';
import type { FinalOutputEvent, RunEvent, RunInterruptedEvent } from '../events.js';
import type { FunctionCallItem } from '../items.js';
import { describeThrown } from '../internal/describeThrown.js';
import type { AnyTool } from '../tool.js';
import { addUsage, emptyUsage, type Usage } from '../usage.js';
import type { NestedRunner } from './runContext.js';
import type { CompletedRunResult } from './runResult.js';
import { runResultOf } from './runResult.js';
import {
  failCall,
  toolOutputText,
  validatedArguments,
  type ToolCallOutcome,
  type ToolCallSetup,
  type ToolOutputBase,
} from './toolCalls.js';

/** What an agent tool's call emits: an event of its nested run, to forward, or, last, its outcome. */
export type AgentToolEmission = ToolCallOutcome | { readonly nested: RunEvent<unknown> };

/** What the call of an agent tool needs from its run besides what every tool call does. */
export interface AgentToolCallSetup<TContext> extends ToolCallSetup<TContext> {
  readonly nested: NestedRunner<TContext>;
  /** Adds usage of the nested run to the parent's, as it is known (so a failure's `partial` has it). */
  readonly addUsage: (usage: Usage) => void;
}

/**
 * Runs one call of an agent tool (`agent.asTool()`) as a nested run, a cold Observable: its events
 * forwarded as they come, each marked with `parentCallId` (a deeper nesting's keep their own),
 * then the call's outcome — the nested final output, or what `outputExtractor` makes of the
 * result. Unsubscribing unsubscribes the nested run (its model call is aborted).
 *
 * The nested `final-output` and `run-interrupted` are not forwarded: a consumer that reads "the
 * run's last event" must see the parent's. Its usage joins the parent's as each nested response
 * completes (`turn-completed`, at any depth), and what the nested run's end reports beyond that (a
 * failed call's usage) when it ends, so a run that fails or is cancelled part way still counts it.
 *
 * A nested run that fails, or that stops to wait for approval (it has the parent's `approve`; a
 * nested run cannot be interrupted and resumed), is a failed call, under the run's `toolErrors`;
 * one that a guardrail stopped stops the parent with the guardrail's error.
 */
export function runAgentToolCall<TContext>(
  call: FunctionCallItem,
  tool: AnyTool<TContext>,
  agentTool: AgentToolRun<TContext>,
  setup: AgentToolCallSetup<TContext>,
): Observable<AgentToolEmission> {
  return new Observable<AgentToolEmission>((subscriber) => {
    const base: ToolOutputBase = {
      type: 'tool-output',
      agent: setup.agent.name,
      turn: setup.turn,
      callId: call.call_id,
      name: call.name,
    };
    let finished = false;
    const succeed = (output: unknown): void => {
      if (finished) return;
      finished = true;
      subscriber.next({ event: { ...base, output }, outputText: toolOutputText(output) });
      subscriber.complete();
    };
    const fail = (error: unknown, why: string = describeThrown(error)): void => {
      if (finished) return;
      finished = true;
      // A guardrail that tripped in the nested run stops this run too: a guardrail is a stop, not
      // an error for the model to work around. It keeps the nested partial (the text that tripped).
      if (isTripwire(error)) {
        subscriber.error(error);
        return;
      }
      // Whatever else ended the nested run — a nested tool's ToolTimeoutError too — is this call's
      // failure: with 'throw', a ToolCallError of this call, its cause keeping the nested partial.
      if (setup.toolErrors === 'throw' && !(error instanceof SyncRunError)) {
        subscriber.error(new ToolCallError({ toolName: call.name, callId: call.call_id, message: why, cause: error }));
        return;
      }
      // A SyncRunError ends the whole run as it is: it is given the parent's partial instead.
      if (error instanceof SyncRunError) error.partial = undefined;
      failCall(subscriber, base, setup.toolErrors, error, why);
    };

    const parsed = validatedArguments(call, tool);
    if (!parsed.success) return fail(parsed.error, parsed.why);
    const input = (parsed.data as { input: string }).input;

    // Usage already added to the parent's; the rest is added when the nested run ends.
    let counted = emptyUsage;
    const settle = (total: Usage | undefined): void => {
      if (total) setup.addUsage(usageBeyond(total, counted));
      counted = total ?? counted;
    };

    let nested: ReturnType<NestedRunner<TContext>>;
    try {
      nested = setup.nested(agentTool.agent, input, agentTool.maxTurns);
    } catch (error) {
      return fail(error);
    }
    let end: FinalOutputEvent<unknown> | RunInterruptedEvent | undefined;
    let extraction: Subscription | undefined;
    const finish = (): void => {
      if (end === undefined) return fail(new NoFinalOutputError());
      settle(end.usage);
      if (end.type === 'run-interrupted') return fail(interruptedError(agentTool, call.name, end));
      const result: CompletedRunResult<unknown, TContext> = runResultOf(end, nested.agents.get(end.agent));
      const extractor = agentTool.outputExtractor;
      try {
        const output$ = extractor ? setup.toolResult(extractor(result), call.name) : of(result.finalOutput);
        extraction = output$.subscribe({ next: succeed, error: (error: unknown) => fail(error) });
      } catch (error) {
        fail(error);
      }
    };
    const subscription = nested.events.subscribe({
      next: (event) => {
        if (event.type === 'final-output' || event.type === 'run-interrupted') {
          end = event;
          return;
        }
        if (event.type === 'turn-completed') {
          setup.addUsage(event.usage);
          counted = addUsage(counted, event.usage);
        }
        subscriber.next({
          nested: event.parentCallId === undefined ? { ...event, parentCallId: call.call_id } : event,
        });
      },
      error: (error: unknown) => {
        settle(partialUsageOf(error));
        fail(error);
      },
      complete: finish,
    });
    return () => {
      subscription.unsubscribe();
      extraction?.unsubscribe();
    };
  });
}

/** What `total` holds beyond `counted`, field by field (never below zero). */
function usageBeyond(total: Usage, counted: Usage): Usage {
  return {
    requests: Math.max(0, total.requests - counted.requests),
    inputTokens: Math.max(0, total.inputTokens - counted.inputTokens),
    outputTokens: Math.max(0, total.outputTokens - counted.outputTokens),
    totalTokens: Math.max(0, total.totalTokens - counted.totalTokens),
  };
}

/** The usage a failed run's error reports in its `partial`, if it is ours. */
function partialUsageOf(error: unknown): Usage | undefined {
  return AgentsError.isInstance(error) ? error.partial?.usage : undefined;
}

/** Why an interrupted nested run fails its call: a nested run cannot be resumed. */
function interruptedError<TContext>(
  agentTool: AgentToolRun<TContext>,
  toolName: string,
  end: RunInterruptedEvent,
): AgentsError {
  const waiting = end.interruptions.map((request) => `'${request.name}'`).join(', ');
  return new AgentsError({
    message:
      end.reason === 'approval'
        ? `Agent '${agentTool.agent.name}', called as tool '${toolName}', asked for approval of ${waiting}. ` +
          "Approval inside an agent called as a tool needs the run's `approve` option: a nested run cannot be interrupted and resumed."
        : `Agent '${agentTool.agent.name}', called as tool '${toolName}', stopped before its end.`,
  });
}

/** Whether `error` is a guardrail's trip, of any kind. */
function isTripwire(error: unknown): boolean {
  return (
    InputGuardrailTripwireTriggered.isInstance(error) ||
    OutputGuardrailTripwireTriggered.isInstance(error) ||
    ToolGuardrailTripwireTriggered.isInstance(error)
  );
}

import { catchError, concat, defer, EMPTY, from, map, merge, of, tap, throwError, type Observable } from 'rxjs';
import type { AgentUpdatedEvent, RunEvent, ToolCallEvent } from '../events.js';
import type { FunctionCallOutputItem } from '../items.js';
import type { AnyTool } from '../tool.js';
import { handoffOutput } from './handoffs.js';
import { withPartial } from './partial.js';
import type { PlannedHandoff, PlannedToolCall } from './nextStep.js';
import type { RunContext } from './runContext.js';
import type { RunState } from './runState.js';
import { parseArguments, runToolCall } from './toolCalls.js';

/**
 * The `run-tools` step: a `tool-call` event for each function call, then the calls run
 * concurrently (a `tool-output` each, in completion order), then their outputs join the history
 * in call order — with the handoffs' — and the first handoff switches the agent (`agent-updated`).
 * The next step is a model call.
 *
 * It is one composition, so a consumer that leaves at a `tool-call` (`takeWhile`, `first`, an
 * aborted `signal`) leaves before any tool starts, and one that leaves at a `tool-output` before
 * the next tool starts: nothing runs that nobody will read.
 */
export function toolStep<TContext>(
  calls: readonly (PlannedToolCall | PlannedHandoff)[],
  state: RunState,
  run: RunContext<TContext>,
): Observable<RunEvent<unknown>> {
  return defer(() => {
    const turn = state.turn;
    const agent = run.agents.get(state.agent);
    const tools = new Map<string, AnyTool<TContext>>(agent.tools.map((t) => [t.name, t]));
    const functionCalls = calls.filter((planned): planned is PlannedToolCall => planned.kind === 'function');
    const outputs = new Map<string, string>();
    const setup = {
      agent,
      turn,
      context: run.settings.context,
      toolErrors: run.settings.toolErrors,
      scheduler: run.mode.toolScheduler,
      toolResult: run.mode.toolResult,
    };

    const announced = functionCalls.map(({ call }): ToolCallEvent => ({
      type: 'tool-call',
      agent: agent.name,
      turn,
      callId: call.call_id,
      name: call.name,
      arguments: parseArguments(call.arguments),
    }));
    const executions = functionCalls.map(({ call }) =>
      runToolCall(call, tools.get(call.name)!, setup).pipe(
        tap((outcome) => outputs.set(call.call_id, outcome.outputText)),
        map((outcome) => outcome.event),
      ),
    );
    const finish = defer((): Observable<RunEvent<unknown>> => {
      if (functionCalls.length > 0) state.toolUse.add(agent.name);
      state.addItems(
        calls.map((planned): FunctionCallOutputItem => ({
          type: 'function_call_output',
          call_id: planned.call.call_id,
          output: planned.kind === 'function' ? (outputs.get(planned.call.call_id) ?? '') : handoffOutput(planned),
        })),
      );
      state.next = { type: 'call-model' };
      const handoff = calls.find(
        (planned): planned is PlannedHandoff => planned.kind === 'handoff' && planned.carriedOut,
      );
      if (!handoff) return EMPTY;
      state.agent = handoff.target;
      const updated: AgentUpdatedEvent = {
        type: 'agent-updated',
        agent: handoff.target,
        turn,
        from: agent.name,
        callId: handoff.call.call_id,
      };
      return of(updated);
    });
    return concat(from(announced), merge(...executions), finish);
  }).pipe(catchError((error: unknown) => throwError(() => withPartial(error, state))));
}

import {
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  from,
  map,
  merge,
  of,
  tap,
  throwError,
  type Observable,
} from 'rxjs';
import type {
  AgentUpdatedEvent,
  RunEvent,
  ToolApprovalRequestedEvent,
  ToolCallEvent,
  ToolOutputEvent,
} from '../events.js';
import { InvalidArgumentError } from '../errors.js';
import type { FunctionCallItem, FunctionCallOutputItem } from '../items.js';
import { agentToolOf } from '../agentTool.js';
import type { AnyTool } from '../tool.js';
import { addUsage, type Usage } from '../usage.js';
import { runAgentToolCall } from './agentToolCall.js';
import { finalOutputFromTools, outputRecord } from './finalOutputFromTools.js';
import { handoffOutput } from './handoffs.js';
import type { LiveState } from './liveState.js';
import type { PlannedHandoff, PlannedToolCall } from './nextStep.js';
import { withPartial } from './partial.js';
import type { RunContext } from './runContext.js';
import type { ApprovalDecisionData } from './runStateData.js';
import { approvalCheck, askApprover, rejectionText } from './toolApproval.js';
import { guardedToolCall } from './toolGuardrailSteps.js';
import { parseArguments, type ToolCallOutcome } from './toolCalls.js';
import { tracedToolCall } from './tracedRun.js';

/**
 * The `run-tools` step: a `tool-call` event for each function call, then the calls run
 * concurrently (a `tool-output` each, in completion order), then their outputs join the history
 * in call order — with the handoffs' — and the first handoff switches the agent (`agent-updated`).
 * The next step is a model call.
 *
 * A call of a tool that needs approval emits `tool-approval-requested` and runs once approved —
 * by the run's `approve` option, while the other calls go on, or by a decision stored in the
 * state of a run that resumes. Without either, it is left pending: the step ends when the other
 * calls have finished, leaving their outputs and the pending requests in the state, and the loop
 * interrupts the run. Resuming runs the step again: the calls that have an output are not run
 * again.
 *
 * It is one composition, so a consumer that leaves at a `tool-call` (`takeWhile`, `first`, an
 * aborted `signal`) leaves before any tool starts, and one that leaves at a `tool-output` before
 * the next tool starts: nothing runs that nobody will read.
 */
export function toolStep<TContext>(
  calls: readonly (PlannedToolCall | PlannedHandoff)[],
  state: LiveState,
  run: RunContext<TContext>,
): Observable<RunEvent<unknown>> {
  return defer(() => {
    const agent = run.agents.get(state.agent);
    // The first step of a resumed run: the agent's MCP tools are listed (its servers connected) first.
    if (run.tools.ready(agent)) return callsStep(calls, state, run);
    return run.tools.resolve(agent).pipe(concatMap(() => callsStep(calls, state, run)));
  }).pipe(catchError((error: unknown) => throwError(() => withPartial(error, state))));
}

function callsStep<TContext>(
  calls: readonly (PlannedToolCall | PlannedHandoff)[],
  state: LiveState,
  run: RunContext<TContext>,
): Observable<RunEvent<unknown>> {
  return defer(() => {
    const turn = state.turn;
    const agent = run.agents.get(state.agent);
    const tools = new Map<string, AnyTool<TContext>>(run.tools.get(agent).map((t) => [t.name, t]));
    // A resumed step: the calls that ran before it was interrupted are done; the requests still
    // undecided are asked again.
    const toRun = calls.filter(
      (planned): planned is PlannedToolCall =>
        planned.kind === 'function' && !state.toolOutputs.has(planned.call.call_id),
    );
    state.pendingApprovals.length = 0;
    const { context } = run.settings;
    const setup = {
      agent,
      turn,
      context,
      toolErrors: run.settings.toolErrors,
      scheduler: run.mode.toolScheduler,
      toolResult: run.mode.toolResult,
    };
    const nestedSetup = {
      ...setup,
      nested: run.nested,
      addUsage: (usage: Usage) => (state.usage = addUsage(state.usage, usage)),
    };
    const base = { agent: agent.name, turn };

    const record = (call: FunctionCallItem, outcome: ToolCallOutcome): void => {
      state.toolOutputs.set(call.call_id, outputRecord(agent, outcome.event, outcome.outputText));
    };
    const untraced = (call: FunctionCallItem, tool: AnyTool<TContext>): Observable<RunEvent<unknown>> => {
      const agentTool = agentToolOf(tool);
      // An agent called as a tool: a nested run, whose events are forwarded as they come.
      if (agentTool) {
        return runAgentToolCall(call, tool, agentTool, nestedSetup).pipe(
          map((emitted) => {
            if ('nested' in emitted) return emitted.nested;
            record(call, emitted);
            return emitted.event;
          }),
        );
      }
      return guardedToolCall(call, tool, setup, run.mode.answer, (outcome) => record(call, outcome));
    };
    const { trace } = run;
    const execute = !trace
      ? untraced
      : (call: FunctionCallItem, tool: AnyTool<TContext>) =>
          trace.toolCall(tracedToolCall(call, tool, agent.name, turn), untraced(call, tool));
    const reject = (call: FunctionCallItem, decision: ApprovalDecisionData): Observable<RunEvent<unknown>> =>
      defer(() => {
        const output = decision.message ?? rejectionText(call.name);
        state.toolOutputs.set(call.call_id, { output, rejected: true });
        const event: ToolOutputEvent = {
          type: 'tool-output',
          ...base,
          callId: call.call_id,
          name: call.name,
          output,
          rejected: true,
        };
        return of(event);
      });
    const carryOut = (call: FunctionCallItem, tool: AnyTool<TContext>, decision: ApprovalDecisionData) =>
      decision.approved ? execute(call, tool) : reject(call, decision);

    const callEvents = ({ call }: PlannedToolCall): Observable<RunEvent<unknown>> => {
      const tool = tools.get(call.name);
      // A resumed run's call of an MCP tool that its server no longer lists.
      if (!tool) {
        return throwError(
          () =>
            new InvalidArgumentError({
              argument: 'state',
              message: `the run resumes a call of the tool '${call.name}', which agent '${agent.name}' no longer has.`,
            }),
        );
      }
      // A decision stands, even if the tool's definition changed since it was given.
      const decided = state.approvals.get(call.call_id);
      if (decided) return carryOut(call, tool, decided);
      // Most tools need no approval: they run with nothing between (the tool-loop bench counts it).
      if (tool.needsApproval === false) return execute(call, tool);
      return approvalCheck(call, tool, agent.name, context, run.mode).pipe(
        concatMap((check) => {
          if (!check.needed) return execute(call, tool);
          const { request } = check;
          const requested: ToolApprovalRequestedEvent = {
            type: 'tool-approval-requested',
            ...base,
            callId: request.callId,
            name: request.name,
            arguments: request.arguments,
          };
          const { approve } = run.settings;
          if (!approve) {
            return defer(() => {
              state.pendingApprovals.push(request);
              return of(requested);
            });
          }
          return concat(
            of(requested),
            askApprover(approve, request, run.mode).pipe(
              tap((decision) => state.approvals.set(call.call_id, decision)),
              concatMap((decision) => carryOut(call, tool, decision)),
            ),
          );
        }),
      );
    };

    const announced = toRun.map(({ call }): ToolCallEvent => ({
      type: 'tool-call',
      ...base,
      callId: call.call_id,
      name: call.name,
      arguments: parseArguments(call.arguments),
    }));
    const finish = defer((): Observable<RunEvent<unknown>> => {
      // Calls wait for a decision: the step is not done, and the loop interrupts the run.
      if (state.pendingApprovals.length > 0) return EMPTY;
      if (calls.some((planned) => planned.kind === 'function')) state.toolUse.add(agent.name);
      state.addItems(
        calls.map((planned): FunctionCallOutputItem => ({
          type: 'function_call_output',
          call_id: planned.call.call_id,
          output:
            planned.kind === 'function'
              ? (state.toolOutputs.get(planned.call.call_id)?.output ?? '')
              : handoffOutput(planned),
        })),
      );
      // Reads the outputs before they are cleared; sets `state.next` when a rule stops the run.
      const toolUse = finalOutputFromTools(agent, calls, state, run);
      state.toolOutputs.clear();
      state.approvals.clear();
      state.next = { type: 'call-model' };
      const handoff = calls.find(
        (planned): planned is PlannedHandoff => planned.kind === 'handoff' && planned.carriedOut,
      );
      if (!handoff) return toolUse;
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
    return concat(from(announced), merge(...toRun.map(callEvents)), finish);
  });
}

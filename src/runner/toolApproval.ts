import { defer, map, of, type Observable } from 'rxjs';
import { InvalidArgumentError, ToolCallError } from '../errors.js';
import type { FunctionCallItem } from '../items.js';
import { describeThrown } from '../internal/describeThrown.js';
import type { AnyTool } from '../tool.js';
import type { RunMode } from './runContext.js';
import type { Approver } from './runOptions.js';
import type { ApprovalDecisionData, ToolApprovalRequest } from './runStateData.js';
import { validatedArguments } from './toolCalls.js';

/** Whether a call must wait for a decision, and if so its request (arguments validated). */
export type ApprovalCheck =
  { readonly needed: false } | { readonly needed: true; readonly request: ToolApprovalRequest };

const notNeeded: ApprovalCheck = { needed: false };

/**
 * Whether a call of `tool` needs approval: `needsApproval` as given, or its function's answer for
 * the call's validated arguments. A call whose arguments are not valid JSON or fail the schema
 * needs none: it will not run (the tool step reports the error to the model).
 *
 * A `needsApproval` function that throws, rejects or answers anything but a boolean fails the
 * run with a `ToolCallError`: a check that broke must neither run a guarded tool nor skip it.
 */
export function approvalCheck<TContext>(
  call: FunctionCallItem,
  tool: AnyTool<TContext>,
  agent: string,
  context: TContext,
  mode: RunMode,
): Observable<ApprovalCheck> {
  return defer(() => {
    const { needsApproval } = tool;
    if (needsApproval === false) return of(notNeeded);
    const parsed = validatedArguments(call, tool);
    if (!parsed.success) return of(notNeeded);
    const request: ToolApprovalRequest = { agent, callId: call.call_id, name: call.name, arguments: parsed.data };
    if (needsApproval === true) return of({ needed: true, request });
    const failed = (why: string, cause?: unknown): ToolCallError =>
      new ToolCallError({ toolName: call.name, callId: call.call_id, message: `needsApproval ${why}`, cause });
    let answer: unknown;
    try {
      answer = (needsApproval as (args: unknown, context: unknown) => unknown)(parsed.data, {
        context,
        agent,
        callId: call.call_id,
      });
    } catch (error) {
      throw failed(`threw: ${describeThrown(error)}`, error);
    }
    return mode.decision(answer, `needsApproval of tool '${call.name}'`).pipe(
      map((needed): ApprovalCheck => {
        if (typeof needed !== 'boolean') throw failed(`must answer a boolean; got ${describeThrown(needed)}.`);
        return needed ? { needed: true, request } : notNeeded;
      }),
    );
  });
}

/**
 * Asks the run's `approve` option for a decision on `request`: its value, its Promise's value or
 * its Observable's first value, checked.
 */
export function askApprover(
  approve: Approver,
  request: ToolApprovalRequest,
  mode: RunMode,
): Observable<ApprovalDecisionData> {
  return defer(() => mode.decision(approve(request), 'approve')).pipe(
    map((decision) => decisionData(decision, request.callId)),
  );
}

function decisionData(decision: unknown, callId: string): ApprovalDecisionData {
  if (typeof decision === 'boolean') return { callId, approved: decision };
  if (
    typeof decision === 'object' &&
    decision !== null &&
    typeof (decision as { approved?: unknown }).approved === 'boolean'
  ) {
    const { approved, message } = decision as { approved: boolean; message?: unknown };
    if (message !== undefined && typeof message !== 'string') {
      throw new InvalidArgumentError({
        argument: 'approve',
        message: `a decision's message must be a string; got ${describeThrown(message)} for call '${callId}'.`,
      });
    }
    return message === undefined ? { callId, approved } : { callId, approved, message };
  }
  throw new InvalidArgumentError({
    argument: 'approve',
    message: `approve must answer true, false or { approved, message? }; got ${decision === undefined ? 'no decision (an Observable that completed empty?)' : describeThrown(decision)} for call '${callId}'.`,
  });
}

/** What the model is told of a rejected call that was given no message. */
export function rejectionText(toolName: string): string {
  return `The call of tool '${toolName}' was rejected by the user, and the tool did not run.`;
}

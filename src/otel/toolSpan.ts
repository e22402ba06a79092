import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { defer, type Observable } from 'rxjs';
import type { RunEvent, ToolOutputEvent } from '../events.js';
import type { TracedToolCall } from '../tracing.js';
import { attr, errorType, jsonOf } from './attributes.js';
import { messageOf } from './chatSpan.js';
import type { SpanParent } from './setup.js';
import { inSpan, type SpanOutcome } from './spanLifetime.js';

/** `gen_ai.tool.type` of each kind of tool: an MCP server's tool is an agent-side extension. */
const toolTypes = { function: 'function', agent: 'function', mcp: 'extension' } as const;

/**
 * One tool call as an `execute_tool {tool name}` span (kind `INTERNAL`) under the agent's span,
 * with the call subscribed in the span's context, so that spans the tool makes (a database query,
 * an HTTP request, an agent called as a tool) are its children. It ends with the call's
 * `tool-output`: `ERROR` and `error.type` for a tool error reported to the model, and for an error
 * that fails the run; unset with `rxjs_agents.cancelled` when the call is unsubscribed. With
 * `captureContent`, the arguments and the result.
 *
 * Internal to `src/otel/`.
 */
export function toolSpan(
  parent: SpanParent,
  call: TracedToolCall,
  execution: Observable<RunEvent<unknown>>,
): Observable<RunEvent<unknown>> {
  return defer(() => {
    const { setup } = parent;
    const span = setup.tracer.startSpan(
      `execute_tool ${call.name}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [attr.operationName]: 'execute_tool',
          [attr.toolName]: call.name,
          [attr.toolCallId]: call.callId,
          [attr.toolType]: toolTypes[call.kind],
          [attr.toolDescription]: call.description,
          [attr.agentName]: call.agent,
          [attr.turn]: call.turn,
        },
      },
      parent.context(),
    );
    if (setup.captureContent) span.setAttribute(attr.toolArguments, call.arguments);
    let output: ToolOutputEvent | undefined;
    const watch = (event: RunEvent<unknown>): void => {
      if (event.type === 'tool-output' && event.callId === call.callId && event.parentCallId === undefined) {
        output = event;
      }
    };
    const record = (outcome: SpanOutcome): void => {
      if (typeof outcome === 'object') {
        span.setAttribute(attr.errorType, errorType(outcome.error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(outcome.error) });
      } else if (outcome === 'cancelled') {
        span.setAttribute(attr.cancelled, true);
      } else if (output?.error) {
        span.setAttribute(attr.errorType, output.error.name);
        span.setStatus({ code: SpanStatusCode.ERROR, message: output.error.message });
      }
      if (output?.rejected) span.setAttribute(attr.toolRejected, true);
      if (output && setup.captureContent && !output.error) span.setAttribute(attr.toolResult, jsonOf(output.output));
    };
    return inSpan(parent, span, execution, watch, record);
  });
}

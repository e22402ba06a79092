import { defer, tap, type Observable } from 'rxjs';
import type { Agent } from '../agent.js';
import type { RunEvent } from '../events.js';
import { agentToolOf } from '../agentTool.js';
import type { FunctionCallItem } from '../items.js';
import type { AnyTool } from '../tool.js';
import type { RunTrace, TracedAgent, TracedToolCall } from '../tracing.js';
import { isMcpTool } from './mcpTools.js';

/**
 * A traced run: each of its own events goes to `trace` before the subscriber sees it (a nested
 * run's forwarded events, which carry `parentCallId`, are its own trace's), and the trace is told
 * how the run ended — before the subscriber hears of it, so that a run that has ended has ended
 * its spans too — or that it was unsubscribed first. A `tap`, the lightest hop RxJS's public API
 * gives: every event of a traced run passes it.
 */
export function traced<T>(steps: Observable<RunEvent<T>>, trace: RunTrace): Observable<RunEvent<T>> {
  return defer(() => {
    let interrupted = false;
    return steps.pipe(
      tap({
        next: (event) => {
          if (event.parentCallId !== undefined) return;
          if (event.type === 'run-interrupted') interrupted = true;
          trace.event(event);
        },
        error: (error: unknown) => trace.end({ type: 'failed', error }),
        complete: () => trace.end({ type: interrupted ? 'interrupted' : 'completed' }),
        unsubscribe: () => trace.end({ type: 'cancelled' }),
      }),
    );
  });
}

/** An agent as a trace names it. */
export function tracedAgent(agent: Agent<unknown, never>): TracedAgent {
  return {
    name: agent.name,
    ...(agent.handoffDescription === undefined ? {} : { description: agent.handoffDescription }),
    outputType: agent.outputType === undefined ? 'text' : 'json',
  };
}

/** A tool call as a trace names it. */
export function tracedToolCall(
  call: FunctionCallItem,
  tool: AnyTool<never>,
  agent: string,
  turn: number,
): TracedToolCall {
  return {
    agent,
    turn,
    callId: call.call_id,
    name: call.name,
    description: tool.description,
    kind: agentToolOf(tool) ? 'agent' : isMcpTool(tool) ? 'mcp' : 'function',
    arguments: call.arguments,
  };
}

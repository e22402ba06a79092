import { Observable } from 'rxjs';
import type { Agent } from '../agent.js';
import type { RunEvent } from '../events.js';
import { agentToolOf } from '../agentTool.js';
import type { FunctionCallItem } from '../items.js';
import type { AnyTool } from '../tool.js';
import type { RunTrace, RunTraceEnd, TracedAgent, TracedToolCall } from '../tracing.js';
import { isMcpTool } from './mcpTools.js';

/**
 * How a traced run's end reaches its trace: once, by whichever part of the run saw it first (the
 * steps' sequence, or the `signal` and `stopAfterTurn` watchers around it, whose errors never pass
 * through the steps).
 */
export class TraceEnding {
  readonly trace: RunTrace;
  #ended = false;

  constructor(trace: RunTrace) {
    this.trace = trace;
  }

  /** Tells the trace how the run ended, unless it has been told already. */
  end(end: RunTraceEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.trace.end(end);
  }
}

/**
 * A traced run's parts (its session's loading, then its steps), one after another: the run's own
 * `concat`, which also tells the trace each of the run's events but `raw` and `text-delta` (a
 * model call's, which the trace's observer of the call's attempt sees; a nested run's forwarded
 * events, which carry `parentCallId`, are its own trace's), and how the run ended — before the
 * subscriber hears of it, so that a run that has ended has ended its spans too — or that it was
 * unsubscribed first.
 *
 * It takes the place of the `concat` an untraced run has there, so tracing adds no subscriber
 * between the run's events and its consumer: only the checks below, per event (the pipeline bench
 * has 100,000 of them in one call, and a `tap` around the run cost 1.2× of its time).
 */
export function tracedParts<T>(
  parts: readonly Observable<RunEvent<T>>[],
  ending: TraceEnding,
): Observable<RunEvent<T>> {
  return new Observable<RunEvent<T>>((subscriber) => {
    const { trace } = ending;
    let interrupted = false;
    let index = 0;
    const observer = {
      next: (event: RunEvent<T>): void => {
        if (event.type !== 'text-delta' && event.type !== 'raw' && event.parentCallId === undefined) {
          if (event.type === 'run-interrupted') interrupted = true;
          trace.event(event);
        }
        subscriber.next(event);
      },
      error: (error: unknown): void => {
        ending.end({ type: 'failed', error });
        subscriber.error(error);
      },
      complete: (): void => next(),
    };
    const next = (): void => {
      const part = parts[index++];
      if (!part) {
        ending.end({ type: interrupted ? 'interrupted' : 'completed' });
        subscriber.complete();
        return;
      }
      // The part's subscriber is the run's before the part starts: unsubscribing the run, even
      // from inside a synchronous model's event, closes it, as `concat` would.
      new Observable<RunEvent<T>>((partSubscriber) => {
        subscriber.add(partSubscriber);
        return part.subscribe(partSubscriber);
      }).subscribe(observer);
    };
    next();
    // Its parts end first (their spans with them), then the run's: `cancelled` unless it had ended.
    return () => ending.end({ type: 'cancelled' });
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

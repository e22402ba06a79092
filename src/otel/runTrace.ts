import { SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { Observable } from 'rxjs';
import { RunAbortedError } from '../errors.js';
import type { RunEvent } from '../events.js';
import type { ModelDescription, ModelEvent } from '../model.js';
import type {
  RunTrace,
  RunTraceEnd,
  TracedAgent,
  TracedModelCall,
  TracedRunStart,
  TracedToolCall,
} from '../tracing.js';
import { attr, defined, errorType, guarded, jsonOf } from './attributes.js';
import { chatSpan, messageOf } from './chatSpan.js';
import type { OpenSpan, OtelSetup, SpanParent } from './setup.js';
import { toolSpan } from './toolSpan.js';

/** Tokens an agent's span has counted, from its turns' `turn-completed` events. */
interface Tokens {
  input: number;
  output: number;
}

/**
 * One run as spans: the run is an `invoke_agent {agent}` span (kind `INTERNAL`) under the context
 * the run was subscribed in; a handoff ends the agent's span (unless it is the run's) and starts
 * the next agent's under the run's; model calls and tool calls are spans under the active agent's
 * ({@link chatSpan}, {@link toolSpan}). Guardrail checks, approval requests, rejected calls, handoffs, restarted
 * turns and an interruption are events on the active agent's span. The run's span ends last, with
 * `rxjs_agents.run.outcome` and, when the run failed, `ERROR` and `error.type` (a run whose
 * `signal` aborted is `cancelled`, as an unsubscribed one is, not failed); spans still open
 * when the run ends (a tool its failure cut short) end first, as cancelled.
 *
 * Internal to `src/otel/`.
 */
export class OtelRunTrace implements RunTrace, SpanParent {
  readonly setup: OtelSetup;
  readonly #run: Span;
  readonly #runContext: Context;
  readonly #runTokens: Tokens = { input: 0, output: 0 };
  #agent: Span;
  #agentContext: Context;
  #agentTokens: Tokens;
  #provider: string | undefined;
  /** Whether the active agent's span has its description and output type (a handoff's has not, until its first model call). */
  #agentDescribed = true;
  readonly #open = new Set<OpenSpan>();

  constructor(setup: OtelSetup, start: TracedRunStart, parent: Context) {
    this.setup = setup;
    this.#run = this.#startAgent(start.agent, parent);
    if (start.resumed) this.#run.setAttribute(attr.resumed, true);
    this.#runContext = trace.setSpan(parent, this.#run);
    this.#agent = this.#run;
    this.#agentContext = this.#runContext;
    this.#agentTokens = this.#runTokens;
  }

  context(): Context {
    return this.#agentContext;
  }

  opened(span: OpenSpan): void {
    this.#open.add(span);
  }

  closed(span: OpenSpan): void {
    this.#open.delete(span);
  }

  modelCalled(agent: TracedAgent, model: ModelDescription): void {
    if (this.#provider === undefined) {
      this.#provider = model.provider;
      this.#run.setAttributes({ [attr.providerName]: model.provider, [attr.requestModel]: model.model });
    }
    if (this.#agentDescribed) return;
    this.#agentDescribed = true;
    this.#agent.setAttributes(
      defined({
        [attr.providerName]: model.provider,
        [attr.requestModel]: model.model,
        [attr.agentDescription]: agent.description,
        [attr.outputType]: agent.outputType,
      }),
    );
  }

  event(event: RunEvent<unknown>): void {
    switch (event.type) {
      case 'raw':
      case 'text-delta':
        return;
      case 'turn-completed':
        this.#agentTokens.input += event.usage.inputTokens;
        this.#agentTokens.output += event.usage.outputTokens;
        if (this.#agentTokens !== this.#runTokens) {
          this.#runTokens.input += event.usage.inputTokens;
          this.#runTokens.output += event.usage.outputTokens;
        }
        return;
      case 'agent-updated':
        guarded(() => this.#handoff(event.from, event.agent, event.callId));
        return;
      case 'guardrail':
        guarded(() =>
          this.#agent.addEvent(
            'rxjs_agents.guardrail',
            defined({
              [attr.guardrailName]: event.name,
              [attr.guardrailKind]: event.kind,
              [attr.guardrailTripped]: event.tripwireTriggered,
              [attr.guardrailBehavior]: event.behavior,
              [attr.toolCallId]: event.callId,
            }),
          ),
        );
        return;
      case 'tool-approval-requested':
        guarded(() =>
          this.#agent.addEvent('rxjs_agents.tool_approval_requested', {
            [attr.toolName]: event.name,
            [attr.toolCallId]: event.callId,
          }),
        );
        return;
      case 'tool-output':
        // A rejected call: one the approver rejected never runs, so has no execute_tool span, and the
        // event is all that tells of it (one a tool guardrail rejected has its span marked too).
        if (event.rejected && event.parentCallId === undefined) {
          guarded(() =>
            this.#agent.addEvent('rxjs_agents.tool_rejected', {
              [attr.toolName]: event.name,
              [attr.toolCallId]: event.callId,
            }),
          );
        }
        return;
      case 'turn-restarted':
        guarded(() =>
          this.#agent.addEvent('rxjs_agents.turn_restarted', {
            [attr.turn]: event.turn,
            [attr.attempt]: event.attempt,
            [attr.restartReason]: event.reason.name,
          }),
        );
        return;
      case 'run-interrupted':
        guarded(() =>
          this.#agent.addEvent('rxjs_agents.run_interrupted', {
            [attr.interruptReason]: event.reason,
          }),
        );
        return;
      case 'final-output':
        if (this.setup.captureContent) {
          guarded(() =>
            this.#run.setAttribute(
              attr.outputMessages,
              jsonOf([{ role: 'assistant', parts: [{ type: 'text', content: jsonOf(event.output) }] }]),
            ),
          );
        }
        return;
      default:
        return;
    }
  }

  modelCall(call: TracedModelCall, attempt: Observable<ModelEvent>): Observable<ModelEvent> {
    return chatSpan(this, call, attempt);
  }

  toolCall(call: TracedToolCall, execution: Observable<RunEvent<unknown>>): Observable<RunEvent<unknown>> {
    return toolSpan(this, call, execution);
  }

  end(end: RunTraceEnd): void {
    // The spans a failure or a cancellation cut short end before the run's.
    for (const open of [...this.#open]) open.cancel();
    // A run whose signal aborted was cancelled by its caller, as an unsubscribed one is: not an error of the run.
    const how: RunTraceEnd =
      end.type === 'failed' && RunAbortedError.isInstance(end.error) ? { type: 'cancelled' } : end;
    guarded(() => {
      if (this.#agent !== this.#run) this.#endAgent(this.#agent, this.#agentTokens, how);
      this.#endAgent(this.#run, this.#runTokens, how);
    });
  }

  #startAgent(agent: Pick<TracedAgent, 'name'> & Partial<TracedAgent>, parent: Context): Span {
    return this.setup.tracer.startSpan(
      `invoke_agent ${agent.name}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: defined({
          [attr.operationName]: 'invoke_agent',
          [attr.agentName]: agent.name,
          [attr.agentDescription]: agent.description,
          [attr.outputType]: agent.outputType,
        }),
      },
      parent,
    );
  }

  #endAgent(span: Span, tokens: Tokens, end: RunTraceEnd): void {
    span.setAttributes({
      [attr.inputTokens]: tokens.input,
      [attr.outputTokens]: tokens.output,
      [attr.outcome]: end.type,
    });
    if (end.type === 'failed') {
      span.setAttribute(attr.errorType, errorType(end.error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(end.error) });
    }
    span.end();
  }

  /** A handoff: the agent's span (unless it is the run's) ends, and the next agent's starts under the run's. */
  #handoff(from: string, to: string, callId: string): void {
    this.#agent.addEvent('rxjs_agents.handoff', {
      [attr.handoffFrom]: from,
      [attr.handoffTo]: to,
      [attr.toolCallId]: callId,
    });
    if (this.#agent !== this.#run) this.#endAgent(this.#agent, this.#agentTokens, { type: 'completed' });
    // The agent's provider, description and output type are not in the event: its first model call tells them.
    this.#agent = this.#startAgent({ name: to }, this.#runContext);
    this.#agentDescribed = false;
    this.#agentContext = trace.setSpan(this.#runContext, this.#agent);
    this.#agentTokens = { input: 0, output: 0 };
  }
}

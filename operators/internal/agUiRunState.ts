import type {
  AgUiEvent,
  AgUiInterrupt,
  AgUiRunFinishedEvent,
  AgUiRunFinishedOutcome,
  AgUiRunStartedEvent,
} from '../../src/agui/agUiEvents.js';
import type { RunEvent, RunInterruptedEvent } from '../../src/events.js';
import type { Usage } from '../../src/usage.js';
import { AgUiLane } from './agUiLane.js';
import { errorName, publicErrorMessage, type ErrorMessage } from './publicError.js';

/** What the per-subscription state is made with: the checked options. */
interface AgUiRunSettings {
  readonly threadId: string;
  readonly runId: string;
  readonly messageId: string;
  readonly clientTools: ReadonlySet<string>;
  readonly errorMessage: ErrorMessage;
  readonly partialOutput: boolean;
}

/**
 * One subscription's translation of run events into AG-UI events: the run's own agent and each
 * subagent (an agent called as a tool) as a lane of its own, what each call belongs to, whether
 * the run has ended. Made per subscription by `toAgUiEvents`, so nothing is shared between two
 * runs.
 */
export class AgUiRunState {
  readonly #settings: AgUiRunSettings;
  readonly #main: AgUiLane;
  /** The subagents running, by the id of the call that runs each. */
  readonly #subagents = new Map<string, AgUiLane>();
  /** Each call's lane, for the subagent a call starts: its parent and its message. */
  readonly #calls = new Map<string, { readonly lane: AgUiLane; readonly messageId: string }>();
  #ended = false;

  constructor(settings: AgUiRunSettings) {
    this.#settings = settings;
    this.#main = new AgUiLane(settings.messageId, undefined, settings.partialOutput);
  }

  started(): AgUiRunStartedEvent {
    const { threadId, runId } = this.#settings;
    return { type: 'RUN_STARTED', threadId, runId };
  }

  /** The AG-UI events of one run event (none for most `raw` ones). Nothing follows the end. */
  translate(event: RunEvent<unknown>): AgUiEvent[] {
    if (this.#ended) return [];
    const out: AgUiEvent[] = [];
    const lane = event.parentCallId === undefined ? this.#main : this.#subagent(event.parentCallId, event.agent, out);
    if (event.type === 'tool-call') {
      lane.enterTurn(event.turn, out);
      this.#calls.set(event.callId, { lane, messageId: lane.messageId });
    }
    if (event.type === 'tool-output') this.#endSubagent(event.callId, event.error, out);
    if (lane.translate(event, out)) return out;
    if (event.type === 'final-output') {
      const result = event.output === undefined || event.output === null ? {} : { result: event.output };
      out.push(...this.#finish({ type: 'success' }, result, event.usage));
    } else if (event.type === 'run-interrupted') {
      out.push(...this.#finish(this.#interruptOutcome(event), {}, event.usage));
    }
    return out;
  }

  /** What a source that completed gives: a run that did not end is `cancelled`. */
  completed(): AgUiEvent[] {
    return this.#ended ? [] : this.#finish({ type: 'cancelled' }, {});
  }

  /** What an error gives: the open messages and steps closed, and `RUN_ERROR`. */
  failed(error: unknown): AgUiEvent[] {
    if (this.#ended) return [];
    const out: AgUiEvent[] = [];
    this.#closeAll(out);
    this.#ended = true;
    out.push({
      type: 'RUN_ERROR',
      message: publicErrorMessage(error, this.#settings.errorMessage),
      code: errorName(error),
    });
    return out;
  }

  /** The lane of the subagent that call `callId` runs, started (`SUBAGENT_STARTED`) on its first event. */
  #subagent(callId: string, name: string, out: AgUiEvent[]): AgUiLane {
    const running = this.#subagents.get(callId);
    if (running) return running;
    const base = `${this.#settings.messageId}:${callId}`;
    const lane = new AgUiLane(base, `${base}:agent`, false);
    this.#subagents.set(callId, lane);
    const call = this.#calls.get(callId);
    out.push({
      type: 'SUBAGENT_STARTED',
      subagentRunId: lane.subagentRunId!,
      name,
      parentToolCallId: callId,
      ...(call === undefined ? {} : { parentMessageId: call.messageId }),
      ...(call?.lane.subagentRunId === undefined ? {} : { parentSubagentRunId: call.lane.subagentRunId }),
    });
    return lane;
  }

  /** Ends the subagent of call `callId`, if it ran one: its lane closed, then its end. */
  #endSubagent(callId: string, error: { readonly name: string } | undefined, out: AgUiEvent[]): void {
    const lane = this.#subagents.get(callId);
    if (!lane) return;
    this.#subagents.delete(callId);
    lane.close(out);
    const subagentRunId = lane.subagentRunId!;
    out.push(
      error === undefined
        ? { type: 'SUBAGENT_FINISHED', subagentRunId }
        : { type: 'SUBAGENT_ERROR', subagentRunId, message: `The agent failed (${error.name}).`, code: error.name },
    );
  }

  /** Closes every lane: the subagents still running (finished), then the run's own. */
  #closeAll(out: AgUiEvent[]): void {
    for (const callId of [...this.#subagents.keys()]) this.#endSubagent(callId, undefined, out);
    this.#main.close(out);
  }

  #finish(outcome: AgUiRunFinishedOutcome, result: Pick<AgUiRunFinishedEvent, 'result'>, usage?: Usage): AgUiEvent[] {
    const out: AgUiEvent[] = [];
    this.#closeAll(out);
    this.#ended = true;
    const { threadId, runId } = this.#settings;
    out.push({
      type: 'RUN_FINISHED',
      threadId,
      runId,
      ...result,
      outcome,
      ...(usage === undefined
        ? {}
        : {
            usage: [
              { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens },
            ],
          }),
    });
    return out;
  }

  #interruptOutcome(event: RunInterruptedEvent): AgUiRunFinishedOutcome {
    if (event.reason === 'stopped') return { type: 'cancelled' };
    const { clientTools } = this.#settings;
    const interrupts = event.interruptions
      .filter((request) => !clientTools.has(request.name))
      .map((request): AgUiInterrupt => ({
        id: request.callId,
        reason: 'tool_approval',
        message: `The call of the tool '${request.name}' waits for approval.`,
        toolCallId: request.callId,
        metadata: { toolName: request.name, arguments: request.arguments },
      }));
    if (interrupts.length > 0) return { type: 'interrupt', interrupts };
    return { type: 'success', pendingToolCallIds: event.interruptions.map((request) => request.callId) };
  }
}

import type {
  AgUiEvent,
  AgUiInterrupt,
  AgUiRunFinishedEvent,
  AgUiRunFinishedOutcome,
  AgUiRunStartedEvent,
} from '../../src/agui/agUiEvents.js';
import type { RunEvent, RunInterruptedEvent, ToolOutputEvent } from '../../src/events.js';
import type { Usage } from '../../src/usage.js';
import { jsonEqual } from '../../src/internal/jsonEqual.js';
import { parseBudget, parsePartial, startsAnObject } from './partialJson.js';
import { errorName, publicMessageOf, type PublicErrorMessage } from './publicError.js';

/** What the per-subscription state is made with: the checked options. */
interface AgUiRunSettings {
  readonly threadId: string;
  readonly runId: string;
  readonly messageId: string;
  readonly clientTools: ReadonlySet<string>;
  readonly errorMessage: PublicErrorMessage;
  readonly partialOutput: boolean;
}

/**
 * One subscription's translation of run events into AG-UI events: which step and which message
 * are open, the id of the turn's message, whether the run has ended. Made per subscription by
 * `toAgUiEvents`, so nothing is shared between two runs.
 */
export class AgUiRunState {
  readonly #settings: AgUiRunSettings;
  #step: string | undefined;
  #text: string | undefined;
  /** The turn whose message `#messageId` is. */
  #turn = 0;
  #messageId = '';
  #ended = false;
  /** With `partialOutput`: the turn's text, its length when last parsed, the last partial sent. */
  #partial = { text: '', parsed: 0, last: undefined as object | undefined };

  constructor(settings: AgUiRunSettings) {
    this.#settings = settings;
  }

  started(): AgUiRunStartedEvent {
    const { threadId, runId } = this.#settings;
    return { type: 'RUN_STARTED', threadId, runId };
  }

  /** The AG-UI events of one run event (none for most `raw` ones). */
  translate(event: RunEvent<unknown>): AgUiEvent[] {
    // A nested run's events (an agent called as a tool) are not the conversation's: the call's
    // result is. And nothing follows the end.
    if (this.#ended || event.parentCallId !== undefined) return [];
    const out: AgUiEvent[] = [];
    switch (event.type) {
      case 'turn-started':
        this.#enterTurn(event.turn, out);
        break;
      case 'text-delta':
        this.#enterTurn(event.turn, out);
        if (this.#text === undefined) {
          this.#text = this.#messageId;
          out.push({ type: 'TEXT_MESSAGE_START', messageId: this.#text, role: 'assistant' });
        }
        out.push({ type: 'TEXT_MESSAGE_CONTENT', messageId: this.#text, delta: event.delta });
        if (this.#settings.partialOutput) this.#growPartial(event.delta, out);
        break;
      case 'turn-completed':
        if (this.#settings.partialOutput) this.#parsePartial(out);
        this.#closeText(out);
        break;
      case 'turn-restarted': {
        this.#enterTurn(event.turn, out);
        const abandoned = this.#text ?? this.#messageId;
        this.#closeText(out);
        this.#messageId = `${this.#settings.messageId}:${event.turn}:${event.attempt}`;
        this.#partial = { text: '', parsed: 0, last: undefined };
        out.push({
          type: 'CUSTOM',
          name: 'rxjs-agents.turn-restarted',
          value: { messageId: abandoned, attempt: event.attempt },
        });
        break;
      }
      case 'tool-call': {
        this.#enterTurn(event.turn, out);
        this.#closeText(out);
        const args = typeof event.arguments === 'string' ? event.arguments : (JSON.stringify(event.arguments) ?? '');
        out.push(
          {
            type: 'TOOL_CALL_START',
            toolCallId: event.callId,
            toolCallName: event.name,
            parentMessageId: this.#messageId,
          },
          { type: 'TOOL_CALL_ARGS', toolCallId: event.callId, delta: args },
          { type: 'TOOL_CALL_END', toolCallId: event.callId },
        );
        break;
      }
      case 'tool-output':
        this.#enterTurn(event.turn, out);
        out.push({
          type: 'TOOL_CALL_RESULT',
          messageId: `${this.#settings.messageId}:result:${event.callId}`,
          toolCallId: event.callId,
          content: resultContent(event),
          role: 'tool',
        });
        break;
      case 'agent-updated':
        out.push({
          type: 'CUSTOM',
          name: 'rxjs-agents.agent-updated',
          value: { from: event.from, agent: event.agent },
        });
        break;
      case 'final-output':
        out.push(
          ...this.#finish(
            { type: 'success' },
            event.output === undefined || event.output === null ? {} : { result: event.output },
            event.usage,
          ),
        );
        break;
      case 'run-interrupted':
        out.push(...this.#finish(this.#interruptOutcome(event), {}, event.usage));
        break;
      default:
        break;
    }
    return out;
  }

  /** What a source that completed gives: a run that did not end is `cancelled`. */
  completed(): AgUiEvent[] {
    return this.#ended ? [] : this.#finish({ type: 'cancelled' }, {});
  }

  /** What an error gives: the open message and step closed, and `RUN_ERROR`. */
  failed(error: unknown): AgUiEvent[] {
    if (this.#ended) return [];
    const out: AgUiEvent[] = [];
    this.#closeStep(out);
    this.#ended = true;
    out.push({
      type: 'RUN_ERROR',
      message: publicMessageOf(error, this.#settings.errorMessage),
      code: errorName(error),
    });
    return out;
  }

  #finish(outcome: AgUiRunFinishedOutcome, result: Pick<AgUiRunFinishedEvent, 'result'>, usage?: Usage): AgUiEvent[] {
    const out: AgUiEvent[] = [];
    this.#closeStep(out);
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

  /** Opens turn `turn`'s step (finishing the one before) when it is not the open one. */
  #enterTurn(turn: number, out: AgUiEvent[]): void {
    const stepName = `turn ${turn}`;
    if (this.#step === stepName) return;
    this.#closeStep(out);
    this.#step = stepName;
    if (this.#turn !== turn) {
      this.#turn = turn;
      this.#messageId = `${this.#settings.messageId}:${turn}`;
      this.#partial = { text: '', parsed: 0, last: undefined };
    }
    out.push({ type: 'STEP_STARTED', stepName });
  }

  /** Adds a delta to the turn's text, and parses it when it has grown enough (linear in all). */
  #growPartial(delta: string, out: AgUiEvent[]): void {
    const partial = this.#partial;
    partial.text += delta;
    if ((partial.text.length - partial.parsed) * parseBudget >= partial.text.length) this.#parsePartial(out);
  }

  /** Sends the turn's structured answer so far, when it is an object that changed. */
  #parsePartial(out: AgUiEvent[]): void {
    const partial = this.#partial;
    if (partial.text.length === partial.parsed) return;
    partial.parsed = partial.text.length;
    if (!startsAnObject(partial.text)) return;
    const value = parsePartial(partial.text);
    if (value === undefined || (partial.last !== undefined && jsonEqual(partial.last, value))) return;
    partial.last = value;
    out.push({
      type: 'CUSTOM',
      name: 'rxjs-agents.partial-output',
      value: { messageId: this.#text ?? this.#messageId, output: value },
    });
  }

  #closeText(out: AgUiEvent[]): void {
    if (this.#text === undefined) return;
    out.push({ type: 'TEXT_MESSAGE_END', messageId: this.#text });
    this.#text = undefined;
  }

  #closeStep(out: AgUiEvent[]): void {
    this.#closeText(out);
    if (this.#step === undefined) return;
    out.push({ type: 'STEP_FINISHED', stepName: this.#step });
    this.#step = undefined;
  }
}

/** A tool's output as the model read it: a string as it is, anything else as JSON; a failure's message. */
function resultContent(event: ToolOutputEvent): string {
  if (event.error !== undefined) return `Error: ${event.error.message}`;
  if (typeof event.output === 'string') return event.output;
  return JSON.stringify(event.output) ?? '';
}

import type {
  AgUiEvent,
  AgUiRunErrorEvent,
  AgUiRunFinishedEvent,
  AgUiRunStartedEvent,
  AgUiSubagentErrorEvent,
  AgUiSubagentFinishedEvent,
  AgUiSubagentStartedEvent,
} from '../../src/agui/agUiEvents.js';
import type { RunEvent, ToolOutputEvent } from '../../src/events.js';
import { jsonEqual } from '../../src/internal/jsonEqual.js';
import { parseBudget, parsePartial, startsAnObject } from './partialJson.js';

/** The events a lane makes: those AG-UI attributes to a subagent. */
type LaneEvent = Exclude<
  AgUiEvent,
  | AgUiRunStartedEvent
  | AgUiRunFinishedEvent
  | AgUiRunErrorEvent
  | AgUiSubagentStartedEvent
  | AgUiSubagentFinishedEvent
  | AgUiSubagentErrorEvent
>;

/**
 * One agent's part of the AG-UI stream: the run's own agent, or a subagent (an agent called as a
 * tool, whose events carry `parentCallId`). It knows its open step and message, its turn's message
 * id and, with `partialOutput`, the turn's text; every event it makes carries its
 * `subagentRunId`, so the client attributes it.
 */
export class AgUiLane {
  readonly subagentRunId: string | undefined;
  /** The base of its message ids. */
  readonly #base: string;
  readonly #partialOutput: boolean;
  #step: string | undefined;
  #text: string | undefined;
  /** The turn whose message `#messageId` is. */
  #turn = 0;
  #messageId = '';
  /** With `partialOutput`: the turn's text, its length when last parsed, the last partial sent. */
  #partial = { text: '', parsed: 0, last: undefined as object | undefined };

  constructor(base: string, subagentRunId: string | undefined, partialOutput: boolean) {
    this.#base = base;
    this.subagentRunId = subagentRunId;
    this.#partialOutput = partialOutput;
  }

  /** The message that holds the calls of the turn in flight. */
  get messageId(): string {
    return this.#messageId;
  }

  /** The AG-UI events of one of this agent's turn events; `false` for an event it does not handle. */
  translate(event: RunEvent<unknown>, out: AgUiEvent[]): boolean {
    switch (event.type) {
      case 'turn-started':
        this.#enterTurn(event.turn, out);
        return true;
      case 'text-delta':
        this.#enterTurn(event.turn, out);
        if (this.#text === undefined) {
          this.#text = this.#messageId;
          this.#push(out, { type: 'TEXT_MESSAGE_START', messageId: this.#text, role: 'assistant' });
        }
        this.#push(out, { type: 'TEXT_MESSAGE_CONTENT', messageId: this.#text, delta: event.delta });
        if (this.#partialOutput) this.#growPartial(event.delta, out);
        return true;
      case 'turn-completed':
        if (this.#partialOutput) this.#parsePartial(out);
        this.#closeText(out);
        return true;
      case 'turn-restarted': {
        this.#enterTurn(event.turn, out);
        const abandoned = this.#text ?? this.#messageId;
        this.#closeText(out);
        this.#messageId = `${this.#base}:${event.turn}:${event.attempt}`;
        this.#partial = { text: '', parsed: 0, last: undefined };
        this.#push(out, {
          type: 'CUSTOM',
          name: 'rxjs-agents.turn-restarted',
          value: { messageId: abandoned, attempt: event.attempt },
        });
        return true;
      }
      case 'tool-call': {
        this.#enterTurn(event.turn, out);
        this.#closeText(out);
        const args = typeof event.arguments === 'string' ? event.arguments : (JSON.stringify(event.arguments) ?? '');
        this.#push(out, {
          type: 'TOOL_CALL_START',
          toolCallId: event.callId,
          toolCallName: event.name,
          parentMessageId: this.#messageId,
        });
        this.#push(out, { type: 'TOOL_CALL_ARGS', toolCallId: event.callId, delta: args });
        this.#push(out, { type: 'TOOL_CALL_END', toolCallId: event.callId });
        return true;
      }
      case 'tool-output':
        this.#enterTurn(event.turn, out);
        this.#push(out, {
          type: 'TOOL_CALL_RESULT',
          messageId: `${this.#base}:result:${event.callId}`,
          toolCallId: event.callId,
          content: resultContent(event),
          role: 'tool',
        });
        return true;
      case 'agent-updated':
        this.#push(out, {
          type: 'CUSTOM',
          name: 'rxjs-agents.agent-updated',
          value: { from: event.from, agent: event.agent },
        });
        return true;
      default:
        return false;
    }
  }

  /** Opens turn `turn`'s step (finishing the one before) when it is not the open one. */
  enterTurn(turn: number, out: AgUiEvent[]): void {
    this.#enterTurn(turn, out);
  }

  /** Finishes the open message and step. */
  close(out: AgUiEvent[]): void {
    this.#closeText(out);
    if (this.#step === undefined) return;
    this.#push(out, { type: 'STEP_FINISHED', stepName: this.#step });
    this.#step = undefined;
  }

  #push(out: AgUiEvent[], event: LaneEvent): void {
    out.push(this.subagentRunId === undefined ? event : { ...event, subagentRunId: this.subagentRunId });
  }

  #enterTurn(turn: number, out: AgUiEvent[]): void {
    const stepName = `turn ${turn}`;
    if (this.#step === stepName) return;
    this.close(out);
    this.#step = stepName;
    if (this.#turn !== turn) {
      this.#turn = turn;
      this.#messageId = `${this.#base}:${turn}`;
      this.#partial = { text: '', parsed: 0, last: undefined };
    }
    this.#push(out, { type: 'STEP_STARTED', stepName });
  }

  #closeText(out: AgUiEvent[]): void {
    if (this.#text === undefined) return;
    this.#push(out, { type: 'TEXT_MESSAGE_END', messageId: this.#text });
    this.#text = undefined;
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
    this.#push(out, {
      type: 'CUSTOM',
      name: 'rxjs-agents.partial-output',
      value: { messageId: this.#text ?? this.#messageId, output: value },
    });
  }
}

/** A tool's output as the model read it: a string as it is, anything else as JSON; a failure's message. */
function resultContent(event: ToolOutputEvent): string {
  if (event.error !== undefined) return `Error: ${event.error.message}`;
  if (typeof event.output === 'string') return event.output;
  return JSON.stringify(event.output) ?? '';
}

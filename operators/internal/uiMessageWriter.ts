import { RunAbortedError } from '../../src/errors.js';
import type { RunEvent, ToolOutputEvent } from '../../src/events.js';
import { jsonEqual } from '../../src/internal/jsonEqual.js';
import type { UIFinishReason, UIMessageChunk } from '../../src/uiMessages/uiMessageChunk.js';
import { isObject, parseBudget, parsePartial, startsAnObject } from './partialJson.js';
import type { UIMessageEnd } from '../toUIMessageStream.js';
import { publicErrorMessage, type ErrorMessage } from './publicError.js';
import { reasoningDelta } from './reasoningDelta.js';

/** What one subscription of `toUIMessageStream()` was told, checked. */
export interface UIMessageWriterOptions {
  readonly messageId: string | undefined;
  readonly sendReasoning: boolean;
  readonly partialOutput: boolean;
  readonly errorMessage: ErrorMessage;
  readonly messageMetadata: ((end: UIMessageEnd) => unknown) | undefined;
}

/** The id of the one `data-partial-output` part of a message. */
export const partialOutputId = 'partial-output';

/**
 * The state of one subscription of `toUIMessageStream()`: which step, text part and reasoning
 * part are open, and the structured answer's text so far. Each method takes what the run said and
 * hands the chunks it makes to `emit`; `true` from one of them means the stream is over.
 *
 * A step is a turn and the tools it asked for: opened at `turn-started`, finished at the next one
 * or at the end. The tool events of a resumed run come before its first `turn-started`, so they
 * join the step the client's message ends with: the one whose calls waited for approval.
 */
export class UIMessageWriter {
  readonly #options: UIMessageWriterOptions;
  readonly #emit: (chunk: UIMessageChunk) => void;
  #stepOpen = false;
  #text: string | undefined;
  #reasoning: { readonly id: string; readonly key: string } | undefined;
  /** Parts opened so far: the number in their ids. */
  #parts = 0;
  #answer = { turn: 0, text: '', parsed: 0 };
  #hasPartial = false;
  #lastPartial: unknown;

  constructor(options: UIMessageWriterOptions, emit: (chunk: UIMessageChunk) => void) {
    this.#options = options;
    this.#emit = emit;
  }

  start(): void {
    const { messageId } = this.#options;
    this.#emit(messageId === undefined ? { type: 'start' } : { type: 'start', messageId });
  }

  /** One event of the run; `true` when it ended the message. */
  event(event: RunEvent<unknown>): boolean {
    // A nested run's events (an agent called as a tool) are not this message's: its call's
    // tool parts carry its result.
    if (event.parentCallId !== undefined) return false;
    switch (event.type) {
      case 'turn-started':
        this.#closeParts();
        if (this.#stepOpen) this.#emit({ type: 'finish-step' });
        this.#emit({ type: 'start-step' });
        this.#stepOpen = true;
        this.#answer = { turn: event.turn, text: '', parsed: 0 };
        return false;
      case 'raw': {
        const reasoning = this.#options.sendReasoning ? reasoningDelta(event) : undefined;
        if (reasoning !== undefined) this.#reasoningDelta(reasoning.key, reasoning.delta, event.turn);
        return false;
      }
      case 'text-delta':
        this.#textDelta(event.delta, event.turn);
        return false;
      case 'turn-restarted':
        // The client drops the step's parts; a new attempt opens new ones.
        this.#text = undefined;
        this.#reasoning = undefined;
        if (this.#stepOpen) this.#emit({ type: 'reset-step' });
        if (event.turn === this.#answer.turn) this.#answer = { turn: event.turn, text: '', parsed: 0 };
        return false;
      case 'turn-completed':
        this.#closeParts();
        if (event.turn === this.#answer.turn) this.#parseAnswer();
        return false;
      case 'tool-call':
        this.#closeParts();
        this.#emit({ type: 'tool-input-start', toolCallId: event.callId, toolName: event.name });
        this.#emit({
          type: 'tool-input-available',
          toolCallId: event.callId,
          toolName: event.name,
          input: event.arguments,
        });
        return false;
      case 'tool-approval-requested':
        this.#emit({ type: 'tool-approval-request', approvalId: event.callId, toolCallId: event.callId });
        return false;
      case 'tool-output':
        this.#emit(toolOutputChunk(event));
        return false;
      case 'final-output':
        if (this.#options.partialOutput && isObject(event.output)) this.#partial(event.output);
        this.#finish('stop', event);
        return true;
      case 'run-interrupted':
        this.#finish(event.reason === 'approval' ? 'tool-calls' : 'other', event);
        return true;
      case 'agent-updated':
      case 'guardrail':
        return false;
    }
  }

  /** The source completed without an end of the run (a `take` before the operator, say). */
  complete(): void {
    this.#finish('other', undefined);
  }

  /** The run failed: `abort` for a `RunAbortedError`, `error` with its public message otherwise. */
  error(error: unknown): void {
    this.#closeParts();
    if (RunAbortedError.isInstance(error)) this.#emit({ type: 'abort' });
    else this.#emit({ type: 'error', errorText: publicErrorMessage(error, this.#options.errorMessage) });
  }

  #finish(finishReason: UIFinishReason, end: UIMessageEnd | undefined): void {
    this.#closeParts();
    if (this.#stepOpen) this.#emit({ type: 'finish-step' });
    this.#stepOpen = false;
    const { messageMetadata } = this.#options;
    const metadata = messageMetadata !== undefined && end !== undefined ? messageMetadata(end) : undefined;
    this.#emit(
      metadata === undefined
        ? { type: 'finish', finishReason }
        : { type: 'finish', finishReason, messageMetadata: metadata },
    );
  }

  #textDelta(delta: string, turn: number): void {
    this.#closeReasoning();
    if (this.#text === undefined) {
      this.#text = `text-${turn}-${++this.#parts}`;
      this.#emit({ type: 'text-start', id: this.#text });
    }
    this.#emit({ type: 'text-delta', id: this.#text, delta });
    if (!this.#options.partialOutput) return;
    const answer = this.#answer;
    if (answer.turn !== turn) this.#answer = { turn, text: '', parsed: 0 };
    this.#answer.text += delta;
    const { text, parsed } = this.#answer;
    if ((text.length - parsed) * parseBudget >= text.length) this.#parseAnswer();
  }

  #reasoningDelta(key: string, delta: string, turn: number): void {
    this.#closeText();
    if (this.#reasoning?.key !== key) {
      this.#closeReasoning();
      this.#reasoning = { id: `reasoning-${turn}-${++this.#parts}`, key };
      this.#emit({ type: 'reasoning-start', id: this.#reasoning.id });
    }
    this.#emit({ type: 'reasoning-delta', id: this.#reasoning.id, delta });
  }

  #closeParts(): void {
    this.#closeText();
    this.#closeReasoning();
  }

  #closeText(): void {
    if (this.#text === undefined) return;
    this.#emit({ type: 'text-end', id: this.#text });
    this.#text = undefined;
  }

  #closeReasoning(): void {
    if (this.#reasoning === undefined) return;
    this.#emit({ type: 'reasoning-end', id: this.#reasoning.id });
    this.#reasoning = undefined;
  }

  /** Parses the turn's text, unless it has not grown since the last parse (see `partialJson.ts`). */
  #parseAnswer(): void {
    if (!this.#options.partialOutput) return;
    const answer = this.#answer;
    if (answer.text.length === answer.parsed) return;
    answer.parsed = answer.text.length;
    if (!startsAnObject(answer.text)) return;
    const partial = parsePartial(answer.text);
    if (partial !== undefined) this.#partial(partial);
  }

  #partial(value: unknown): void {
    if (this.#hasPartial && jsonEqual(this.#lastPartial, value)) return;
    this.#hasPartial = true;
    this.#lastPartial = value;
    this.#emit({ type: 'data-partial-output', id: partialOutputId, data: value });
  }
}

/**
 * A call's end as the client shows it: a person's rejection is `output-denied`; a failure, or a
 * tool guardrail's rejection (the text the model was sent instead), is `output-error`; anything
 * else is the tool's own return value (`null` for `undefined`, which JSON would drop).
 */
function toolOutputChunk(event: ToolOutputEvent): UIMessageChunk {
  const toolCallId = event.callId;
  if (event.error !== undefined) return { type: 'tool-output-error', toolCallId, errorText: event.error.message };
  if (event.rejected === true) {
    if (event.guardrail === undefined) return { type: 'tool-output-denied', toolCallId };
    return { type: 'tool-output-error', toolCallId, errorText: String(event.output) };
  }
  return { type: 'tool-output-available', toolCallId, output: event.output === undefined ? null : event.output };
}

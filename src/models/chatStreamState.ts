import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FunctionCallItem, MessageContentPart, MessageItem, OutputItem } from '../items.js';
import type { Usage } from '../usage.js';
import { isOptionalString, isRecord, usageFrom, type Json } from './eventShapes.js';

/**
 * What a streamed chat completion has said so far, built chunk by chunk into Responses-shaped
 * output items.
 *
 * Internal to `src/models/`.
 */

interface ToolCallSoFar {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Accumulates the chunks of one streamed chat completion (choice 0): its text, refusal, tool
 * calls (by `index`: id and name from the first delta that has them, arguments concatenated),
 * finish reason, id and usage (from the last chunk that carries it).
 */
export class ChatStreamState {
  id: string | undefined;
  finishReason: ChatCompletionChunk.Choice['finish_reason'] = null;
  #text = '';
  #refusal = '';
  readonly #toolCalls: ToolCallSoFar[] = [];
  #usage: Json | undefined;

  /**
   * Takes in `chunk`; returns its new text, if any (`''` otherwise).
   *
   * What is read is checked first: a chunk that is not an object, `choices` that is not a list, a
   * choice, delta or tool call that is not an object, content, refusal, a tool call's id, name or
   * arguments that are not strings, an `index` that is not a number. A violation throws
   * `malformed(what)`'s error; usage that is not counts is read as zeros.
   */
  add(chunk: unknown, malformed: (what: string) => Error): string {
    if (!isRecord(chunk)) throw malformed('a chunk that is not an object');
    if (this.id === undefined && typeof chunk['id'] === 'string') this.id = chunk['id'];
    if (isRecord(chunk['usage'])) this.#usage = chunk['usage'];
    const choices = chunk['choices'];
    if (choices === undefined || choices === null) return '';
    if (!Array.isArray(choices)) throw malformed('choices that are not a list');
    for (const candidate of choices) {
      if (!isRecord(candidate)) throw malformed('a choice that is not an object');
      if (candidate['index'] !== undefined && typeof candidate['index'] !== 'number')
        throw malformed('a choice whose index is not a number');
    }
    const choice = (choices as Json[]).find((candidate) => ((candidate['index'] as number | undefined) ?? 0) === 0);
    if (choice === undefined) return '';
    const finish = choice['finish_reason'];
    if (!isOptionalString(finish)) throw malformed('a finish_reason that is not a string');
    if (typeof finish === 'string' && finish !== '')
      this.finishReason = finish as NonNullable<ChatCompletionChunk.Choice['finish_reason']>;
    const delta = choice['delta'] ?? {};
    if (!isRecord(delta)) throw malformed('a delta that is not an object');
    const { content, refusal } = delta;
    if (!isOptionalString(content)) throw malformed('content that is not a string');
    if (!isOptionalString(refusal)) throw malformed('a refusal that is not a string');
    if (typeof refusal === 'string') this.#refusal += refusal;
    const toolCalls = delta['tool_calls'] ?? [];
    if (!Array.isArray(toolCalls)) throw malformed('tool_calls that are not a list');
    for (const call of toolCalls) this.#addToolCall(call, malformed);
    const text = typeof content === 'string' ? content : '';
    this.#text += text;
    return text;
  }

  #addToolCall(delta: unknown, malformed: (what: string) => Error): void {
    if (!isRecord(delta)) throw malformed('a tool call that is not an object');
    const fn = delta['function'] ?? {};
    if (!isRecord(fn)) throw malformed('a tool call whose function is not an object');
    const { id } = delta;
    const { name, arguments: args } = fn;
    if (!isOptionalString(id) || !isOptionalString(name) || !isOptionalString(args))
      throw malformed('a tool call whose id, name or arguments are not strings');
    // Some compatible servers leave out `index`: a delta with a new id is then a new call, and one
    // without an id continues the last call.
    let index = delta['index'];
    if (
      index !== undefined &&
      index !== null &&
      !(typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < 128)
    ) {
      throw malformed('a tool call whose index is not a small whole number');
    }
    if (typeof index !== 'number') {
      const last = this.#toolCalls.length - 1;
      index = id && (last < 0 || this.#toolCalls[last]?.id !== id) ? last + 1 : Math.max(last, 0);
    }
    let call = this.#toolCalls[index as number];
    if (call === undefined) {
      call = { id: '', name: '', arguments: '' };
      this.#toolCalls[index as number] = call;
    }
    if (typeof id === 'string' && id !== '' && call.id === '') call.id = id;
    if (typeof name === 'string' && name !== '' && call.name === '') call.name = name;
    if (typeof args === 'string') call.arguments += args;
  }

  /**
   * The output items: an assistant message when there was text (or a refusal), then a
   * `function_call` item per tool call, in index order. A call the server sent without an id gets
   * `call_<index>`, so that its output can still be matched to it.
   */
  output(): OutputItem[] {
    const items: OutputItem[] = [];
    const content: MessageContentPart[] = [];
    if (this.#text !== '') content.push({ type: 'output_text', text: this.#text, annotations: [] });
    if (this.#refusal !== '') content.push({ type: 'refusal', refusal: this.#refusal });
    if (content.length > 0) {
      const message: MessageItem = { type: 'message', role: 'assistant', content, status: 'completed' };
      items.push(message);
    }
    this.#toolCalls.forEach((call, index) => {
      if (call === undefined) return;
      const item: FunctionCallItem = {
        type: 'function_call',
        call_id: call.id === '' ? `call_${index}` : call.id,
        name: call.name,
        arguments: call.arguments,
      };
      items.push(item);
    });
    return items;
  }

  /** The usage of the completion (zeros where the server sent none, or sent something else than counts). */
  usage(): Usage {
    return usageFrom(this.#usage, ['prompt_tokens', 'completion_tokens', 'total_tokens']);
  }
}

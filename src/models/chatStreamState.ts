import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FunctionCallItem, MessageContentPart, MessageItem, OutputItem } from '../items.js';
import type { Usage } from '../usage.js';

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
  #usage: ChatCompletionChunk['usage'] = null;

  /** Takes in `chunk`; returns its new text, if any (`''` otherwise). */
  add(chunk: ChatCompletionChunk): string {
    this.id ??= chunk.id;
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    if (choice === undefined) return '';
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    const delta = choice.delta ?? {};
    if (typeof delta.refusal === 'string') this.#refusal += delta.refusal;
    for (const call of delta.tool_calls ?? []) this.#addToolCall(call);
    const text = typeof delta.content === 'string' ? delta.content : '';
    this.#text += text;
    return text;
  }

  #addToolCall(delta: ChatCompletionChunk.Choice.Delta.ToolCall): void {
    // Some compatible servers leave out `index`: a delta with a new id is then a new call, and one
    // without an id continues the last call.
    let index = delta.index;
    if (typeof index !== 'number') {
      const last = this.#toolCalls.length - 1;
      index = delta.id && (last < 0 || this.#toolCalls[last]?.id !== delta.id) ? last + 1 : Math.max(last, 0);
    }
    let call = this.#toolCalls[index];
    if (call === undefined) {
      call = { id: '', name: '', arguments: '' };
      this.#toolCalls[index] = call;
    }
    if (delta.id && call.id === '') call.id = delta.id;
    if (delta.function?.name && call.name === '') call.name = delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
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

  /** The usage of the completion (zeros where the server sent none). */
  usage(): Usage {
    return {
      requests: 1,
      inputTokens: this.#usage?.prompt_tokens ?? 0,
      outputTokens: this.#usage?.completion_tokens ?? 0,
      totalTokens: this.#usage?.total_tokens ?? 0,
    };
  }
}

import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { MessageContentPart, MessageItem, OutputItem } from '../items.js';
import type { Usage } from '../usage.js';
import { deltaContent, deltaReasoning } from './chatDeltaContent.js';
import { ChatToolCalls } from './chatToolCalls.js';
import { isOptionalString, isRecord, usageFrom, type Json } from './eventShapes.js';

/**
 * What a streamed chat completion has said so far, built chunk by chunk into Responses-shaped
 * output items.
 *
 * Internal to `src/models/`.
 */

/** The finish reasons of a choice, as OpenAI and compatible servers send them. */
export type ChatFinishReason = NonNullable<ChatCompletionChunk.Choice['finish_reason']>;

/**
 * Accumulates the chunks of one streamed chat completion (choice 0): its text, reasoning,
 * refusal, tool calls (see {@link ChatToolCalls}), finish reason, id and usage.
 *
 * Read the way the servers that speak the API send them:
 * - The id is the first non-empty one. Azure OpenAI's first chunk is its prompt-filter chunk,
 *   `{"id":"","choices":[],"prompt_filter_results":[…]}`, and some proxies send a placeholder
 *   first chunk of the same shape; the real id comes with the next chunk.
 * - `choices: []` (Azure's prompt filter, OpenAI's usage chunk, Mistral's keep-alives) and
 *   choices without a `delta` (Azure's content-filter offsets) add nothing; fields no reader
 *   needs (`content_filter_results`, `logprobs`, `x_groq`, `obfuscation`) pass untouched to the
 *   `raw` events.
 * - Text and reasoning as `chatDeltaContent.ts` reads them.
 * - Usage from the last chunk that carries a usage object, whether its `choices` are empty
 *   (OpenAI) or hold the finishing choice (Mistral, DeepSeek, Groq); Groq's older streams carry
 *   it only in `x_groq.usage`. None at all gives zeros.
 * - The categories an Azure content filter flagged (`content_filter_results.<category>.filtered`),
 *   so that a completion it stopped can say why.
 */
export class ChatStreamState {
  id: string | undefined;
  finishReason: ChatFinishReason | null = null;
  #text = '';
  #reasoning = '';
  #refusal = '';
  readonly #toolCalls = new ChatToolCalls();
  readonly #filtered = new Set<string>();
  #usage: Json | undefined;

  /**
   * Takes in `chunk`; returns its new answer text, if any (`''` otherwise).
   *
   * What is read is checked first: a chunk that is not an object, `choices` that is not a list, a
   * choice, delta or tool call that is not an object, content that is neither a string nor a list
   * of parts, a refusal, a tool call's id, name or arguments that are not strings, an `index` that
   * is not a number. A violation throws `malformed(what)`'s error; usage that is not counts is read
   * as zeros.
   */
  add(chunk: unknown, malformed: (what: string) => Error): string {
    if (!isRecord(chunk)) throw malformed('a chunk that is not an object');
    if (this.id === undefined && typeof chunk['id'] === 'string' && chunk['id'] !== '') this.id = chunk['id'];
    this.#takeUsage(chunk);
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
    if (typeof finish === 'string' && finish !== '') this.finishReason = finish as ChatFinishReason;
    this.#takeFilterResults(choice['content_filter_results']);
    const delta = choice['delta'] ?? {};
    if (!isRecord(delta)) throw malformed('a delta that is not an object');
    const { text, reasoning } = deltaContent(delta['content'], malformed);
    const { refusal } = delta;
    if (!isOptionalString(refusal)) throw malformed('a refusal that is not a string');
    if (typeof refusal === 'string') this.#refusal += refusal;
    const toolCalls = delta['tool_calls'] ?? [];
    if (!Array.isArray(toolCalls)) throw malformed('tool_calls that are not a list');
    for (const call of toolCalls) this.#toolCalls.add(call, malformed);
    this.#reasoning += deltaReasoning(delta) + reasoning;
    this.#text += text;
    return text;
  }

  #takeUsage(chunk: Json): void {
    if (isRecord(chunk['usage'])) {
      this.#usage = chunk['usage'];
      return;
    }
    const groq = chunk['x_groq'];
    if (isRecord(groq) && isRecord(groq['usage'])) this.#usage = groq['usage'];
  }

  #takeFilterResults(results: unknown): void {
    if (!isRecord(results)) return;
    for (const [category, result] of Object.entries(results)) {
      if (isRecord(result) && result['filtered'] === true) this.#filtered.add(category);
    }
  }

  /** The content-filter categories the server flagged in the completion (Azure OpenAI), in order. */
  filteredCategories(): string[] {
    return [...this.#filtered];
  }

  /**
   * The output items, in the order the Responses API gives them: a `reasoning` item when the
   * server streamed reasoning (its text as one `reasoning_text` content part, the shape the
   * Responses API uses for a model's raw reasoning; no id, since no server gave one), an
   * assistant message when there was text (or a refusal), then a `function_call` item per tool
   * call. The reasoning item is for the user to read in `newItems`: the Chat Completions model
   * does not send it back (see `chatMessages.ts`), and it is not an item the Responses API would
   * take as input, having no id.
   */
  output(): OutputItem[] {
    const items: OutputItem[] = [];
    if (this.#reasoning !== '') {
      items.push({ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: this.#reasoning }] });
    }
    const content: MessageContentPart[] = [];
    if (this.#text !== '') content.push({ type: 'output_text', text: this.#text, annotations: [] });
    if (this.#refusal !== '') content.push({ type: 'refusal', refusal: this.#refusal });
    if (content.length > 0) {
      const message: MessageItem = { type: 'message', role: 'assistant', content, status: 'completed' };
      items.push(message);
    }
    items.push(...this.#toolCalls.items());
    return items;
  }

  /** The usage of the completion (zeros where the server sent none, or sent something else than counts). */
  usage(): Usage {
    return usageFrom(this.#usage, ['prompt_tokens', 'completion_tokens', 'total_tokens']);
  }
}

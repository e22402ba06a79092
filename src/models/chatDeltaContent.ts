import { isRecord } from './eventShapes.js';

/**
 * Reading what a Chat Completions delta says: its answer text and its reasoning, in the shapes
 * the servers that speak the API send them.
 *
 * - `content` as a string (OpenAI and most servers), or as a list of parts (Mistral's reasoning
 *   models: `[{ type: 'thinking', thinking: [{ type: 'text', text }] }]` and
 *   `[{ type: 'text', text }]`). Text parts are answer text; thinking parts are reasoning. Other
 *   part types (Mistral's `reference` chunks, say) carry no text of the answer and are skipped:
 *   they stay in the `raw` events.
 * - `reasoning_content` (DeepSeek, vLLM, xAI, Qwen on most servers) or `reasoning` (Groq,
 *   OpenRouter, Ollama, vLLM serving gpt-oss): reasoning, never answer text. The AI SDK's
 *   `openai-compatible` provider and the Agents SDKs' chat converters read the same two fields.
 *   A value that is not a string (OpenRouter's structured `reasoning_details` live in a field of
 *   their own) is not reasoning text and is left in the `raw` events.
 *
 * Internal to `src/models/`.
 */

/** What one delta adds. */
export interface DeltaContent {
  readonly text: string;
  readonly reasoning: string;
}

/**
 * The text and reasoning of a delta's `content`. A string is text; `null` or absent is nothing; a
 * list is read part by part. Anything else, a part that is not an object, or a text part whose
 * `text` is not a string, throws `malformed(what)`'s error.
 */
export function deltaContent(content: unknown, malformed: (what: string) => Error): DeltaContent {
  if (content === undefined || content === null) return { text: '', reasoning: '' };
  if (typeof content === 'string') return { text: content, reasoning: '' };
  if (!Array.isArray(content)) throw malformed('content that is neither a string nor a list of parts');
  let text = '';
  let reasoning = '';
  for (const part of content as unknown[]) {
    if (!isRecord(part)) throw malformed('a content part that is not an object');
    if (part['type'] === 'text') {
      if (typeof part['text'] !== 'string') throw malformed('a text content part without text');
      text += part['text'];
    } else if (part['type'] === 'thinking') {
      reasoning += thinkingText(part['thinking'], malformed);
    }
  }
  return { text, reasoning };
}

/** A thinking part's text: a string, or a list of text parts (Mistral's shape). */
function thinkingText(thinking: unknown, malformed: (what: string) => Error): string {
  if (thinking === undefined || thinking === null) return '';
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) throw malformed('a thinking content part whose thinking is not a list');
  let text = '';
  for (const part of thinking as unknown[]) {
    if (!isRecord(part)) throw malformed('a thinking content part that holds something else than parts');
    if (part['type'] === 'text' && typeof part['text'] === 'string') text += part['text'];
  }
  return text;
}

/** The reasoning a delta carries in `reasoning_content` or, failing that, `reasoning` (strings only). */
export function deltaReasoning(delta: Record<string, unknown>): string {
  const { reasoning_content: content, reasoning } = delta;
  if (typeof content === 'string' && content !== '') return content;
  return typeof reasoning === 'string' ? reasoning : '';
}

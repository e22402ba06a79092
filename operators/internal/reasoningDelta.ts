import type { RawModelEvent } from '../../src/events.js';
import { deltaContent, deltaReasoning } from '../../src/models/chatDeltaContent.js';
import { isRecord } from '../../src/models/eventShapes.js';

/**
 * The reasoning text a model's `raw` event carries. The run has no reasoning event of its own (the
 * reasoning reaches the run's items at the end of the response), so a UI that shows it as it
 * streams reads the provider's events:
 *
 * - Responses (`'openai-responses'`): `response.reasoning_summary_text.delta` (the summary OpenAI's
 *   reasoning models write when `reasoning.summary` is asked for) and `response.reasoning_text.delta`
 *   (the raw reasoning open models served with the Responses API send, gpt-oss on vLLM). Each
 *   summary part and each content part is a paragraph of its own: `key` tells them apart.
 * - Chat Completions (`'openai-chat-completions'`): the delta's `reasoning_content` or `reasoning`,
 *   and Mistral's `thinking` content parts, read as the model reads them (`chatDeltaContent.ts`).
 *
 * A custom model's events are not read.
 */
export interface ReasoningDelta {
  /** Which reasoning paragraph the text belongs to: a new key starts a new reasoning part. */
  readonly key: string;
  readonly delta: string;
}

/** The reasoning `event` carries, or `undefined` when it carries none. */
export function reasoningDelta(event: RawModelEvent): ReasoningDelta | undefined {
  const { data } = event;
  if (!isRecord(data)) return undefined;
  if (event.source === 'openai-responses') return responsesReasoning(data);
  if (event.source === 'openai-chat-completions') return chatReasoning(data);
  return undefined;
}

function responsesReasoning(data: Record<string, unknown>): ReasoningDelta | undefined {
  const { type, item_id: item, delta } = data;
  if (typeof delta !== 'string' || delta === '') return undefined;
  if (type === 'response.reasoning_summary_text.delta')
    return { key: `${String(item)}:s${String(data['summary_index'])}`, delta };
  if (type === 'response.reasoning_text.delta')
    return { key: `${String(item)}:c${String(data['content_index'])}`, delta };
  return undefined;
}

function chatReasoning(data: Record<string, unknown>): ReasoningDelta | undefined {
  const choices = data['choices'];
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice['delta'])) return undefined;
  const delta = choice['delta'];
  let text = deltaReasoning(delta);
  try {
    text += deltaContent(delta['content'], (what) => new Error(what)).reasoning;
  } catch {
    // Content the model could not read failed the run already; it holds no reasoning to show.
  }
  return text === '' ? undefined : { key: 'chat', delta: text };
}

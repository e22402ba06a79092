import type { InputItem } from '../items.js';
import { jsonOf } from './attributes.js';

/**
 * Conversation items in the shape the GenAI conventions give `gen_ai.input.messages` and
 * `gen_ai.output.messages`: messages of `role` and `parts` (`text`, `tool_call`,
 * `tool_call_response`), as JSON text. Only written with `captureContent: true`.
 *
 * Internal to `src/otel/`.
 */

type Part =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'tool_call'; readonly id: string; readonly name: string; readonly arguments: unknown }
  | { readonly type: 'tool_call_response'; readonly id: string; readonly response: unknown }
  | { readonly type: string; readonly [key: string]: unknown };

interface Message {
  readonly role: string;
  readonly parts: Part[];
  readonly finish_reason?: string;
}

/** The items as the conventions' messages; consecutive parts of one role are one message. */
export function messagesOf(items: readonly InputItem[], finishReason?: string): string {
  const messages: Message[] = [];
  const add = (role: string, part: Part): void => {
    const last = messages.at(-1);
    if (last?.role === role) last.parts.push(part);
    else messages.push({ role, parts: [part] });
  };
  for (const item of items) {
    const record = item as { type?: unknown; role?: unknown };
    if (record.type === 'function_call') {
      const call = item as { call_id: string; name: string; arguments: string };
      add('assistant', { type: 'tool_call', id: call.call_id, name: call.name, arguments: parsed(call.arguments) });
    } else if (record.type === 'function_call_output') {
      const output = item as { call_id: string; output: unknown };
      add('tool', { type: 'tool_call_response', id: output.call_id, response: output.output });
    } else if (typeof record.role === 'string' && (record.type === 'message' || record.type === undefined)) {
      const role = record.role === 'developer' ? 'system' : record.role;
      for (const content of textsOf((item as { content?: unknown }).content)) add(role, { type: 'text', content });
    } else if (typeof record.type === 'string') {
      // Reasoning and a provider's own items: named, their content left out.
      add('assistant', { type: record.type });
    }
  }
  if (finishReason !== undefined && messages.length > 0) {
    const last = messages[messages.length - 1] as Message;
    messages[messages.length - 1] = { ...last, finish_reason: finishReason };
  }
  return jsonOf(messages);
}

/** `gen_ai.system_instructions`: the instructions as one text part. */
export function instructionsOf(instructions: string): string {
  return jsonOf([{ type: 'text', content: instructions }]);
}

function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  const texts: string[] = [];
  for (const part of content as { type?: unknown; text?: unknown; refusal?: unknown }[]) {
    if (typeof part?.text === 'string') texts.push(part.text);
    else if (typeof part?.refusal === 'string') texts.push(part.refusal);
  }
  return texts;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

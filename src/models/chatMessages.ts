import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { FunctionCallItem, FunctionCallOutputItem, InputItem, MessageContentPart, MessageItem } from '../items.js';

/**
 * Conversation items (Responses API shapes) as Chat Completions messages.
 *
 * Internal to `src/models/`.
 */

/**
 * The Chat Completions messages for `instructions` and the conversation `items`.
 *
 * - `instructions` become a leading `system` message;
 * - user, system and developer messages keep their role; their text parts are joined into a
 *   string (user messages with images keep a list of parts);
 * - assistant messages: their `output_text` parts joined as `content`, `refusal` parts as
 *   `refusal`;
 * - consecutive `function_call` items become ONE assistant message with `tool_calls`, attached to
 *   the assistant message just before them when there is one;
 * - `function_call_output` becomes a `tool` message;
 * - items Chat Completions cannot express (reasoning, a provider's own) are skipped, and do not
 *   separate the items around them: `[message, reasoning, function_call]` is one assistant
 *   message with a tool call.
 */
export function chatMessages(
  instructions: string | undefined,
  items: readonly InputItem[],
): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (instructions !== undefined) messages.push({ role: 'system', content: instructions });
  /** The assistant message that function calls may still be attached to. */
  let openAssistant: ChatCompletionAssistantMessageParam | undefined;

  for (const item of items) {
    switch (item.type) {
      case 'message': {
        const message = messageParam(item as MessageItem);
        messages.push(message);
        openAssistant = message.role === 'assistant' ? message : undefined;
        break;
      }
      case 'function_call': {
        const call = item as FunctionCallItem;
        if (openAssistant === undefined) {
          openAssistant = { role: 'assistant', content: null };
          messages.push(openAssistant);
        }
        openAssistant.tool_calls = [...(openAssistant.tool_calls ?? []), toolCall(call)];
        break;
      }
      case 'function_call_output': {
        const output = item as FunctionCallOutputItem;
        messages.push({ role: 'tool', tool_call_id: output.call_id, content: toolOutputText(output.output) });
        openAssistant = undefined;
        break;
      }
      default:
        // Not expressible in Chat Completions (reasoning and the like): skipped.
        break;
    }
  }
  return messages;
}

function messageParam(item: MessageItem): ChatCompletionMessageParam {
  const parts: readonly MessageContentPart[] =
    typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : item.content;
  const text = parts
    .map((part) => (part.type === 'input_text' || part.type === 'output_text' ? part.text : ''))
    .join('');

  switch (item.role) {
    case 'assistant': {
      const refusal = parts.map((part) => (part.type === 'refusal' ? part.refusal : '')).join('');
      const message: ChatCompletionAssistantMessageParam = { role: 'assistant', content: text };
      if (refusal !== '') message.refusal = refusal;
      return message;
    }
    case 'system':
      return { role: 'system', content: text };
    case 'developer':
      return { role: 'developer', content: text };
    case 'user': {
      if (!parts.some((part) => part.type === 'input_image')) return { role: 'user', content: text };
      return { role: 'user', content: parts.flatMap(userPart) };
    }
  }
}

/** A user message part; images by file id (which Chat Completions cannot take) are left out. */
function userPart(part: MessageContentPart): ChatCompletionContentPart[] {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return [{ type: 'text', text: part.text }];
    case 'input_image':
      if (part.image_url === undefined) return [];
      return [
        { type: 'image_url', image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } },
      ];
    case 'refusal':
      return [];
  }
}

function toolCall(item: FunctionCallItem): ChatCompletionMessageFunctionToolCall {
  return { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
}

/**
 * A function call's output as the text of a `tool` message: a string as it is, a list of content
 * parts by their text, anything else as JSON.
 */
function toolOutputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    return output
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
          ? (part as { text: string }).text
          : '',
      )
      .join('');
  }
  return JSON.stringify(output) ?? '';
}

/**
 * Conversation items, in the shapes of the OpenAI Responses API's input items.
 *
 * A run's input, its `newItems` and its `history` are lists of these. Items the runner does not
 * interpret (reasoning, web search calls, anything a provider adds) are kept as they came and sent
 * back unchanged, so they are typed loosely as {@link ProviderItem}.
 */

/** A piece of a message's content. */
export type MessageContentPart =
  | { readonly type: 'input_text'; readonly text: string }
  | { readonly type: 'output_text'; readonly text: string; readonly annotations?: readonly unknown[] }
  | { readonly type: 'refusal'; readonly refusal: string }
  | {
      readonly type: 'input_image';
      readonly image_url?: string;
      readonly file_id?: string;
      readonly detail?: 'low' | 'high' | 'auto';
    };

/** A message from the user, the assistant, or the system. */
export interface MessageItem {
  readonly type: 'message';
  readonly role: 'user' | 'assistant' | 'system' | 'developer';
  /** A string, or a list of content parts. */
  readonly content: string | readonly MessageContentPart[];
  readonly id?: string;
  readonly status?: 'in_progress' | 'completed' | 'incomplete';
}

/** The model asking for a function (tool) call. */
export interface FunctionCallItem {
  readonly type: 'function_call';
  readonly call_id: string;
  readonly name: string;
  /** The arguments as the model wrote them: a JSON string. */
  readonly arguments: string;
  readonly id?: string;
  readonly status?: 'in_progress' | 'completed' | 'incomplete';
}

/** The output of a function call, sent back to the model. */
export interface FunctionCallOutputItem {
  readonly type: 'function_call_output';
  readonly call_id: string;
  readonly output: string;
}

/** Any other item (reasoning, a provider's own), kept and sent back as it came. */
export interface ProviderItem {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** An item of a conversation. Narrow with {@link isMessageItem} and friends. */
export type InputItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ProviderItem;

/** An item a model produced in one response. */
export type OutputItem = InputItem;

/** An item a run produced (assistant messages, function calls, their outputs, reasoning). */
export type RunItem = InputItem;

/** Whether `item` is a message. */
export function isMessageItem(item: InputItem): item is MessageItem {
  return item.type === 'message';
}

/** Whether `item` is a function (tool) call. */
export function isFunctionCallItem(item: InputItem): item is FunctionCallItem {
  return item.type === 'function_call';
}

/** Whether `item` is a function call's output. */
export function isFunctionCallOutputItem(item: InputItem): item is FunctionCallOutputItem {
  return item.type === 'function_call_output';
}

/** The text of a message: its string content, or its text parts joined (refusal parts are not text; see {@link messageRefusal}). */
export function messageText(item: MessageItem): string {
  if (typeof item.content === 'string') return item.content;
  let text = '';
  for (const part of item.content) {
    if (part.type === 'output_text' || part.type === 'input_text') text += part.text;
  }
  return text;
}

/**
 * The refusal of a message: its `refusal` parts joined, or `undefined` when it has none (a string
 * content, or only text parts). A model that refuses writes a refusal part instead of text, and
 * {@link messageText} of that message is `''`.
 */
export function messageRefusal(item: MessageItem): string | undefined {
  if (typeof item.content === 'string') return undefined;
  let refusal: string | undefined;
  for (const part of item.content) {
    if (part.type === 'refusal') refusal = (refusal ?? '') + part.refusal;
  }
  return refusal;
}

/** A user message holding `text`. */
export function userMessage(text: string): MessageItem {
  return { type: 'message', role: 'user', content: text };
}

/**
 * The view of a model request that `startServer({ respond })` answers: the fields an app's test
 * decides on (which API, model, what the user said, which tools were offered, what the tools
 * returned), read from the JSON body once, so a responder never digs through two APIs' shapes.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseInput } from 'openai/resources/responses/responses';
import type { BatchLineRef } from './types.js';

/** Which OpenAI API a request called, as `respond` sees it. */
export type ServerApi = 'responses' | 'chat-completions';

/** A tool the request offered the model. */
export interface OfferedTool {
  /** `'function'` for function tools; a hosted tool's own type (`'web_search'`, …) otherwise. */
  readonly type: string;
  /** The function's name; a hosted tool's `type`. */
  readonly name: string;
  readonly description?: string;
  /** The function's JSON schema, as sent. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** A tool's result the request sends back to the model. */
export interface SentToolOutput {
  readonly callId: string;
  /** The tool's name, when the call that asked for it is in the same request. */
  readonly name?: string;
  /** The output as sent (a string, or the API's list of content parts). */
  readonly output: unknown;
}

interface RequestFields {
  /** 1-based: this request's place among the model requests the server has received. */
  readonly index: number;
  /** The requested model name (`undefined` when the body has none). */
  readonly model: string | undefined;
  /** Whether the request asked `stream: true`. */
  readonly stream: boolean;
  /** The function (and hosted) tools offered, names and schemas, in the request's order. */
  readonly tools: readonly OfferedTool[];
  /**
   * The text of the last user message (its text parts joined), or `undefined` when there is none;
   * for the Responses API, of the whole `history`, stored items included.
   */
  readonly lastUserText: string | undefined;
  /** Every tool output of the conversation (for the Responses API, of `history`), in order; the newest is last. */
  readonly toolOutputs: readonly SentToolOutput[];
  /** The parsed JSON body, for anything else. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * When the request answers one line of a batch (`/v1/batches`), the batch's id and the line's
   * `custom_id`; `undefined` for a request a client sent.
   */
  readonly batch?: BatchLineRef;
}

/** A Responses API request (`POST /v1/responses`). */
export interface ResponsesServerRequest extends RequestFields {
  readonly api: 'responses';
  /** `input` as sent (not validated; typed as the SDK's). */
  readonly input: string | ResponseInput | undefined;
  /** `instructions` as sent. */
  readonly instructions: string | undefined;
  /** `previous_response_id`, when the request continues a stored response. */
  readonly previousResponseId: string | undefined;
  /** The id of `conversation`, when the request continues a conversation of the server's. */
  readonly conversationId: string | undefined;
  /**
   * The conversation the model sees: the items the server keeps (those of the conversation, or
   * of the chain of responses `previous_response_id` continues, with the ids the server gave
   * them), then `input`'s. Just `input`'s items when the request continues nothing.
   */
  readonly history: ResponseInput;
}

/** A Chat Completions request (`POST /v1/chat/completions`). */
export interface ChatServerRequest extends RequestFields {
  readonly api: 'chat-completions';
  /** `messages` as sent (not validated; typed as the SDK's). */
  readonly messages: readonly ChatCompletionMessageParam[];
}

/**
 * What `respond` is given: one model request, read for you. Narrow on `api` for the fields only
 * one API has (`input`, `instructions`, `previousResponseId`; `messages`).
 */
export type ServerRequest = ResponsesServerRequest | ChatServerRequest;

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** The text of a message's content: a string, or its text parts (`text`, `input_text`, `output_text`) joined. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((part) => {
    const text = asObject(part)['text'];
    return typeof text === 'string' ? [text] : [];
  });
  return texts.length > 0 ? texts.join('') : undefined;
}

function lastUserText(items: readonly unknown[]): string | undefined {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item = asObject(items[index]);
    if (item['role'] === 'user') return contentText(item['content']) ?? '';
  }
  return undefined;
}

function offeredTool(raw: unknown): OfferedTool {
  const tool = asObject(raw);
  const type = asString(tool['type']) ?? 'function';
  // Chat Completions nests the function; the Responses API does not.
  const fn = type === 'function' && tool['function'] !== undefined ? asObject(tool['function']) : tool;
  const description = asString(fn['description']);
  const parameters = fn['parameters'];
  return {
    type,
    name: asString(fn['name']) ?? type,
    ...(description === undefined ? {} : { description }),
    ...(typeof parameters === 'object' && parameters !== null ? { parameters: parameters as Json } : {}),
  };
}

function responsesToolOutputs(items: readonly unknown[]): SentToolOutput[] {
  const names = new Map<string, string>();
  const outputs: SentToolOutput[] = [];
  for (const raw of items) {
    const item = asObject(raw);
    const callId = asString(item['call_id']);
    if (callId === undefined) continue;
    if (item['type'] === 'function_call' && typeof item['name'] === 'string') names.set(callId, item['name']);
    if (item['type'] === 'function_call_output') {
      const name = names.get(callId);
      outputs.push({ callId, ...(name === undefined ? {} : { name }), output: item['output'] });
    }
  }
  return outputs;
}

function chatToolOutputs(messages: readonly unknown[]): SentToolOutput[] {
  const names = new Map<string, string>();
  const outputs: SentToolOutput[] = [];
  for (const raw of messages) {
    const message = asObject(raw);
    for (const call of asList(message['tool_calls'])) {
      const id = asString(asObject(call)['id']);
      const name = asString(asObject(asObject(call)['function'])['name']);
      if (id !== undefined && name !== undefined) names.set(id, name);
    }
    const callId = asString(message['tool_call_id']);
    if (message['role'] === 'tool' && callId !== undefined) {
      const name = names.get(callId);
      outputs.push({ callId, ...(name === undefined ? {} : { name }), output: message['content'] });
    }
  }
  return outputs;
}

/** Reads a model request's JSON body into the view `respond` is given. */
export function readRequest(
  api: ServerApi,
  body: unknown,
  index: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  stored: readonly unknown[] = [],
  batch?: BatchLineRef,
): ServerRequest {
  const fields = asObject(body);
  const common = {
    index,
    model: asString(fields['model']),
    stream: fields['stream'] === true,
    tools: asList(fields['tools']).map(offeredTool),
    body,
    headers,
    ...(batch === undefined ? {} : { batch }),
  };
  if (api === 'chat-completions') {
    const messages = asList(fields['messages']);
    return {
      ...common,
      api,
      messages: messages as ChatCompletionMessageParam[],
      lastUserText: lastUserText(messages),
      toolOutputs: chatToolOutputs(messages),
    };
  }
  const input = fields['input'];
  const items = [...stored, ...(typeof input === 'string' ? [{ role: 'user', content: input }] : asList(input))];
  const conversation = fields['conversation'];
  const conversationId = typeof conversation === 'string' ? conversation : asString(asObject(conversation)['id']);
  return {
    ...common,
    api,
    input: typeof input === 'string' || Array.isArray(input) ? (input as string | ResponseInput) : undefined,
    instructions: asString(fields['instructions']),
    previousResponseId: asString(fields['previous_response_id']),
    conversationId,
    history: items as ResponseInput,
    lastUserText: lastUserText(items),
    toolOutputs: responsesToolOutputs(items),
  };
}

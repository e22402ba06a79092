import { InvalidArgumentError } from '../errors.js';
import type { FunctionCallItem, FunctionCallOutputItem, InputItem, MessageContentPart, MessageItem } from '../items.js';
import { rejectionText } from '../runner/toolApproval.js';
import { toolOutputText } from '../runner/toolCalls.js';

/**
 * A message of the AI SDK's `UIMessage` shape, as `useChat` posts it (`{ id, messages, trigger }`):
 * only what {@link fromUIMessages} reads is typed, so both `ai`'s `UIMessage` and JSON from a
 * request body fit. Every field is checked when read.
 */
export interface UIMessageLike {
  readonly role: string;
  readonly parts: readonly object[];
}

/** A person's answer to a `tool-approval-request`, read from the client's messages. */
export interface UIApprovalResponse {
  /** The call's id: what `state.approve(callId)` and `state.reject(callId)` take. */
  readonly callId: string;
  readonly approved: boolean;
  /** The reason the person gave, if any: a rejection's message for the model. */
  readonly reason?: string;
}

type Part = Readonly<Record<string, unknown>>;

/**
 * The conversation of a `useChat` client as a run's input: its UI messages as conversation items,
 * so a server can continue the conversation with `runStreamed(agent, fromUIMessages(messages))`.
 *
 * - A user message: its `text` parts, and its image `file` parts as `input_image` (the `url`, a
 *   `data:` URL or a link). A file of another type is refused: the runner has no item for it.
 * - A system message: a `system` message of its text.
 * - An assistant message, step by step (`step-start` parts divide them): the step's text as an
 *   assistant message, then each of its tool calls as a `function_call`, then their outputs as
 *   `function_call_output`s — `output-available` the tool's output (a string as it is, anything
 *   else as JSON, as the run sent it), `output-error` its `errorText`, `output-denied` the
 *   rejection's reason or the run's own rejection text. A call without an output yet (streaming,
 *   waiting for approval) is left out with its output: a model refuses a call without one.
 * - Left out: reasoning (the model's own reasoning items cannot be rebuilt from its text), data,
 *   source, file parts of assistant messages, and any part of a type it does not know.
 *
 * The history is rebuilt from what the client holds, and a client can send anything: use it for
 * what the user may change anyway (their own conversation), never to decide which tools run —
 * approvals resume the server's own stored state (see {@link uiApprovalResponses}).
 *
 * @param messages The `messages` of the request's body.
 * @returns The conversation as items, ready to be a run's input.
 * @throws InvalidArgumentError naming the message or part that is not of the shape above.
 */
export function fromUIMessages(messages: readonly UIMessageLike[]): InputItem[] {
  if (!Array.isArray(messages)) {
    throw new InvalidArgumentError({ argument: 'messages', message: 'expected an array of UI messages.' });
  }
  const items: InputItem[] = [];
  (messages as readonly unknown[]).forEach((message, index) => {
    const where = `messages[${index}]`;
    const { role, parts } = readMessage(message, where);
    if (role === 'user') items.push(userItem(parts, where));
    else if (role === 'system') items.push({ type: 'message', role: 'system', content: textOf(parts, where) });
    else if (role === 'assistant') items.push(...assistantItems(parts, where));
    else
      throw new InvalidArgumentError({ argument: `${where}.role`, message: `unknown role ${JSON.stringify(role)}.` });
  });
  return items;
}

/**
 * The answers to approval requests that the client's last message holds: its tool parts in state
 * `approval-responded` (`addToolApprovalResponse({ id, approved, reason })` of `useChat`). The
 * server applies them to the run's state it stored at `run-interrupted`, and resumes it.
 *
 * @param messages The `messages` of the request's body.
 * @returns The answers, in the message's order; none when the last message is not an assistant's.
 * @throws InvalidArgumentError naming the message or part that is not of the shape `fromUIMessages` reads.
 */
export function uiApprovalResponses(messages: readonly UIMessageLike[]): UIApprovalResponse[] {
  if (!Array.isArray(messages)) {
    throw new InvalidArgumentError({ argument: 'messages', message: 'expected an array of UI messages.' });
  }
  if (messages.length === 0) return [];
  const where = `messages[${messages.length - 1}]`;
  const { role, parts } = readMessage(messages[messages.length - 1], where);
  if (role !== 'assistant') return [];
  const responses: UIApprovalResponse[] = [];
  parts.forEach((part, index) => {
    if (!isToolPart(part) || part['state'] !== 'approval-responded') return;
    const at = `${where}.parts[${index}]`;
    const approval = part['approval'];
    if (!isPart(approval) || typeof approval['approved'] !== 'boolean') {
      throw new InvalidArgumentError({ argument: `${at}.approval`, message: 'expected { id, approved, reason? }.' });
    }
    const reason = approval['reason'];
    responses.push({
      callId: stringField(part, 'toolCallId', at),
      approved: approval['approved'],
      ...(typeof reason === 'string' ? { reason } : {}),
    });
  });
  return responses;
}

function readMessage(message: unknown, where: string): { role: unknown; parts: readonly Part[] } {
  if (!isPart(message) || !Array.isArray(message['parts'])) {
    throw new InvalidArgumentError({ argument: where, message: 'expected a UI message: { role, parts: [...] }.' });
  }
  const parts = message['parts'] as readonly unknown[];
  parts.forEach((part, index) => {
    if (!isPart(part) || typeof part['type'] !== 'string') {
      throw new InvalidArgumentError({
        argument: `${where}.parts[${index}]`,
        message: "expected a part: an object with a string 'type'.",
      });
    }
  });
  return { role: message['role'], parts: parts as readonly Part[] };
}

function userItem(parts: readonly Part[], where: string): MessageItem {
  const content: MessageContentPart[] = [];
  parts.forEach((part, index) => {
    const at = `${where}.parts[${index}]`;
    if (part['type'] === 'text') content.push({ type: 'input_text', text: stringField(part, 'text', at) });
    else if (part['type'] === 'file') {
      const mediaType = stringField(part, 'mediaType', at);
      if (!mediaType.startsWith('image/')) {
        throw new InvalidArgumentError({
          argument: `${at}.mediaType`,
          message: `a file of type ${JSON.stringify(mediaType)} cannot be a run's input: only images can.`,
        });
      }
      content.push({ type: 'input_image', image_url: stringField(part, 'url', at) });
    }
  });
  const onlyText = content.every((part) => part.type === 'input_text');
  return {
    type: 'message',
    role: 'user',
    content: onlyText ? content.map((part) => (part as { text: string }).text).join('') : content,
  };
}

function textOf(parts: readonly Part[], where: string): string {
  return parts
    .map((part, index) => (part['type'] === 'text' ? stringField(part, 'text', `${where}.parts[${index}]`) : ''))
    .join('');
}

/** An assistant message's items, step by step: its text, its calls, their outputs. */
function assistantItems(parts: readonly Part[], where: string): InputItem[] {
  const items: InputItem[] = [];
  let text = '';
  let calls: FunctionCallItem[] = [];
  let outputs: FunctionCallOutputItem[] = [];
  const endStep = (): void => {
    if (text !== '') items.push({ type: 'message', role: 'assistant', content: text });
    items.push(...calls, ...outputs);
    text = '';
    calls = [];
    outputs = [];
  };
  parts.forEach((part, index) => {
    const at = `${where}.parts[${index}]`;
    if (part['type'] === 'step-start') endStep();
    else if (part['type'] === 'text') text += stringField(part, 'text', at);
    else if (isToolPart(part)) {
      const output = toolOutput(part, at);
      if (output === undefined) return;
      const callId = stringField(part, 'toolCallId', at);
      const name = toolName(part, at);
      calls.push({ type: 'function_call', call_id: callId, name, arguments: JSON.stringify(part['input'] ?? {}) });
      outputs.push({
        type: 'function_call_output',
        call_id: callId,
        output: output === rejected ? rejectionOf(part, name) : output,
      });
    }
  });
  endStep();
  return items;
}

const rejected = Symbol('rejected');

/** What the model was told of a call, or `undefined` when the call has no output yet. */
function toolOutput(part: Part, at: string): string | typeof rejected | undefined {
  switch (part['state']) {
    case 'output-available':
      return toolOutputText(part['output']);
    case 'output-error':
      return stringField(part, 'errorText', at);
    case 'output-denied':
      return rejected;
    default:
      return undefined;
  }
}

function rejectionOf(part: Part, name: string): string {
  const approval = part['approval'];
  const reason = isPart(approval) ? approval['reason'] : undefined;
  return typeof reason === 'string' && reason !== '' ? reason : rejectionText(name);
}

/** `tool-<name>` parts (tools the client knows by type) and `dynamic-tool` parts (with `toolName`). */
function isToolPart(part: Part): boolean {
  const type = part['type'] as string;
  return type === 'dynamic-tool' || type.startsWith('tool-');
}

function toolName(part: Part, at: string): string {
  const type = part['type'] as string;
  return type === 'dynamic-tool' ? stringField(part, 'toolName', at) : type.slice('tool-'.length);
}

function stringField(part: Part, field: string, at: string): string {
  const value = part[field];
  if (typeof value !== 'string') {
    throw new InvalidArgumentError({ argument: `${at}.${field}`, message: `expected a string, got ${typeof value}.` });
  }
  return value;
}

function isPart(value: unknown): value is Part {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

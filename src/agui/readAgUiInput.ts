import { InvalidArgumentError } from '../errors.js';
import type {
  AgUiContentPart,
  AgUiContext,
  AgUiMessage,
  AgUiResumeEntry,
  AgUiRunAgentInput,
  AgUiTool,
  AgUiToolCall,
} from './agUiInput.js';

/**
 * Checks a request body field by field against AG-UI's `RunAgentInput`, the way its own schema
 * does for the fields rxjs-agents reads; unknown fields are left alone (the protocol lets them
 * be). Each refusal is an `InvalidArgumentError` naming the field, such as `messages[2].content`.
 */
export function readAgUiInput(body: unknown): AgUiRunAgentInput {
  const input = object(body, 'input', 'expected an AG-UI RunAgentInput object { threadId, runId, messages, … }.');
  const messages = array(input.messages, 'input.messages');
  return {
    threadId: string(input.threadId, 'input.threadId'),
    runId: string(input.runId, 'input.runId'),
    messages: messages.map((message, index) => readMessage(message, `input.messages[${index}]`)),
    tools: optionalArray(input.tools, 'input.tools').map((tool, index) => readTool(tool, `input.tools[${index}]`)),
    context: optionalArray(input.context, 'input.context').map((entry, index) =>
      readContext(entry, `input.context[${index}]`),
    ),
    resume: optionalArray(input.resume, 'input.resume').map((entry, index) =>
      readResume(entry, `input.resume[${index}]`),
    ),
    ...(input.state === undefined || input.state === null ? {} : { state: input.state }),
    ...(input.forwardedProps === undefined || input.forwardedProps === null
      ? {}
      : { forwardedProps: input.forwardedProps }),
    ...(input.parentRunId === undefined ? {} : { parentRunId: string(input.parentRunId, 'input.parentRunId') }),
  };
}

function readMessage(value: unknown, at: string): AgUiMessage {
  const message = object(value, at, 'expected a message { id, role, … }.');
  const id = string(message.id, `${at}.id`);
  switch (message.role) {
    case 'developer':
    case 'system':
      return { id, role: message.role, content: string(message.content, `${at}.content`) };
    case 'user':
      return { id, role: 'user', content: readContent(message.content, `${at}.content`) };
    case 'assistant': {
      const toolCalls = optionalArray(message.toolCalls, `${at}.toolCalls`).map((call, index) =>
        readToolCall(call, `${at}.toolCalls[${index}]`),
      );
      return {
        id,
        role: 'assistant',
        ...(message.content === undefined || message.content === null
          ? {}
          : { content: string(message.content, `${at}.content`) }),
        toolCalls,
      };
    }
    case 'tool':
      return {
        id,
        role: 'tool',
        toolCallId: string(message.toolCallId, `${at}.toolCallId`),
        content: readContent(message.content, `${at}.content`),
        ...(message.error === undefined || message.error === null
          ? {}
          : { error: string(message.error, `${at}.error`) }),
      };
    case 'activity':
      return {
        id,
        role: 'activity',
        activityType: string(message.activityType, `${at}.activityType`),
        content: object(message.content, `${at}.content`, 'expected an object.'),
      };
    case 'reasoning':
      return { id, role: 'reasoning', content: string(message.content, `${at}.content`) };
    default:
      throw new InvalidArgumentError({
        argument: `${at}.role`,
        message: `expected 'user', 'assistant', 'tool', 'system', 'developer', 'activity' or 'reasoning', got ${JSON.stringify(message.role)}.`,
      });
  }
}

function readContent(value: unknown, at: string): string | readonly AgUiContentPart[] {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: at, message: 'expected a string or a list of content parts.' });
  }
  return value.map((part: unknown, index): AgUiContentPart => {
    const where = `${at}[${index}]`;
    const fields = object(part, where, 'expected a content part { type, … }.');
    if (fields.type === 'text') return { type: 'text', text: string(fields.text, `${where}.text`) };
    if (fields.type === 'image' || fields.type === 'audio' || fields.type === 'video' || fields.type === 'document') {
      const source = object(fields.source, `${where}.source`, 'expected a source { type, value }.');
      const kind = source.type;
      if (kind !== 'data' && kind !== 'url' && kind !== 'file') {
        throw new InvalidArgumentError({
          argument: `${where}.source.type`,
          message: "expected 'data', 'url' or 'file'.",
        });
      }
      const sourceValue = string(source.value, `${where}.source.value`);
      const mimeType = source.mimeType === undefined ? undefined : string(source.mimeType, `${where}.source.mimeType`);
      if (kind === 'data') {
        return { type: fields.type, source: { type: 'data', value: sourceValue, mimeType: mimeType ?? '' } };
      }
      return {
        type: fields.type,
        source: { type: kind, value: sourceValue, ...(mimeType === undefined ? {} : { mimeType }) },
      };
    }
    throw new InvalidArgumentError({
      argument: `${where}.type`,
      message: `expected 'text', 'image', 'audio', 'video' or 'document', got ${JSON.stringify(fields.type)}.`,
    });
  });
}

function readToolCall(value: unknown, at: string): AgUiToolCall {
  const call = object(value, at, "expected a tool call { id, type: 'function', function: { name, arguments } }.");
  const fn = object(call.function, `${at}.function`, 'expected { name, arguments }.');
  return {
    id: string(call.id, `${at}.id`),
    type: 'function',
    function: {
      name: string(fn.name, `${at}.function.name`),
      arguments: string(fn.arguments, `${at}.function.arguments`),
    },
  };
}

function readTool(value: unknown, at: string): AgUiTool {
  const tool = object(value, at, 'expected a tool { name, description, parameters? }.');
  return {
    name: string(tool.name, `${at}.name`),
    description: string(tool.description, `${at}.description`),
    ...(tool.parameters === undefined || tool.parameters === null
      ? {}
      : { parameters: object(tool.parameters, `${at}.parameters`, 'expected a JSON Schema object.') }),
  };
}

function readContext(value: unknown, at: string): AgUiContext {
  const entry = object(value, at, 'expected { description, value }.');
  return { description: string(entry.description, `${at}.description`), value: string(entry.value, `${at}.value`) };
}

function readResume(value: unknown, at: string): AgUiResumeEntry {
  const entry = object(value, at, "expected { interruptId, status: 'resolved' | 'cancelled', payload? }.");
  if (entry.status !== 'resolved' && entry.status !== 'cancelled') {
    throw new InvalidArgumentError({
      argument: `${at}.status`,
      message: `expected 'resolved' or 'cancelled', got ${JSON.stringify(entry.status)}.`,
    });
  }
  return {
    interruptId: string(entry.interruptId, `${at}.interruptId`),
    status: entry.status,
    ...(entry.payload === undefined || entry.payload === null ? {} : { payload: entry.payload }),
  };
}

function object(value: unknown, argument: string, message: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument, message });
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, argument: string): string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError({ argument, message: `expected a string, got ${describe(value)}.` });
  }
  return value;
}

function array(value: unknown, argument: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({ argument, message: `expected a list, got ${describe(value)}.` });
  }
  return value;
}

/** An absent (or `null`) list is an empty one, as AG-UI's schema reads it. */
function optionalArray(value: unknown, argument: string): readonly unknown[] {
  return value === undefined || value === null ? [] : array(value, argument);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

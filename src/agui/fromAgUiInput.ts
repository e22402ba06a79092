import { z } from 'zod';
import { InvalidArgumentError } from '../errors.js';
import type { InputItem, MessageContentPart } from '../items.js';
import type { FunctionToolSpec, JsonSchema } from '../model.js';
import { toolFromSpec, type AnyTool } from '../tool.js';
import type { AgUiContentPart, AgUiContext, AgUiMessage, AgUiResumeEntry, AgUiTool } from './agUiInput.js';
import { readAgUiInput } from './readAgUiInput.js';

/** A decision on a call that waited for approval, read from an AG-UI resume entry. */
export interface AgUiApproval {
  /** The call's id (the interrupt's id). */
  readonly callId: string;
  readonly approved: boolean;
  /** What the model is told of a rejection, when the client said. */
  readonly message?: string;
}

/** What a run needs from an AG-UI request: see {@link fromAgUiInput}. */
export interface AgUiRunInput {
  readonly threadId: string;
  readonly runId: string;
  /** The conversation as the run's input: the Responses API's items, in order. */
  readonly input: InputItem[];
  /**
   * The front-end tools as tools of the run: give them to the agent (`tools: [...own,
   * ...agUi.tools]`). A call of one ends the run with the call sent to the client, which runs it
   * and posts its result with the next request.
   */
  readonly tools: readonly AnyTool[];
  /**
   * The front-end tools' names: `toAgUiEvents`'s option of that name, so that
   * `toAgUiEvents(agUi)` tells their calls from approvals.
   */
  readonly clientTools: readonly string[];
  /** AG-UI's `state`, as the client sent it (`undefined` when it sent none). */
  readonly state: unknown;
  /** AG-UI's `forwardedProps`, as the client sent them. */
  readonly forwardedProps: unknown;
  /** Ambient information the client gave, for the agent's instructions if you want it there. */
  readonly context: readonly AgUiContext[];
  /** The resume entries as decisions: apply them to the stored interrupted state. */
  readonly approvals: readonly AgUiApproval[];
}

/**
 * Reads the body of an AG-UI run request (`RunAgentInput`, what `HttpAgent` posts) as what a run
 * needs: its input items, the front-end tools, and the request's ids, state and props.
 *
 * Messages become the Responses API's items: `user`, `system` and `developer` messages as
 * messages of that role (a user's text parts as `input_text`, images as `input_image`); an
 * `assistant` message as its text (when it has any) followed by a `function_call` per tool call; a
 * `tool` message as the `function_call_output` of its call (its text; its `error` when it has no
 * text). `activity` and `reasoning` messages are the UI's, not the model's: left out. Audio,
 * video and document parts are refused.
 *
 * **Front-end tools** (`tools`: tools the client runs) are made tools of the run that always need
 * approval and are never approved on the server: when the model calls one, the run stops there
 * (`run-interrupted`, the library's own way to stop before a call runs), and `toAgUiEvents(agUi)`
 * (whose `clientTools` option this result's `clientTools` fills) sends the call and `RUN_FINISHED` with `outcome: { type: 'success',
 * pendingToolCallIds }`. The client runs the tool and posts the conversation again with a `tool`
 * message; the next run reads it as the call's output and goes on. (A server `approve` option
 * must not approve them: their `execute` throws, there is nothing to run on the server.) Their
 * JSON Schema is sent to the model as it is, not in strict mode.
 *
 * **Resume entries** (`resume`, the answers to a previous run's `interrupt` outcome) are read as
 * `approvals`: `'cancelled'` rejects, `'resolved'` approves unless its `payload` is `false` or
 * `{ approved: false, message? }`. The interrupted run's state is the server's (store
 * `run-interrupted`'s `state`): apply them with `state.approve(callId)` / `state.reject(callId)`.
 *
 * ## Example
 *
 * ```ts
 * import { Agent, fromAgUiInput, runStreamed, toAgUiResponse } from 'rxjs-agents';
 * import { toAgUiEvents } from 'rxjs-agents/operators';
 *
 * export async function POST(request: Request): Promise<Response> {
 *   const agUi = fromAgUiInput(await request.json());
 *   const withClientTools = new Agent({ ...agentConfig, tools: [...agentConfig.tools, ...agUi.tools] });
 *   return toAgUiResponse(runStreamed(withClientTools, agUi.input).pipe(toAgUiEvents(agUi)));
 * }
 * ```
 *
 * @param body The request's parsed JSON body.
 * @returns The run's input, front-end tools, ids, state, props, context and approvals.
 * @throws InvalidArgumentError naming the field when `body` is not a `RunAgentInput`
 * (`input.messages[1].content`), or a tool's name or schema cannot be offered to a model.
 */
export function fromAgUiInput(body: unknown): AgUiRunInput {
  const request = readAgUiInput(body);
  return {
    threadId: request.threadId,
    runId: request.runId,
    input: request.messages.flatMap((message, index) => itemsOf(message, `input.messages[${index}]`)),
    tools: (request.tools ?? []).map((tool, index) => clientTool(tool, `input.tools[${index}]`)),
    clientTools: (request.tools ?? []).map((tool) => tool.name),
    state: request.state,
    forwardedProps: request.forwardedProps,
    context: request.context ?? [],
    approvals: (request.resume ?? []).map(approvalOf),
  };
}

function itemsOf(message: AgUiMessage, at: string): InputItem[] {
  switch (message.role) {
    case 'developer':
    case 'system':
      return [{ type: 'message', role: message.role, content: message.content }];
    case 'user':
      return [{ type: 'message', role: 'user', content: userContent(message.content, `${at}.content`) }];
    case 'assistant': {
      const text: InputItem[] =
        message.content === undefined || message.content === ''
          ? []
          : [{ type: 'message', role: 'assistant', content: message.content }];
      const calls = (message.toolCalls ?? []).map((call): InputItem => ({
        type: 'function_call',
        call_id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      }));
      return [...text, ...calls];
    }
    case 'tool': {
      const text = toolText(message.content, `${at}.content`);
      const output = text === '' && message.error !== undefined ? `Error: ${message.error}` : text;
      return [{ type: 'function_call_output', call_id: message.toolCallId, output }];
    }
    default:
      return [];
  }
}

function userContent(content: string | readonly AgUiContentPart[], at: string): string | MessageContentPart[] {
  if (typeof content === 'string') return content;
  return content.map((part, index): MessageContentPart => {
    if (part.type === 'text') return { type: 'input_text', text: part.text };
    if (part.type !== 'image') {
      throw new InvalidArgumentError({
        argument: `${at}[${index}].type`,
        message: `a '${part.type}' part cannot be sent to the model: only text and images can.`,
      });
    }
    const { source } = part;
    if (source.type === 'file') return { type: 'input_image', file_id: source.value };
    if (source.type === 'url') return { type: 'input_image', image_url: source.value };
    return { type: 'input_image', image_url: `data:${source.mimeType};base64,${source.value}` };
  });
}

function toolText(content: string | readonly AgUiContentPart[], at: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (part.type === 'text') return part.text;
      throw new InvalidArgumentError({
        argument: `${at}[${index}].type`,
        message: `a tool result's '${part.type}' part cannot be sent to the model: only text can.`,
      });
    })
    .join('');
}

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** Any JSON object: the client's schema is the model's guide, and the client checks its own calls. */
const anyArguments = z.looseObject({});

function clientTool(tool: AgUiTool, at: string): AnyTool {
  if (!toolNamePattern.test(tool.name)) {
    throw new InvalidArgumentError({
      argument: `${at}.name`,
      message: `a tool's name has letters, digits, '_' and '-', at most 64 characters; got ${JSON.stringify(tool.name)}.`,
    });
  }
  const schema = (tool.parameters ?? {}) as JsonSchema & { readonly type?: unknown; readonly properties?: unknown };
  if (schema.type !== undefined && schema.type !== 'object') {
    throw new InvalidArgumentError({
      argument: `${at}.parameters`,
      message: `a tool's arguments are an object: expected a JSON Schema of type 'object', got ${JSON.stringify(schema.type)}.`,
    });
  }
  const spec: FunctionToolSpec = {
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: { ...schema, type: 'object', properties: schema.properties ?? {} },
    strict: false,
  };
  const made = toolFromSpec({
    name: tool.name,
    description: tool.description,
    parameters: anyArguments,
    spec,
    execute: () => {
      throw new Error(`'${tool.name}' is a front-end tool: the AG-UI client runs it, not the server.`);
    },
  });
  // Always waits for a decision, so a call ends the run before anything runs on the server.
  return { ...made, needsApproval: true };
}

function approvalOf(entry: AgUiResumeEntry): AgUiApproval {
  const callId = entry.interruptId;
  if (entry.status === 'cancelled') return { callId, approved: false };
  const { payload } = entry;
  if (typeof payload === 'boolean') return { callId, approved: payload };
  if (typeof payload === 'object' && payload !== null && 'approved' in payload) {
    const { approved, message } = payload as { approved?: unknown; message?: unknown };
    return { callId, approved: approved !== false, ...(typeof message === 'string' ? { message } : {}) };
  }
  return { callId, approved: true };
}

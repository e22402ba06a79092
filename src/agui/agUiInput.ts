/**
 * AG-UI's `RunAgentInput` (https://docs.ag-ui.com, protocol 1.0): the body an AG-UI client
 * (`@ag-ui/client`'s `HttpAgent`, CopilotKit) posts to run an agent, as our own types. Read one
 * with `fromAgUiInput()`, which checks it field by field.
 */

/** A text part of a message's content. */
export interface AgUiTextPart {
  readonly type: 'text';
  readonly text: string;
}

/** Where a media part's bytes are: inline (base64), at a URL, or a file the provider holds. */
export type AgUiPartSource =
  | { readonly type: 'data'; readonly value: string; readonly mimeType: string }
  | { readonly type: 'url'; readonly value: string; readonly mimeType?: string }
  | { readonly type: 'file'; readonly value: string; readonly provider?: string; readonly mimeType?: string };

/** A media part of a message's content. rxjs-agents reads images; the others are refused. */
export interface AgUiMediaPart {
  readonly type: 'image' | 'audio' | 'video' | 'document';
  readonly source: AgUiPartSource;
}

/** A part of a user or tool message's content. */
export type AgUiContentPart = AgUiTextPart | AgUiMediaPart;

/** A call an assistant message made. */
export interface AgUiToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** Instructions from the application's developer or from the system. */
export interface AgUiInstructionMessage {
  readonly id: string;
  readonly role: 'developer' | 'system';
  readonly content: string;
  readonly name?: string;
}

/** A message of the person using the application. */
export interface AgUiUserMessage {
  readonly id: string;
  readonly role: 'user';
  readonly content: string | readonly AgUiContentPart[];
  readonly name?: string;
}

/** A message of the agent: text, tool calls, or both. */
export interface AgUiAssistantMessage {
  readonly id: string;
  readonly role: 'assistant';
  readonly content?: string;
  readonly toolCalls?: readonly AgUiToolCall[];
  readonly name?: string;
}

/** What a tool returned. */
export interface AgUiToolMessage {
  readonly id: string;
  readonly role: 'tool';
  readonly toolCallId: string;
  readonly content: string | readonly AgUiContentPart[];
  /** Why the tool failed, when it did. */
  readonly error?: string;
}

/** Progress shown in the UI, not conversation content: not sent to the model. */
export interface AgUiActivityMessage {
  readonly id: string;
  readonly role: 'activity';
  readonly activityType: string;
  readonly content: Readonly<Record<string, unknown>>;
}

/** The agent's reasoning, as a client shows it: not sent back to the model. */
export interface AgUiReasoningMessage {
  readonly id: string;
  readonly role: 'reasoning';
  readonly content: string;
  readonly encryptedValue?: string;
}

/** Any message of a conversation, discriminated by `role`. */
export type AgUiMessage =
  | AgUiInstructionMessage
  | AgUiUserMessage
  | AgUiAssistantMessage
  | AgUiToolMessage
  | AgUiActivityMessage
  | AgUiReasoningMessage;

/** A front-end tool: one the client runs when the model calls it. */
export interface AgUiTool {
  readonly name: string;
  readonly description: string;
  /** A JSON Schema of the arguments (an object schema); absent means none. */
  readonly parameters?: unknown;
}

/** Ambient information for the run, besides the conversation. */
export interface AgUiContext {
  readonly description: string;
  readonly value: string;
}

/** An answer to an interrupt of the previous run: for rxjs-agents, an approval decision. */
export interface AgUiResumeEntry {
  /** The interrupt's id: the call id of the call that waits. */
  readonly interruptId: string;
  /** `'resolved'` answers it (with `payload`); `'cancelled'` abandons it (a rejection). */
  readonly status: 'resolved' | 'cancelled';
  /** `true`/`false`, or `{ approved, message? }`; absent means approved. */
  readonly payload?: unknown;
}

/** The body of an AG-UI run request. */
export interface AgUiRunAgentInput {
  readonly threadId: string;
  readonly runId: string;
  readonly messages: readonly AgUiMessage[];
  readonly tools?: readonly AgUiTool[];
  readonly context?: readonly AgUiContext[];
  readonly state?: unknown;
  readonly forwardedProps?: unknown;
  readonly resume?: readonly AgUiResumeEntry[];
  readonly parentRunId?: string;
  readonly protocolVersion?: string;
}

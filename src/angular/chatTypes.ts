import type { Signal } from '@angular/core';
import type { Observable } from 'rxjs';
import type { DeepPartial } from '../deepPartial.js';
import type { EventError, RunEvent } from '../events.js';
import type { AgentChatRequest } from '../runner/chatRequest.js';

/** Where a tool call stands: running, waiting for a person's decision, or finished. */
export type ChatToolStatus = 'running' | 'awaiting-approval' | 'done' | 'error' | 'rejected';

/** A message the user sent. */
export interface ChatUserMessage {
  /** The message's position in the conversation (`'m0'`, `'m1'`, …): stable, deterministic. */
  readonly id: string;
  readonly role: 'user';
  readonly text: string;
}

/** The assistant's text of one turn, growing while it streams. */
export interface ChatAssistantMessage {
  readonly id: string;
  readonly role: 'assistant';
  /** The agent that wrote it. */
  readonly agent: string;
  readonly turn: number;
  readonly text: string;
  /** The run's final output, on the message that gave it (a structured answer, or the text). */
  readonly output?: unknown;
}

/** A call of a tool, from the model's request to its output. */
export interface ChatToolMessage {
  readonly id: string;
  readonly role: 'tool';
  readonly agent: string;
  readonly turn: number;
  readonly callId: string;
  readonly name: string;
  readonly arguments: unknown;
  readonly status: ChatToolStatus;
  /** The tool's return value (for a rejected call, what the model was told). */
  readonly output?: unknown;
  /** Set when the call failed. */
  readonly error?: EventError;
}

/** One message of the conversation, as plain data. */
export type ChatMessage = ChatUserMessage | ChatAssistantMessage | ChatToolMessage;

/**
 * What the chat is doing: nothing (`'idle'`, also after Stop), streaming the model's answer,
 * running tools, waiting for decisions on calls that need approval, or failed (see `error()`).
 */
export type ChatStatus = 'idle' | 'streaming' | 'running-tools' | 'awaiting-approval' | 'error';

/**
 * A chat against a server: each run `POST`s an {@link AgentChatRequest} as JSON to `endpoint`,
 * which answers with the run's events as server-sent events (see `chatRunInput`).
 */
export interface AgentChatEndpointOptions {
  /** The URL the chat posts its requests to. */
  readonly endpoint: string;
  readonly run?: undefined;
  /** Extra request headers (an authorization, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /** `fetch`'s `credentials` (default: the browser's, `same-origin`). */
  readonly credentials?: RequestCredentials;
}

/**
 * A chat that runs in this process: `run` turns a request into the run's events, for example
 * `(request) => runStreamed(agent, chatRunInput(agent, request))`.
 */
export interface AgentChatRunOptions<TOutput> {
  readonly endpoint?: undefined;
  /** The run a request asks for, as its events; the chat subscribes, and unsubscribes to stop it. */
  readonly run: (request: AgentChatRequest) => Observable<RunEvent<TOutput>>;
}

/** What `injectAgentChat` takes: an `endpoint`, or a `run` function. */
export type AgentChatOptions<TOutput = string> = AgentChatEndpointOptions | AgentChatRunOptions<TOutput>;

/** The chat: its state as signals, and what the user can do. */
export interface AgentChat<TOutput = string> {
  /** The conversation: user messages, assistant text as it grows, tool calls with their status. */
  readonly messages: Signal<readonly ChatMessage[]>;
  readonly status: Signal<ChatStatus>;
  /** What ended the last run with an error, until the next run starts. */
  readonly error: Signal<unknown>;
  /** The current run's structured answer as it fills in (`partialOutput()`), then its final output. */
  readonly partialOutput: Signal<DeepPartial<TOutput> | undefined>;
  /** Calls waiting for approve or reject. */
  readonly pendingApprovals: Signal<readonly ChatToolMessage[]>;
  /** Sends a user message and runs the agent on the conversation; stops a run still going. Blank text is ignored. */
  send(text: string): void;
  /** Cancels the run (unsubscribing aborts its request): the status goes back to `'idle'`. */
  stop(): void;
  /** Approves a call that waits; once every waiting call is decided, the run resumes. A call that is not waiting is ignored (a second click). */
  approve(callId: string): void;
  /** Rejects a call that waits (the model is told, with `message` when given); a call that is not waiting is ignored. */
  reject(callId: string, message?: string): void;
  /** Runs the last user message again, dropping what answered it. */
  reload(): void;
}

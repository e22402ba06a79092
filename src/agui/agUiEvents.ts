/**
 * The AG-UI events rxjs-agents sends (https://docs.ag-ui.com, protocol 1.0), as our own types: a
 * discriminated union on `type`, named as AG-UI names them. The library does not depend on
 * `@ag-ui/core`; its specs validate every event `toAgUiEvents()` makes against that package's zod
 * schemas, so these types and the protocol cannot drift apart unnoticed.
 *
 * Only the fields we send are declared (each optional one the protocol also has as optional), and
 * nothing is `null`: AG-UI's schemas refuse `null` where a field is optional.
 */

/** Token counts of a run, in AG-UI's accounting (`inputTokens + outputTokens = totalTokens`). */
export interface AgUiTokenUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
}

/** Events a subagent makes carry its `subagentRunId`. */
export interface AgUiAttributed {
  /** The subagent (an agent called as a tool) that made it; absent for the run's own agent. */
  readonly subagentRunId?: string;
}

/** Opens a run: always the first event. */
export interface AgUiRunStartedEvent {
  readonly type: 'RUN_STARTED';
  readonly threadId: string;
  readonly runId: string;
}

/**
 * Something the run waits for before it can go on: for rxjs-agents, a tool call that waits for a
 * person's approval (`reason: 'tool_approval'`). Its `id` is the call's id, the id a resume entry
 * answers.
 */
export interface AgUiInterrupt {
  readonly id: string;
  readonly reason: string;
  readonly message?: string;
  readonly toolCallId?: string;
  /** `{ toolName, arguments }`: what the approval is about. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Why a run that did not fail ended (`RUN_FINISHED.outcome`). */
export type AgUiRunFinishedOutcome =
  | {
      readonly type: 'success';
      /** Calls of front-end tools the run left for the client to answer. */
      readonly pendingToolCallIds?: readonly string[];
    }
  | { readonly type: 'interrupt'; readonly interrupts: readonly AgUiInterrupt[] }
  | { readonly type: 'cancelled' };

/** Closes a run that did not fail: always the last event, unless `RUN_ERROR` is. */
export interface AgUiRunFinishedEvent {
  readonly type: 'RUN_FINISHED';
  readonly threadId: string;
  readonly runId: string;
  /** The run's final output (text, or the structured answer), when it has one. */
  readonly result?: unknown;
  readonly outcome: AgUiRunFinishedOutcome;
  readonly usage?: readonly AgUiTokenUsage[];
}

/** Ends a run that failed. */
export interface AgUiRunErrorEvent {
  readonly type: 'RUN_ERROR';
  /** A public message (by default generic: see `toAgUiEvents`'s `errorMessage`). */
  readonly message: string;
  /** The error's class name, such as `'ModelProviderError'`. */
  readonly code?: string;
}

/** Opens a step: one model turn, with the tools it called. */
export interface AgUiStepStartedEvent extends AgUiAttributed {
  readonly type: 'STEP_STARTED';
  readonly stepName: string;
}

/** Closes the step of the same name. */
export interface AgUiStepFinishedEvent extends AgUiAttributed {
  readonly type: 'STEP_FINISHED';
  readonly stepName: string;
}

/** Opens a streamed assistant message. */
export interface AgUiTextMessageStartEvent extends AgUiAttributed {
  readonly type: 'TEXT_MESSAGE_START';
  readonly messageId: string;
  readonly role: 'assistant';
}

/** A piece of a streamed message's text. */
export interface AgUiTextMessageContentEvent extends AgUiAttributed {
  readonly type: 'TEXT_MESSAGE_CONTENT';
  readonly messageId: string;
  readonly delta: string;
}

/** Closes a streamed message. */
export interface AgUiTextMessageEndEvent extends AgUiAttributed {
  readonly type: 'TEXT_MESSAGE_END';
  readonly messageId: string;
}

/** Opens a tool call, held by the assistant message `parentMessageId`. */
export interface AgUiToolCallStartEvent extends AgUiAttributed {
  readonly type: 'TOOL_CALL_START';
  readonly toolCallId: string;
  readonly toolCallName: string;
  readonly parentMessageId?: string;
}

/** A piece of a tool call's arguments (JSON text). */
export interface AgUiToolCallArgsEvent extends AgUiAttributed {
  readonly type: 'TOOL_CALL_ARGS';
  readonly toolCallId: string;
  readonly delta: string;
}

/** The call's arguments are complete. */
export interface AgUiToolCallEndEvent extends AgUiAttributed {
  readonly type: 'TOOL_CALL_END';
  readonly toolCallId: string;
}

/** What a tool returned: a tool message `messageId` of the conversation. */
export interface AgUiToolCallResultEvent extends AgUiAttributed {
  readonly type: 'TOOL_CALL_RESULT';
  readonly messageId: string;
  readonly toolCallId: string;
  /** The output as the model read it: a string as it is, anything else as JSON. */
  readonly content: string;
  readonly role: 'tool';
}

/** An application's own event: rxjs-agents sends `rxjs-agents.*` ones (see `toAgUiEvents`). */
export interface AgUiCustomEvent extends AgUiAttributed {
  readonly type: 'CUSTOM';
  readonly name: string;
  readonly value: unknown;
}

/**
 * A subagent — an agent called as a tool (`agent.asTool()`) — begins: its events follow, tagged
 * with its `subagentRunId`, until `SUBAGENT_FINISHED` or `SUBAGENT_ERROR`.
 */
export interface AgUiSubagentStartedEvent {
  readonly type: 'SUBAGENT_STARTED';
  readonly subagentRunId: string;
  /** The agent's name. */
  readonly name: string;
  /** The call that runs it. */
  readonly parentToolCallId: string;
  /** The message that holds that call. */
  readonly parentMessageId?: string;
  /** The subagent that made that call, for a subagent's own subagent. */
  readonly parentSubagentRunId?: string;
}

/** A subagent's work is done; the call's `TOOL_CALL_RESULT` follows. */
export interface AgUiSubagentFinishedEvent {
  readonly type: 'SUBAGENT_FINISHED';
  readonly subagentRunId: string;
}

/** A subagent failed; the call's `TOOL_CALL_RESULT` (the error, as the model read it) follows. */
export interface AgUiSubagentErrorEvent {
  readonly type: 'SUBAGENT_ERROR';
  readonly subagentRunId: string;
  /** `The agent failed (<name>).` */
  readonly message: string;
  /** The error's name. */
  readonly code: string;
}

/** Any AG-UI event rxjs-agents sends. */
export type AgUiEvent =
  | AgUiRunStartedEvent
  | AgUiRunFinishedEvent
  | AgUiRunErrorEvent
  | AgUiStepStartedEvent
  | AgUiStepFinishedEvent
  | AgUiTextMessageStartEvent
  | AgUiTextMessageContentEvent
  | AgUiTextMessageEndEvent
  | AgUiToolCallStartEvent
  | AgUiToolCallArgsEvent
  | AgUiToolCallEndEvent
  | AgUiToolCallResultEvent
  | AgUiCustomEvent
  | AgUiSubagentStartedEvent
  | AgUiSubagentFinishedEvent
  | AgUiSubagentErrorEvent;

/** The `type` of any AG-UI event rxjs-agents sends. */
export type AgUiEventType = AgUiEvent['type'];

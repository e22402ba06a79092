/**
 * The chunks of the AI SDK's UI message stream (protocol `v1`, what `useChat` reads) that
 * `toUIMessageStream()` sends: a discriminated union on `type`, written from the protocol
 * (`uiMessageChunkSchema` in the `ai` package, 5.x to 7.x) so that this package does not depend on
 * `ai`. Each member is a subset of the AI SDK's own chunk of that type, so a value of this union is
 * a valid `UIMessageChunk` of `ai`.
 */

/** Opens the assistant message the stream writes. */
export interface UIStartChunk {
  readonly type: 'start';
  /** The assistant message's id; the client makes one up when it is not sent. */
  readonly messageId?: string;
  readonly messageMetadata?: unknown;
}

/** A model call begins (a `turn-started`): the client adds a `step-start` part. */
export interface UIStartStepChunk {
  readonly type: 'start-step';
}

/** A model call and the tools it asked for are done. */
export interface UIFinishStepChunk {
  readonly type: 'finish-step';
}

/**
 * Drops every part the current step has added: a `turn-restarted` (the model call is made again,
 * and its text streams from its beginning).
 */
export interface UIResetStepChunk {
  readonly type: 'reset-step';
}

/** A text part opens. */
export interface UITextStartChunk {
  readonly type: 'text-start';
  readonly id: string;
}

/** Text of the open text part `id`. */
export interface UITextDeltaChunk {
  readonly type: 'text-delta';
  readonly id: string;
  readonly delta: string;
}

/** The text part `id` is complete. */
export interface UITextEndChunk {
  readonly type: 'text-end';
  readonly id: string;
}

/** A reasoning part opens. */
export interface UIReasoningStartChunk {
  readonly type: 'reasoning-start';
  readonly id: string;
}

/** Reasoning text of the open reasoning part `id`. */
export interface UIReasoningDeltaChunk {
  readonly type: 'reasoning-delta';
  readonly id: string;
  readonly delta: string;
}

/** The reasoning part `id` is complete. */
export interface UIReasoningEndChunk {
  readonly type: 'reasoning-end';
  readonly id: string;
}

/** A tool part opens, its input not known yet (state `input-streaming`). */
export interface UIToolInputStartChunk {
  readonly type: 'tool-input-start';
  readonly toolCallId: string;
  readonly toolName: string;
}

/** The tool call's input is known (state `input-available`). */
export interface UIToolInputAvailableChunk {
  readonly type: 'tool-input-available';
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
}

/** The call waits for a person's decision (state `approval-requested`); `approvalId` is the call's id. */
export interface UIToolApprovalRequestChunk {
  readonly type: 'tool-approval-request';
  readonly approvalId: string;
  readonly toolCallId: string;
}

/** The tool's output (state `output-available`). */
export interface UIToolOutputAvailableChunk {
  readonly type: 'tool-output-available';
  readonly toolCallId: string;
  readonly output: unknown;
}

/** The tool failed, or a tool guardrail rejected the call (state `output-error`). */
export interface UIToolOutputErrorChunk {
  readonly type: 'tool-output-error';
  readonly toolCallId: string;
  readonly errorText: string;
}

/** The call was rejected by a person and did not run (state `output-denied`). */
export interface UIToolOutputDeniedChunk {
  readonly type: 'tool-output-denied';
  readonly toolCallId: string;
}

/**
 * The structured answer so far (`toUIMessageStream({ partialOutput: true })`): a `data-partial-output`
 * part that each chunk with the same `id` replaces, so the client holds one part that grows.
 */
export interface UIPartialOutputChunk {
  readonly type: 'data-partial-output';
  readonly id: string;
  readonly data: unknown;
}

/**
 * Why the message ended, in the AI SDK's words: `'stop'` (a final output), `'tool-calls'` (calls
 * wait for approval: the client answers and sends again), `'other'` (stopped after a turn by
 * `stopAfterTurn`, or a source that ended without a final output).
 */
export type UIFinishReason = 'stop' | 'tool-calls' | 'other';

/** The message is complete. */
export interface UIFinishChunk {
  readonly type: 'finish';
  readonly finishReason: UIFinishReason;
  readonly messageMetadata?: unknown;
}

/** The run failed; `errorText` is what `errorMessage` makes of the error. */
export interface UIErrorChunk {
  readonly type: 'error';
  readonly errorText: string;
}

/** The run was aborted by its `signal` (a `RunAbortedError`). */
export interface UIAbortChunk {
  readonly type: 'abort';
}

/** A chunk of the UI message stream, as `toUIMessageStream()` sends it. */
export type UIMessageChunk =
  | UIStartChunk
  | UIStartStepChunk
  | UIFinishStepChunk
  | UIResetStepChunk
  | UITextStartChunk
  | UITextDeltaChunk
  | UITextEndChunk
  | UIReasoningStartChunk
  | UIReasoningDeltaChunk
  | UIReasoningEndChunk
  | UIToolInputStartChunk
  | UIToolInputAvailableChunk
  | UIToolApprovalRequestChunk
  | UIToolOutputAvailableChunk
  | UIToolOutputErrorChunk
  | UIToolOutputDeniedChunk
  | UIPartialOutputChunk
  | UIFinishChunk
  | UIErrorChunk
  | UIAbortChunk;

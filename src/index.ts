// The main entry: agents, tools, the runner and its three modes, models, events and errors.
// Browser-safe: nothing reached from here imports a `node:` module statically.

export { Agent, handoffToolName } from './agent.js';
export type { AgentConfig, Instructions } from './agent.js';
export type { AgentTool, AgentToolOptions, AgentToolParameters } from './agentTool.js';

export { tool, isTool } from './tool.js';
export type { AnyTool, NeedsApproval, Tool, ToolApprovalContext, ToolConfig, ToolContext, ToolResult } from './tool.js';

export { Runner } from './runner/runner.js';
export { getDefaultRunner, run, runBatch, runStreamed, runSync } from './runner/defaultRunner.js';
export { jsonLinesCheckpoint } from './batch/checkpoint.js';
export type { BatchCheckpoint, BatchJobRecord, BatchRecord, CheckpointRecord } from './batch/checkpoint.js';
export { openAIBatch } from './batch/engine/openAIBatch.js';
export type {
  BatchApiClient,
  BatchApiJob,
  BatchApiRequestOptions,
  OpenAIBatchEngine,
  OpenAIBatchOptions,
} from './batch/engine/openAIBatch.js';
export type { BatchEndpoint } from './models/batchLines.js';
export type {
  BatchCompletedEvent,
  BatchEvent,
  BatchItem,
  BatchItemError,
  BatchItems,
  BatchJobProgress,
  BatchOptions,
  BatchProgressEvent,
  ItemCompletedEvent,
  ItemFailedEvent,
} from './batch/batchTypes.js';
export type { RunInput } from './runner/runInput.js';
export type { RunOptions, RunnerConfig, ToolErrorPolicy } from './runner/runOptions.js';
export type { ApprovalDecision, Approver, RetryOptions } from './runner/runOptions.js';
export type {
  CompletedRunResult,
  CompletedRunResultData,
  InterruptedRunResult,
  InterruptedRunResultData,
  RunResult,
  RunResultData,
} from './runner/runResult.js';
export { RunState } from './runner/runState.js';
export { chatRunInput } from './runner/chatRequest.js';
export type { AgentChatRequest } from './runner/chatRequest.js';
export type { NextStep, PlannedHandoff, PlannedToolCall } from './runner/nextStep.js';
export type { ApprovalDecisionData, RunStateData, ToolApprovalRequest, ToolOutputData } from './runner/runStateData.js';

export type {
  AgentUpdatedEvent,
  EventError,
  FinalOutputEvent,
  RawModelEvent,
  RunEvent,
  RunEventType,
  TextDeltaEvent,
  ToolCallEvent,
  ToolOutputEvent,
  TurnCompletedEvent,
} from './events.js';
export type {
  GuardrailEvent,
  RunInterruptedEvent,
  ToolApprovalRequestedEvent,
  TurnRestartedEvent,
  TurnStartedEvent,
} from './events.js';

export {
  isFunctionCallItem,
  isFunctionCallOutputItem,
  isMessageItem,
  messageRefusal,
  messageText,
  userMessage,
} from './items.js';
export type {
  FunctionCallItem,
  FunctionCallOutputItem,
  InputItem,
  MessageContentPart,
  MessageItem,
  OutputItem,
  ProviderItem,
  RunItem,
} from './items.js';

export { isModel } from './model.js';
export type {
  FunctionToolSpec,
  JsonSchema,
  Model,
  ModelDescription,
  ModelEvent,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ModelSettings,
  RateLimitsEvent,
  ToolChoice,
} from './model.js';

export { OpenAIChatCompletionsModel, OpenAIProvider, OpenAIResponsesModel } from './models/index.js';
export type {
  OpenAIClient,
  OpenAIModelOptions,
  OpenAIProviderOptions,
  OpenAIRequestOptions,
  OpenAIStreamingBody,
} from './models/index.js';

export type {
  GuardrailAnswer,
  GuardrailContext,
  GuardrailKind,
  GuardrailResult,
  InputGuardrail,
  OutputGuardrail,
  StreamGuardrail,
  StreamGuardrailCadence,
} from './guardrails.js';

export type { Session } from './session.js';

export type {
  RunTrace,
  RunTraceEnd,
  TracedAgent,
  TracedModelCall,
  TracedRunStart,
  TracedToolCall,
  Tracing,
} from './tracing.js';
export type { McpCallToolResult, McpServer, McpToolDefinition } from './mcpServer.js';
export type { Usage } from './usage.js';
export type { DeepPartial } from './deepPartial.js';

export { fromServerSentEvents } from './interop/fromServerSentEvents.js';
export { toAsyncIterable } from './interop/toAsyncIterable.js';
export type { ToAsyncIterableOptions } from './interop/toAsyncIterable.js';
export { toReadableStream } from './interop/toReadableStream.js';
export type { ToReadableStreamOptions } from './interop/toReadableStream.js';
export { nextPausable, pauseSource } from './backpressure.js';

export { fromAgUiInput } from './agui/fromAgUiInput.js';
export type { AgUiApproval, AgUiRunInput } from './agui/fromAgUiInput.js';
export { toAgUiResponse } from './agui/toAgUiResponse.js';
export type {
  AgUiAttributed,
  AgUiCustomEvent,
  AgUiEvent,
  AgUiEventType,
  AgUiInterrupt,
  AgUiRunErrorEvent,
  AgUiRunFinishedEvent,
  AgUiRunFinishedOutcome,
  AgUiRunStartedEvent,
  AgUiStepFinishedEvent,
  AgUiStepStartedEvent,
  AgUiSubagentErrorEvent,
  AgUiSubagentFinishedEvent,
  AgUiSubagentStartedEvent,
  AgUiTextMessageContentEvent,
  AgUiTextMessageEndEvent,
  AgUiTextMessageStartEvent,
  AgUiTokenUsage,
  AgUiToolCallArgsEvent,
  AgUiToolCallEndEvent,
  AgUiToolCallResultEvent,
  AgUiToolCallStartEvent,
} from './agui/agUiEvents.js';
export type {
  AgUiActivityMessage,
  AgUiAssistantMessage,
  AgUiContentPart,
  AgUiContext,
  AgUiInstructionMessage,
  AgUiMediaPart,
  AgUiMessage,
  AgUiPartSource,
  AgUiReasoningMessage,
  AgUiResumeEntry,
  AgUiRunAgentInput,
  AgUiTextPart,
  AgUiTool,
  AgUiToolCall,
  AgUiToolMessage,
  AgUiUserMessage,
} from './agui/agUiInput.js';
export { EventStreamError, RemoteRunError } from './interop/errors.js';

export { toUIMessageStreamResponse } from './uiMessages/toUIMessageStreamResponse.js';
export type { UIMessageStreamResponseInit } from './uiMessages/toUIMessageStreamResponse.js';
export { fromUIMessages, uiApprovalResponses } from './uiMessages/fromUIMessages.js';
export type { UIApprovalResponse, UIMessageLike } from './uiMessages/fromUIMessages.js';
export type {
  UIAbortChunk,
  UIErrorChunk,
  UIFinishChunk,
  UIFinishReason,
  UIFinishStepChunk,
  UIMessageChunk,
  UIPartialOutputChunk,
  UIReasoningDeltaChunk,
  UIReasoningEndChunk,
  UIReasoningStartChunk,
  UIResetStepChunk,
  UIStartChunk,
  UIStartStepChunk,
  UITextDeltaChunk,
  UITextEndChunk,
  UITextStartChunk,
  UIToolApprovalRequestChunk,
  UIToolInputAvailableChunk,
  UIToolInputStartChunk,
  UIToolOutputAvailableChunk,
  UIToolOutputDeniedChunk,
  UIToolOutputErrorChunk,
} from './uiMessages/uiMessageChunk.js';

export {
  AgentsError,
  InvalidArgumentError,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelProviderError,
  ModelRefusalError,
  NoFinalOutputError,
  OutputLimitExceededError,
  RunAbortedError,
  SessionError,
  SyncRunError,
  ToolCallError,
} from './errors.js';
export type { AgentsErrorOptions, RunPartial } from './errors.js';
export { ModelTimeoutError, ToolTimeoutError } from './errors.js';
export type { SessionOperation } from './errors.js';
export { InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered } from './errors.js';
export type { GuardrailErrorOptions, TrippedGuardrail } from './errors.js';
export { McpServerError } from './errors.js';
export type { McpServerOperation } from './errors.js';

export type {
  ToolGuardrailAnswer,
  ToolGuardrailContext,
  ToolGuardrailResult,
  ToolInputGuardrail,
  ToolOutputGuardrail,
} from './toolGuardrails.js';
export { ToolGuardrailTripwireTriggered } from './errors.js';
export type { ToolCallResult, ToolsFinalOutput, ToolsToFinalOutput, ToolUseBehavior } from './toolUseBehavior.js';
export { hostedTool, isHostedTool } from './hostedTool.js';
export type { HostedTool, HostedToolSpec, HostedToolType } from './hostedTool.js';

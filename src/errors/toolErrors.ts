import { AgentsError, type AgentsErrorOptions } from './agentsError.js';

// The errors of a tool call.

const toolCallMarker = 'rxjs-agents.error.ToolCallError';
const toolCallSymbol = Symbol.for(toolCallMarker);

/** A tool call failed (bad arguments or a throwing tool) and the run was set to fail on it. */
export class ToolCallError extends AgentsError {
  private readonly [toolCallSymbol] = true;
  /** The tool's name. */
  readonly toolName: string;
  /** The model's id for the call. */
  readonly callId: string;

  constructor({
    toolName,
    callId,
    message,
    cause,
  }: AgentsErrorOptions & { toolName: string; callId: string; message: string }) {
    super({ message: `Tool \`${toolName}\` (call ${callId}) failed: ${message}`, cause });
    this.toolName = toolName;
    this.callId = callId;
  }

  /** Whether `error` is a `ToolCallError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ToolCallError {
    return AgentsError.hasMarker(error, toolCallMarker);
  }
}

const toolTimeoutMarker = 'rxjs-agents.error.ToolTimeoutError';
const toolTimeoutSymbol = Symbol.for(toolTimeoutMarker);

/**
 * A tool ran past its own `timeoutMs`: its `signal` was aborted with this error as the reason. It
 * is reported to the model as the call's output, or fails the run when `toolErrors` is `'throw'`.
 */
export class ToolTimeoutError extends ToolCallError {
  private readonly [toolTimeoutSymbol] = true;
  /** The tool's `timeoutMs`. */
  readonly timeoutMs: number;

  constructor({ toolName, callId, timeoutMs }: { toolName: string; callId: string; timeoutMs: number }) {
    super({ toolName, callId, message: `it ran past its timeoutMs of ${timeoutMs} ms and was aborted.` });
    this.timeoutMs = timeoutMs;
  }

  /** Whether `error` is a `ToolTimeoutError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ToolTimeoutError {
    return AgentsError.hasMarker(error, toolTimeoutMarker);
  }
}

// Every error rxjs-agents throws, by family: the base, a run's configuration and course, model
// calls, tool calls, sessions, MCP servers. Each class has its own `isInstance`, true across copies of the package.

export { AgentsError } from './errors/agentsError.js';
export type { AgentsErrorOptions, RunPartial } from './errors/agentsError.js';
export {
  InvalidArgumentError,
  MaxTurnsExceededError,
  NoFinalOutputError,
  OutputLimitExceededError,
  RunAbortedError,
  SyncRunError,
} from './errors/runErrors.js';
export {
  isRetryableStatus,
  ModelBehaviorError,
  ModelProviderError,
  ModelRefusalError,
  ModelTimeoutError,
} from './errors/modelErrors.js';
export { ToolCallError, ToolTimeoutError } from './errors/toolErrors.js';
export { SessionError } from './errors/sessionErrors.js';
export {
  InputGuardrailTripwireTriggered,
  OutputGuardrailTripwireTriggered,
  ToolGuardrailTripwireTriggered,
} from './errors/guardrailErrors.js';
export type { GuardrailErrorOptions, TrippedGuardrail } from './errors/guardrailErrors.js';
export type { SessionOperation } from './errors/sessionErrors.js';
export { McpServerError } from './errors/mcpErrors.js';
export type { McpServerOperation } from './errors/mcpErrors.js';

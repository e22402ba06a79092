import { diag, type Attributes } from '@opentelemetry/api';

/**
 * The attribute names of OpenTelemetry's GenAI semantic conventions that the spans carry (written
 * out rather than imported: `@opentelemetry/semantic-conventions` keeps them in its experimental
 * entry, which may rename them in any minor release), and the few of rxjs-agents' own, under
 * `rxjs_agents.`.
 *
 * Internal to `src/otel/`.
 */
export const attr = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  agentName: 'gen_ai.agent.name',
  agentDescription: 'gen_ai.agent.description',
  outputType: 'gen_ai.output.type',
  requestModel: 'gen_ai.request.model',
  temperature: 'gen_ai.request.temperature',
  topP: 'gen_ai.request.top_p',
  maxTokens: 'gen_ai.request.max_tokens',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  timeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cachedInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  reasoningTokens: 'gen_ai.usage.reasoning.output_tokens',
  conversationId: 'gen_ai.conversation.id',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolDescription: 'gen_ai.tool.description',
  toolArguments: 'gen_ai.tool.call.arguments',
  toolResult: 'gen_ai.tool.call.result',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  tokenType: 'gen_ai.token.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  // rxjs-agents' own.
  turn: 'rxjs_agents.turn',
  attempt: 'rxjs_agents.attempt',
  outcome: 'rxjs_agents.run.outcome',
  cancelled: 'rxjs_agents.cancelled',
  resumed: 'rxjs_agents.run.resumed',
  toolRejected: 'rxjs_agents.tool.rejected',
  guardrailName: 'rxjs_agents.guardrail.name',
  guardrailKind: 'rxjs_agents.guardrail.kind',
  guardrailTripped: 'rxjs_agents.guardrail.tripwire_triggered',
  guardrailBehavior: 'rxjs_agents.guardrail.behavior',
  interruptReason: 'rxjs_agents.interrupt.reason',
  handoffFrom: 'rxjs_agents.handoff.from',
  handoffTo: 'rxjs_agents.handoff.to',
  restartReason: 'rxjs_agents.restart.reason',
} as const;

/** The `error.type` of an error: its `name` (our errors' and the SDK's class names), or `'_OTHER'`. */
export function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
    const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof constructorName === 'string' && constructorName !== '' && constructorName !== 'Object') {
      return constructorName;
    }
  }
  return '_OTHER';
}

/** `attributes` with the undefined ones left out (the API ignores them, with a warning each). */
export function defined(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Runs `work`, and reports what it throws to OpenTelemetry's diagnostic logger instead: a tracer's
 * failure must never fail the run it watches (the convention every instrumentation follows).
 */
export function guarded(work: () => void): void {
  try {
    work();
  } catch (error) {
    diag.error('rxjs-agents/otel: a span could not be recorded', error);
  }
}

/** JSON of `value`, or what it is when JSON cannot say (never throws). */
export function jsonOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

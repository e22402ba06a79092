import type { Observable } from 'rxjs';
import type { HostedToolSpec } from './hostedTool.js';
import type { InputItem, OutputItem } from './items.js';
import type { Usage } from './usage.js';

/** A JSON schema, as plain data. */
export type JsonSchema = { readonly [key: string]: unknown };

/** A function tool as the model is told about it. */
export interface FunctionToolSpec {
  readonly type: 'function';
  readonly name: string;
  readonly description: string;
  /** A JSON schema of the arguments object, made from the tool's zod schema. */
  readonly parameters: JsonSchema;
  /** Whether the schema is strict (every field required, no extra fields). */
  readonly strict: boolean;
}

/** Which tool the model must use, if any. */
export type ToolChoice = 'auto' | 'required' | 'none' | { readonly type: 'function'; readonly name: string };

/** Settings of a model call; each maps to both OpenAI APIs. */
export interface ModelSettings {
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxOutputTokens?: number;
  readonly toolChoice?: ToolChoice;
  readonly parallelToolCalls?: boolean;
  readonly reasoning?: { readonly effort?: 'minimal' | 'low' | 'medium' | 'high' };
}

/** What the runner asks a model for, once per turn. */
export interface ModelRequest {
  /** The system prompt (the agent's instructions), if any. */
  readonly instructions?: string;
  /**
   * The whole conversation so far; or, when the server keeps the conversation
   * (`previousResponseId`, `conversationId`), only the items it does not have yet.
   */
  readonly input: readonly InputItem[];
  /** The tools the model may call (the agent's tools and its handoffs). */
  readonly tools: readonly FunctionToolSpec[];
  /**
   * The hosted tools of the Responses API the agent offers (web search, file search, the code
   * interpreter), as that API takes them; absent when it has none. Their calls are run by the
   * model's server, never by the runner. A model that cannot offer them (Chat Completions) fails
   * the call, before any request, rather than leave them out without a word.
   */
  readonly hostedTools?: readonly HostedToolSpec[];
  /** A strict JSON schema the answer must follow, when the agent has an `outputType`. */
  readonly outputSchema?: { readonly name: string; readonly schema: JsonSchema };
  readonly settings: ModelSettings;
  /**
   * The response this call continues, whose input and output the server keeps (the Responses
   * API's `previous_response_id`): `input` holds only what came after it. A model that cannot
   * continue a stored response (Chat Completions) fails the call rather than lose the history.
   */
  readonly previousResponseId?: string;
  /**
   * The server-side conversation this call continues and extends (the Responses API's
   * `conversation`): `input` holds only the items the conversation does not have yet. A model
   * that cannot (Chat Completions) fails the call rather than lose the history.
   */
  readonly conversationId?: string;
}

/** One finished model response. */
export interface ModelResponse {
  readonly id?: string;
  /** The items the model produced, in the Responses API's item shapes. */
  readonly output: readonly OutputItem[];
  readonly usage: Usage;
}

/** An event of one model call. */
export type ModelEvent =
  /** An event as the provider sent it, untouched. */
  | { readonly type: 'raw'; readonly data: unknown }
  /** A new piece of assistant text. */
  | { readonly type: 'text-delta'; readonly delta: string }
  /** The finished response: exactly one, last. */
  | { readonly type: 'response'; readonly response: ModelResponse }
  /**
   * Bytes of the response arrived, which may not yet complete an event (a large
   * `response.completed` still arriving): the connection is alive. The run's `idleTimeoutMs`
   * counts it as activity; it is never a run event. A custom model need not emit it.
   */
  | { readonly type: 'progress' }
  /**
   * What the server said is left of the account's rate limits, from its response's headers
   * (`x-ratelimit-remaining-requests`, `-tokens`, and when each budget is full again): a batch
   * slows before it hits the limit. Never a run event; a custom model need not emit it.
   */
  | RateLimitsEvent;

/** See the `rate-limits` {@link ModelEvent}. Each field is there only when the server sent it. */
export interface RateLimitsEvent {
  readonly type: 'rate-limits';
  readonly remainingRequests?: number;
  readonly remainingTokens?: number;
  /** In how many ms the requests budget is full again. */
  readonly resetRequestsMs?: number;
  /** In how many ms the tokens budget is full again. */
  readonly resetTokensMs?: number;
}

/**
 * A language model, as the runner sees it.
 *
 * `stream()` is one model call as a cold Observable: nothing is requested until subscription, and
 * unsubscribing aborts the call. It emits `raw` and `text-delta` events as they arrive and exactly
 * one `response` event last.
 */
export interface Model {
  /** The model's kind; it labels `raw` events as their `source` (for example `'openai-responses'`). */
  readonly name: string;
  /**
   * One model call.
   *
   * @param request The instructions, conversation, tools, output schema and settings.
   * @returns A cold Observable of `raw` and `text-delta` events and, last, one `response`.
   */
  stream(request: ModelRequest): Observable<ModelEvent>;
  /**
   * The model id and who serves it, as a trace names them (`gen_ai.request.model`,
   * `gen_ai.provider.name`, `server.address`, `server.port`). Optional: a model without it is
   * traced under its `name`.
   */
  describe?(): ModelDescription;
}

/** What a trace says of a model: see {@link Model.describe}. */
export interface ModelDescription {
  /** The model id sent to the server, for example `'gpt-4.1-mini'`. */
  readonly model: string;
  /**
   * Who serves it, as OpenTelemetry's GenAI conventions name providers: `'openai'`,
   * `'azure.ai.openai'`, `'mistral_ai'`, `'deepseek'`, `'groq'`, … or a name of the model's own.
   */
  readonly provider: string;
  /** The server's host and port, when the model calls one. */
  readonly serverAddress?: string;
  readonly serverPort?: number;
}

/** Resolves model names (as given to `Agent`) to models. */
export interface ModelProvider {
  /**
   * @param name A model name, as given to `Agent` (for example `'gpt-4.1-mini'`).
   * @returns The model to call.
   */
  getModel(name: string): Model;
}

/** Whether `value` looks like a {@link Model}. */
export function isModel(value: unknown): value is Model {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { stream?: unknown }).stream === 'function'
  );
}

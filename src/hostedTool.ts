import type { FileSearchTool, Tool as ResponsesTool, WebSearchTool } from 'openai/resources/responses/responses';
import { InvalidArgumentError } from './errors.js';

const hostedToolBrand = Symbol.for('rxjs-agents.hostedTool');

/** The tools the Responses API runs itself, on OpenAI's side. */
export type HostedToolType = 'web_search' | 'file_search' | 'code_interpreter';

/**
 * A hosted tool as the Responses API's `tools` field takes it, typed from the `openai` SDK:
 * `{ type: 'web_search', search_context_size?, user_location?, filters? }`,
 * `{ type: 'file_search', vector_store_ids, max_num_results?, filters?, ranking_options? }`,
 * `{ type: 'code_interpreter', container }`.
 */
export type HostedToolSpec =
  (Omit<WebSearchTool, 'type'> & { readonly type: 'web_search' }) | FileSearchTool | ResponsesTool.CodeInterpreter;

/**
 * A tool the model's server runs (web search, file search, the code interpreter): an agent offers
 * it among its `tools`, the Responses model sends its spec untouched, and its calls never reach
 * the runner — their items (`web_search_call`, `file_search_call`, `code_interpreter_call`) join
 * the history as they came, and their stream events arrive as `raw`. Make one with {@link hostedTool}.
 */
export interface HostedTool {
  readonly [hostedToolBrand]: true;
  readonly type: HostedToolType;
  /** What the Responses API is sent in `tools`. */
  readonly spec: HostedToolSpec;
}

const hostedTypes: readonly string[] = ['web_search', 'file_search', 'code_interpreter'];

/**
 * A hosted tool of the Responses API, with that tool's options:
 *
 * ```ts
 * const search = hostedTool({ type: 'web_search', search_context_size: 'low' });
 * const agent = new Agent({ name: 'Researcher', model: new OpenAIResponsesModel({ model: 'gpt-4.1' }), tools: [search] });
 * ```
 *
 * Only the Responses API runs them: `OpenAIChatCompletionsModel` refuses a request that has one,
 * before sending it.
 *
 * @throws InvalidArgumentError for an unknown `type`, or a tool without the field its type needs
 * (`vector_store_ids` for file search, `container` for the code interpreter).
 */
export function hostedTool(spec: HostedToolSpec): HostedTool {
  if (typeof spec !== 'object' || spec === null || !hostedTypes.includes((spec as { type?: unknown }).type as string)) {
    const type = typeof spec === 'object' && spec !== null ? (spec as { type?: unknown }).type : spec;
    throw new InvalidArgumentError({
      argument: 'type',
      message: `hostedTool() takes { type: 'web_search' | 'file_search' | 'code_interpreter', ...options }; got type ${JSON.stringify(type) ?? typeof type}.`,
    });
  }
  if (spec.type === 'file_search' && !Array.isArray((spec as { vector_store_ids?: unknown }).vector_store_ids)) {
    throw new InvalidArgumentError({
      argument: 'vector_store_ids',
      message: "hostedTool({ type: 'file_search' }) needs vector_store_ids: the ids of the vector stores to search.",
    });
  }
  if (spec.type === 'code_interpreter') {
    const { container } = spec as { container?: unknown };
    if (typeof container !== 'string' && (typeof container !== 'object' || container === null)) {
      throw new InvalidArgumentError({
        argument: 'container',
        message:
          "hostedTool({ type: 'code_interpreter' }) needs a container: a container id, or { type: 'auto', file_ids? }.",
      });
    }
  }
  return Object.freeze({ [hostedToolBrand]: true as const, type: spec.type, spec: Object.freeze({ ...spec }) });
}

/** Whether `value` was made by {@link hostedTool}. */
export function isHostedTool(value: unknown): value is HostedTool {
  return (
    typeof value === 'object' && value !== null && (value as { [hostedToolBrand]?: unknown })[hostedToolBrand] === true
  );
}

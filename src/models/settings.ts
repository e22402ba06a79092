import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsStreaming } from 'openai/resources/responses/responses';
import type { FunctionToolSpec, ModelRequest, ModelSettings } from '../model.js';

/**
 * {@link ModelSettings} and tools in the request fields of each OpenAI API.
 *
 * Internal to `src/models/`. Fields that are `undefined` are left out, so the provider's defaults
 * apply. `tool_choice` and `parallel_tool_calls` are sent only with tools: both APIs reject them
 * without any.
 */

type ResponsesFields = Pick<
  ResponseCreateParamsStreaming,
  'temperature' | 'top_p' | 'max_output_tokens' | 'tool_choice' | 'parallel_tool_calls' | 'reasoning'
>;

type ChatFields = Pick<
  ChatCompletionCreateParamsStreaming,
  'temperature' | 'top_p' | 'max_completion_tokens' | 'tool_choice' | 'parallel_tool_calls' | 'reasoning_effort'
>;

/** The Responses API's fields for `settings`; `hasTools` says whether the request has tools. */
export function responsesSettings(settings: ModelSettings, hasTools: boolean): ResponsesFields {
  const fields: ResponsesFields = {};
  if (settings.temperature !== undefined) fields.temperature = settings.temperature;
  if (settings.topP !== undefined) fields.top_p = settings.topP;
  if (settings.maxOutputTokens !== undefined) fields.max_output_tokens = settings.maxOutputTokens;
  if (settings.reasoning?.effort !== undefined) fields.reasoning = { effort: settings.reasoning.effort };
  if (hasTools) {
    const choice = settings.toolChoice;
    if (choice !== undefined)
      fields.tool_choice = typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
    if (settings.parallelToolCalls !== undefined) fields.parallel_tool_calls = settings.parallelToolCalls;
  }
  return fields;
}

/**
 * The Chat Completions API's fields for `settings`.
 *
 * `maxOutputTokens` becomes `max_completion_tokens`, OpenAI's current field (`max_tokens` is
 * deprecated and refused by reasoning models); an OpenAI-compatible server that only knows
 * `max_tokens` ignores it.
 */
export function chatSettings(settings: ModelSettings, hasTools: boolean): ChatFields {
  const fields: ChatFields = {};
  if (settings.temperature !== undefined) fields.temperature = settings.temperature;
  if (settings.topP !== undefined) fields.top_p = settings.topP;
  if (settings.maxOutputTokens !== undefined) fields.max_completion_tokens = settings.maxOutputTokens;
  if (settings.reasoning?.effort !== undefined) fields.reasoning_effort = settings.reasoning.effort;
  if (hasTools) {
    const choice = settings.toolChoice;
    if (choice !== undefined) {
      fields.tool_choice = typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
    }
    if (settings.parallelToolCalls !== undefined) fields.parallel_tool_calls = settings.parallelToolCalls;
  }
  return fields;
}

/** A tool as a Responses API function tool. */
export function responsesTool(tool: FunctionToolSpec): NonNullable<ResponseCreateParamsStreaming['tools']>[number] {
  return {
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: { ...tool.parameters },
    strict: tool.strict,
  };
}

/** A tool as a Chat Completions function tool. */
export function chatTool(tool: FunctionToolSpec): NonNullable<ChatCompletionCreateParamsStreaming['tools']>[number] {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: { ...tool.parameters },
      strict: tool.strict,
    },
  };
}

/** The Responses API's `text.format` for the request's output schema (strict JSON schema). */
export function responsesTextFormat(
  outputSchema: NonNullable<ModelRequest['outputSchema']>,
): NonNullable<ResponseCreateParamsStreaming['text']> {
  return { format: { type: 'json_schema', name: outputSchema.name, schema: { ...outputSchema.schema }, strict: true } };
}

/** The Chat Completions API's `response_format` for the request's output schema (strict JSON schema). */
export function chatResponseFormat(
  outputSchema: NonNullable<ModelRequest['outputSchema']>,
): NonNullable<ChatCompletionCreateParamsStreaming['response_format']> {
  return {
    type: 'json_schema',
    json_schema: { name: outputSchema.name, schema: { ...outputSchema.schema }, strict: true },
  };
}

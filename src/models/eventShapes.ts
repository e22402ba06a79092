import { ModelProviderError } from '../errors.js';
import type { OutputItem } from '../items.js';
import type { Usage } from '../usage.js';
import type { ApiLabel } from './providerErrors.js';

/**
 * Checks of what a provider's stream delivered, before the models read it: the SDK types its
 * events, but a server (a proxy, an OpenAI-compatible one) may send anything that parses as JSON.
 * What the models rely on is checked; a violation is a `ModelProviderError` that says which event
 * was malformed, never a `TypeError` from deep inside a model.
 *
 * Internal to `src/models/`.
 */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error for an event that does not have the shape the API defines. Retryable, like a bad line. */
export function malformedEvent(api: ApiLabel, what: string): ModelProviderError {
  return new ModelProviderError({ message: `${api} sent a malformed event: ${what}.`, retryable: true });
}

/** A token count as a provider reports it: a whole number of 0 or more, or 0 for anything else. */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** Usage from a provider's usage object and the names of its three counts (zeros where absent or not counts). */
export function usageFrom(usage: unknown, keys: readonly [input: string, output: string, total: string]): Usage {
  const source = isRecord(usage) ? usage : {};
  return {
    requests: 1,
    inputTokens: tokenCount(source[keys[0]]),
    outputTokens: tokenCount(source[keys[1]]),
    totalTokens: tokenCount(source[keys[2]]),
  };
}

/** Whether `value` is a string, `null` or absent. */
export function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

/**
 * The output items of a Responses API response, checked where the runner reads them: every item
 * an object with a string `type`; a message's content a string or a list of parts with a `type`,
 * text parts with a string `text`; a function call's `call_id`, `name` and `arguments` strings.
 * Other items (reasoning, provider items) pass as they came.
 */
export function responsesOutput(api: ApiLabel, response: unknown): OutputItem[] {
  if (!isRecord(response) || !Array.isArray(response['output']))
    throw malformedEvent(api, 'response.completed without an output list');
  const output = response['output'] as unknown[];
  output.forEach((item, index) => {
    const what = `response.completed output[${index}]`;
    if (!isRecord(item) || typeof item['type'] !== 'string')
      throw malformedEvent(api, `${what} is not an item with a type`);
    if (item['type'] === 'message') {
      const content = item['content'];
      if (typeof item['role'] !== 'string') throw malformedEvent(api, `${what}: a message without a role`);
      if (typeof content === 'string') return;
      if (!Array.isArray(content)) throw malformedEvent(api, `${what}: a message without content`);
      content.forEach((part: unknown, at) => {
        if (!isRecord(part) || typeof part['type'] !== 'string')
          throw malformedEvent(api, `${what}.content[${at}] is not a part with a type`);
        if ((part['type'] === 'output_text' || part['type'] === 'input_text') && typeof part['text'] !== 'string') {
          throw malformedEvent(api, `${what}.content[${at}]: a text part without text`);
        }
        if (part['type'] === 'refusal' && typeof part['refusal'] !== 'string')
          throw malformedEvent(api, `${what}.content[${at}]: a refusal without text`);
      });
    } else if (item['type'] === 'function_call') {
      for (const field of ['call_id', 'name', 'arguments']) {
        if (typeof item[field] !== 'string')
          throw malformedEvent(api, `${what}: a function call whose ${field} is not a string`);
      }
    }
  });
  return output as OutputItem[];
}

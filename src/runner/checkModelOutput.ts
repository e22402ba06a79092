import { ModelBehaviorError } from '../errors.js';
import type { OutputItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import type { Usage } from '../usage.js';

/**
 * Checks of what a model hands the runner, whichever model it is: the OpenAI models check the
 * provider's stream themselves, a custom model may hand anything. A violation fails the run with a
 * `ModelBehaviorError` that names the model, instead of a `TypeError` inside the loop.
 *
 * Internal to the runner.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(source: string, what: string): ModelBehaviorError {
  return new ModelBehaviorError({ message: `Model '${source}' returned a malformed response: ${what}.` });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * `response` as a {@link ModelResponse}: its output a list of items with a string `type`, each
 * function call with string `call_id`, `name` and `arguments`, each message with a string or a
 * list of content; its usage four counts; its id, if any, a string.
 *
 * @throws ModelBehaviorError naming the model and what is wrong.
 */
export function checkModelResponse(response: unknown, source: string): ModelResponse {
  if (!isRecord(response)) throw malformed(source, 'the response is not an object');
  const { output, usage, id } = response;
  if (!Array.isArray(output)) throw malformed(source, 'output is not a list');
  output.forEach((item: unknown, index) => {
    if (!isRecord(item) || typeof item['type'] !== 'string')
      throw malformed(source, `output[${index}] is not an item with a type`);
    if (
      item['type'] === 'function_call' &&
      !['call_id', 'name', 'arguments'].every((field) => typeof item[field] === 'string')
    ) {
      throw malformed(source, `output[${index}] is a function call without a string call_id, name and arguments`);
    }
    if (item['type'] === 'message' && typeof item['content'] !== 'string' && !Array.isArray(item['content'])) {
      throw malformed(source, `output[${index}] is a message without content`);
    }
  });
  if (
    !isRecord(usage) ||
    !(['requests', 'inputTokens', 'outputTokens', 'totalTokens'] as const).every((key) => isCount(usage[key]))
  ) {
    throw malformed(source, 'usage is not four counts');
  }
  if (id !== undefined && typeof id !== 'string') throw malformed(source, 'the id is not a string');
  return response as { output: OutputItem[]; usage: Usage; id?: string };
}

/** @throws ModelBehaviorError when a `text-delta`'s delta is not a string. */
export function checkDelta(delta: unknown, source: string): string {
  if (typeof delta !== 'string')
    throw new ModelBehaviorError({ message: `Model '${source}' emitted a text-delta whose delta is not a string.` });
  return delta;
}

import type { Agent } from '../agent.js';
import { ModelBehaviorError } from '../errors.js';
import { isMessageItem, messageText, type OutputItem } from '../items.js';

/** The text of the last assistant message among `output`, or `undefined` when there is none. */
export function lastAssistantText(output: readonly OutputItem[]): string | undefined {
  for (let index = output.length - 1; index >= 0; index--) {
    const item = output[index]!;
    if (isMessageItem(item) && item.role === 'assistant') return messageText(item);
  }
  return undefined;
}

/**
 * The run's answer from the assistant's text: the text itself, or, for an agent with an
 * `outputType`, the text parsed as JSON and validated by the schema.
 *
 * @throws ModelBehaviorError when the text is not JSON or does not match the schema.
 */
export function parseFinalOutput(agent: Agent<unknown, never>, text: string): unknown {
  if (!agent.outputType) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelBehaviorError({
      message: `Agent '${agent.name}' has an outputType, but the model's answer is not valid JSON: ${(cause as Error).message}`,
      cause,
    });
  }
  const parsed = agent.outputType.safeParse(json);
  if (!parsed.success) {
    throw new ModelBehaviorError({
      message: `Agent '${agent.name}': the model's answer does not match its outputType: ${parsed.error.message}`,
      cause: parsed.error,
      issues: parsed.error.issues,
    });
  }
  return parsed.data;
}

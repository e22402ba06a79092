import type { Agent } from '../agent.js';
import { ModelBehaviorError, ModelRefusalError } from '../errors.js';
import { isMessageItem, messageRefusal, messageText, type MessageItem, type OutputItem } from '../items.js';

/** The last assistant message among `output`, or `undefined` when there is none. */
export function lastAssistantMessage(output: readonly OutputItem[]): MessageItem | undefined {
  for (let index = output.length - 1; index >= 0; index--) {
    const item = output[index]!;
    if (isMessageItem(item) && item.role === 'assistant') return item;
  }
  return undefined;
}

/**
 * The run's answer from the assistant's message: its text, or, for an agent with an
 * `outputType`, the text parsed as JSON and validated by the schema.
 *
 * @throws ModelRefusalError when the message is a refusal (a Responses `refusal` part, a Chat
 * Completions `refusal`): it is not an empty answer.
 * @throws ModelBehaviorError when the text is not JSON or does not match the schema.
 */
export function parseFinalOutput(agent: Agent<unknown, never>, message: MessageItem): unknown {
  const refusal = messageRefusal(message);
  if (refusal !== undefined) throw new ModelRefusalError({ refusal });
  const text = messageText(message);
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

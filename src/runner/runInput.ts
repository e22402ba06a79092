import { InvalidArgumentError } from '../errors.js';
import { userMessage, type InputItem } from '../items.js';

/** What a run starts from: a user's message, or a conversation (for example a previous run's `history`). */
export type RunInput = string | readonly InputItem[];

/** The input as conversation items, checked where it was given. */
export function toInputItems(input: RunInput): readonly InputItem[] {
  if (typeof input === 'string') return [userMessage(input)];
  if (!Array.isArray(input)) {
    throw new InvalidArgumentError({
      argument: 'input',
      message: 'a run takes a string or an array of conversation items.',
    });
  }
  input.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || typeof (item as { type?: unknown }).type !== 'string') {
      throw new InvalidArgumentError({
        argument: `input[${index}]`,
        message:
          "a conversation item is an object with a string 'type', such as { type: 'message', role: 'user', content: 'Hi' }.",
      });
    }
  });
  return input as readonly InputItem[];
}

/**
 * What OpenAI's Conversations API gives back for an item it was given, for the conformance
 * suite's `storedAs`: the `openai` SDK's `ConversationItem` types (`Message`,
 * `ResponseFunctionToolCallItem`, `ResponseFunctionToolCallOutputItem`), each with an `id` and a
 * `status`, a message's content always a list of parts.
 */
import { expect } from 'vitest';
import type { InputItem } from '../../src/index.js';

/** The item types the Conversations API takes from a caller and gives back as given (but for ids, status and a message's string content). */
export const conversationItemTypes = ['message', 'function_call', 'function_call_output'] as const;

/** The types whose items OpenAI gives a `status` (`'in_progress' | 'completed' | 'incomplete'`). */
const withStatus = new Set<string>(conversationItemTypes);

/**
 * `given` as OpenAI stores it. What the server assigns is matched by form, never by value: an id
 * when the caller gave none (OpenAI's `msg_…`, `fc_…`), a status when it gave none. A message's
 * string content becomes one part: `input_text` for the user, system and developer roles,
 * `output_text` without annotations for the assistant (what OpenAI makes of an `EasyInputMessage`).
 * Nothing the caller gave is dropped or changed: ids and statuses it gave are expected as given.
 */
export function storedByOpenAI(given: InputItem): unknown {
  const item = given as Readonly<Record<string, unknown>>;
  const type = typeof item['type'] === 'string' ? item['type'] : 'message';
  const stored: Record<string, unknown> = {
    ...item,
    type,
    id: typeof item['id'] === 'string' ? item['id'] : expect.stringMatching(/^[a-z]+_\w+$/),
  };
  if (withStatus.has(type) && item['status'] === undefined) {
    stored['status'] = expect.stringMatching(/^(in_progress|completed|incomplete)$/);
  }
  if (type === 'message' && typeof item['content'] === 'string') {
    stored['content'] =
      item['role'] === 'assistant'
        ? [{ type: 'output_text', text: item['content'], annotations: [] }]
        : [{ type: 'input_text', text: item['content'] }];
  }
  return stored;
}

/**
 * What the local server remembers of the Responses API, as OpenAI does: each completed response's
 * conversation (its input and output items, after those of the response it continued), so that a
 * request naming it in `previous_response_id` continues from there; and, for a request with
 * `conversation`, the conversation's items before the input, and the input and output appended to
 * the conversation once the response is complete.
 */
import type { Conversations, JsonAnswer } from './conversations.js';
import { errorBody } from './respond.js';
import { inputItems, storedItem, type ItemIds } from './storedItems.js';

/** One stored response: the response it continued, and its own input and output items. */
interface StoredResponse {
  readonly previous: string | undefined;
  readonly items: readonly unknown[];
}

/** What a Responses API request continues from, and how its response is remembered. */
export interface ResponsesContext {
  /** The conversation the model sees: the stored items, then the request's input items. */
  readonly history: readonly unknown[];
  /** The stored items alone (none when the request continues nothing). */
  readonly stored: readonly unknown[];
  /** Remembers the completed response (called before its last event is sent). */
  readonly complete: (response: unknown) => void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `conversation` as sent: an id, or `{ id }`. */
function conversationIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value['id'] === 'string' ? value['id'] : undefined;
}

/** The responses one server has completed, by id. */
export class ResponseStore {
  readonly #responses = new Map<string, StoredResponse>();
  readonly #ids: ItemIds;
  readonly #conversations: Conversations;

  constructor(ids: ItemIds, conversations: Conversations) {
    this.#ids = ids;
    this.#conversations = conversations;
  }

  /** The items of response `id`'s conversation: those of the responses it continued, then its own. */
  #itemsOf(id: string): unknown[] {
    const chain: StoredResponse[] = [];
    for (let at: string | undefined = id; at !== undefined;) {
      const response = this.#responses.get(at);
      if (response === undefined) break;
      chain.push(response);
      at = response.previous;
    }
    return chain.reverse().flatMap((response) => response.items);
  }

  /**
   * What a `POST /v1/responses` with `body` continues from, or the error OpenAI answers: 400 for
   * both `conversation` and `previous_response_id`, 404 for an id the server does not know.
   */
  contextOf(body: unknown): ResponsesContext | JsonAnswer {
    const fields = isRecord(body) ? body : {};
    const input = inputItems(fields['input']);
    const previous = fields['previous_response_id'];
    const conversationField = fields['conversation'];
    const hasPrevious = previous !== undefined && previous !== null;
    const hasConversation = conversationField !== undefined && conversationField !== null;
    if (hasPrevious && hasConversation) {
      const message =
        "Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.";
      return { status: 400, body: errorBody(400, message, 'mutually_exclusive_parameters', 'conversation') };
    }
    const store = fields['store'] !== false;
    if (hasPrevious) {
      if (typeof previous !== 'string' || !this.#responses.has(previous)) {
        const message = `Previous response with id '${typeof previous === 'string' ? previous : JSON.stringify(previous)}' not found.`;
        return { status: 400, body: errorBody(400, message, 'previous_response_not_found', 'previous_response_id') };
      }
      const stored = this.#itemsOf(previous);
      return this.#context(stored, input, (items) => ({ previous, items }), store);
    }
    if (hasConversation) {
      const id = conversationIdOf(conversationField);
      const conversation = id === undefined ? undefined : this.#conversations.get(id);
      if (conversation === undefined) {
        const message = `Conversation with id '${String(id ?? JSON.stringify(conversationField))}' not found.`;
        return { status: 404, body: errorBody(404, message, null, 'conversation') };
      }
      const stored = conversation.items.slice();
      return this.#context(
        stored,
        input,
        (items) => {
          // The conversation gains the input and output; the response keeps its whole view.
          const added = this.#conversations.append(conversation, items);
          return { previous: undefined, items: [...stored, ...added] };
        },
        store,
      );
    }
    return this.#context([], input, (items) => ({ previous: undefined, items }), store);
  }

  #context(
    stored: readonly unknown[],
    input: readonly unknown[],
    keep: (items: readonly unknown[]) => StoredResponse,
    store: boolean,
  ): ResponsesContext {
    return {
      history: [...stored, ...input],
      stored,
      complete: (response) => {
        const fields = isRecord(response) ? response : {};
        const output = Array.isArray(fields['output']) ? (fields['output'] as unknown[]) : [];
        const kept = keep([...input, ...output]);
        const id = fields['id'];
        if (!store || typeof id !== 'string') return;
        const taken = new Set<string>();
        this.#responses.set(id, {
          previous: kept.previous,
          items: kept.items.map((item) => storedItem(item, this.#ids, taken)),
        });
      },
    };
  }
}

/**
 * The local server's Conversations API, in memory and per server: conversations and their items,
 * as `client.conversations.*` of the `openai` SDK (6 and 7) creates, reads, lists and deletes
 * them. The Responses endpoint reads and extends the same conversations (`history.ts`).
 */
import { errorBody } from './respond.js';
import { includes, refusedItem, shownItem, storedItem, type ItemIds, type StoredItem } from './storedItems.js';

/** One conversation: its metadata and its items, oldest first. */
interface Conversation {
  readonly id: string;
  metadata: unknown;
  readonly items: StoredItem[];
  /** The ids of `items`, which are unique within a conversation. */
  readonly ids: Set<string>;
}

/** What an endpoint answers: a status and a JSON body. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The most items one `POST` may add, as OpenAI allows. */
const maxItemsPerCall = 20;

const notFound = (what: string, id: string): JsonAnswer => ({
  status: 404,
  body: errorBody(404, `${what} with id '${id}' not found.`, null),
});

const badRequest = (message: string, param: string): JsonAnswer => ({
  status: 400,
  body: errorBody(400, message, null, param),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The conversations of one server. */
export class Conversations {
  readonly #conversations = new Map<string, Conversation>();
  readonly #ids: ItemIds;
  #count = 0;

  constructor(ids: ItemIds) {
    this.#ids = ids;
  }

  /** The conversation with `id`, if there is one. */
  get(id: string): Conversation | undefined {
    return this.#conversations.get(id);
  }

  /** Appends items (as stored, with ids) to a conversation; returns them. */
  append(conversation: Conversation, items: readonly unknown[]): StoredItem[] {
    const added = items.map((item) => storedItem(item, this.#ids, conversation.ids));
    conversation.items.push(...added);
    return added;
  }

  /**
   * Answers a request to `/v1/conversations…`, or `undefined` when `path` is not one of the
   * Conversations API's.
   */
  answer(method: string, path: string, query: URLSearchParams, body: unknown): JsonAnswer | undefined {
    const match = /^(?:\/v1)?\/conversations(?:\/([^/]+)(?:\/items(?:\/([^/]+))?)?)?$/.exec(path);
    if (match === null) return undefined;
    const [, rawId, rawItemId] = match;
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    const itemId = rawItemId === undefined ? undefined : decodeURIComponent(rawItemId);
    const isItems = /\/items(?:\/[^/]+)?$/.test(path);

    if (id === undefined) return method === 'POST' ? this.#create(body) : undefined;
    const conversation = this.#conversations.get(id);
    if (conversation === undefined) return notFound('Conversation', id);
    if (!isItems) {
      if (method === 'GET') return { status: 200, body: shown(conversation) };
      if (method === 'POST') return this.#update(conversation, body);
      if (method === 'DELETE') {
        this.#conversations.delete(id);
        return { status: 200, body: { id, object: 'conversation.deleted', deleted: true } };
      }
      return undefined;
    }
    if (itemId === undefined) {
      if (method === 'POST') return this.#addItems(conversation, body, includes(query));
      if (method === 'GET') return list(conversation, query);
      return undefined;
    }
    const index = conversation.items.findIndex((item) => item.id === itemId);
    if (index < 0) return notFound('Item', itemId);
    if (method === 'GET') return { status: 200, body: shownItem(conversation.items[index]!, includes(query)) };
    if (method === 'DELETE') {
      conversation.items.splice(index, 1);
      conversation.ids.delete(itemId);
      return { status: 200, body: shown(conversation) };
    }
    return undefined;
  }

  #create(body: unknown): JsonAnswer {
    const fields = isRecord(body) ? body : {};
    const items = fields['items'] ?? [];
    if (!Array.isArray(items)) return badRequest("'items' must be an array of items.", 'items');
    if (items.length > maxItemsPerCall) return tooMany(items.length);
    const refused = refusedItem(items);
    if (refused !== undefined) return badRequest(refused.message, refused.param);
    this.#count += 1;
    const conversation: Conversation = {
      id: `conv_${this.#count}`,
      metadata: fields['metadata'] ?? {},
      items: [],
      ids: new Set(),
    };
    this.#conversations.set(conversation.id, conversation);
    this.append(conversation, items);
    return { status: 200, body: shown(conversation) };
  }

  #update(conversation: Conversation, body: unknown): JsonAnswer {
    const fields = isRecord(body) ? body : {};
    conversation.metadata = fields['metadata'] ?? {};
    return { status: 200, body: shown(conversation) };
  }

  #addItems(conversation: Conversation, body: unknown, include: ReadonlySet<string>): JsonAnswer {
    const items = isRecord(body) ? body['items'] : undefined;
    if (!Array.isArray(items)) return badRequest("'items' must be an array of items.", 'items');
    if (items.length > maxItemsPerCall) return tooMany(items.length);
    const refused = refusedItem(items);
    if (refused !== undefined) return badRequest(refused.message, refused.param);
    const added = this.append(conversation, items).map((item) => shownItem(item, include));
    return { status: 200, body: page(added, false) };
  }
}

function tooMany(count: number): JsonAnswer {
  return badRequest(`You may add up to ${maxItemsPerCall} items at a time; got ${count}.`, 'items');
}

/** A conversation as the API shows it (deterministic: `created_at` is 0). */
function shown(conversation: Conversation): unknown {
  return { id: conversation.id, object: 'conversation', created_at: 0, metadata: conversation.metadata };
}

/** A list page, with the cursor fields the SDK's `ConversationCursorPage` reads. */
function page(data: readonly StoredItem[], hasMore: boolean): unknown {
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: hasMore,
  };
}

/**
 * `GET …/items`: `limit` (1–100, default 20), `order` (`asc` or, by default, `desc`), `after` an
 * item id, `include` what OpenAI leaves out unless asked ({@link shownItem}).
 */
function list(conversation: Conversation, query: URLSearchParams): JsonAnswer {
  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return badRequest(`'limit' must be an integer from 1 to 100; got '${limitText}'.`, 'limit');
  }
  const order = query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    return badRequest(`'order' must be 'asc' or 'desc'; got '${order}'.`, 'order');
  }
  const ordered = order === 'asc' ? conversation.items : [...conversation.items].reverse();
  const after = query.get('after');
  let start = 0;
  if (after !== null) {
    const index = ordered.findIndex((item) => item.id === after);
    if (index < 0) return notFound('Item', after);
    start = index + 1;
  }
  const include = includes(query);
  const data = ordered.slice(start, start + limit).map((item) => shownItem(item, include));
  return { status: 200, body: page(data, start + limit < ordered.length) };
}

import { AgentsError, InvalidArgumentError, ModelProviderError } from '../errors.js';
import type { InputItem } from '../items.js';
import { toModelProviderError } from '../models/providerErrors.js';
import type { Session } from '../session.js';
import { checkItems, checkLimit } from './sessionArguments.js';

/** One page of a conversation's items, as `client.conversations.items.list()` resolves. */
export interface ConversationItemsPage {
  readonly data: readonly unknown[];
  readonly has_more?: boolean | undefined;
  readonly last_id?: string | null | undefined;
}

/**
 * What {@link OpenAIConversationsSession} uses of an `OpenAI` client: the Conversations API.
 * Any `new OpenAI()` of `openai` 6 or 7 is one; it is a structural type for the reason
 * `OpenAIClient` is (a client of another copy or major of the SDK must fit).
 */
export interface OpenAIConversationsClient {
  readonly conversations: {
    /** `POST /conversations`. */
    create(body?: {
      readonly metadata?: Readonly<Record<string, string>> | null;
    }): PromiseLike<{ readonly id: string }>;
    /** `DELETE /conversations/{id}`. */
    delete(conversationId: string): PromiseLike<unknown>;
    readonly items: {
      /** `POST /conversations/{id}/items`: at most 20 items a call. */
      create(conversationId: string, params: { readonly items: readonly unknown[] }): PromiseLike<unknown>;
      /** `GET /conversations/{id}/items`. */
      list(
        conversationId: string,
        query: {
          readonly limit?: number;
          readonly order?: 'asc' | 'desc';
          readonly after?: string;
          /** What OpenAI leaves out of the items unless asked. */
          readonly include?: ('message.input_image.image_url' | 'reasoning.encrypted_content')[];
        },
      ): PromiseLike<ConversationItemsPage>;
      /** `DELETE /conversations/{id}/items/{item_id}`. */
      delete(itemId: string, params: { readonly conversation_id: string }): PromiseLike<unknown>;
    };
  };
  /** Kept out of every error. */
  readonly apiKey?: string | null | undefined;
}

/** The options of {@link OpenAIConversationsSession}. */
export interface OpenAIConversationsSessionOptions {
  /**
   * The client to call the Conversations API with. Without one, `new OpenAI()` is made on first
   * use (the `openai` package is loaded then, not when `rxjs-agents/sessions` is imported); it
   * reads `OPENAI_API_KEY` and `OPENAI_BASE_URL`.
   */
  readonly client?: OpenAIConversationsClient;
  /**
   * The conversation to continue (`conv_…`). Without one, a conversation is created on first use
   * that needs one (`addItems`, `conversationId()`, a run).
   */
  readonly conversationId?: string;
}

const api = 'OpenAI Conversations API';
/** The most items OpenAI takes in one `POST …/items`. */
const itemsPerCall = 20;
/** The most items OpenAI gives in one page. */
const pageSize = 100;
/**
 * What OpenAI leaves out of listed items unless asked: an input image's URL, a reasoning item's
 * encrypted content. Without them an item read back and given again would not be the same.
 */
const include: ('message.input_image.image_url' | 'reasoning.encrypted_content')[] = [
  'message.input_image.image_url',
  'reasoning.encrypted_content',
];

/**
 * A session whose items OpenAI keeps, in a conversation of the Responses API's Conversations
 * API (`client.conversations`), as the Agents SDKs' `OpenAIConversationsSession` does.
 *
 * A run given this session sends `conversation` with each request and only the items the
 * conversation lacks, and OpenAI records each turn ({@link serverConversationId}): the history is
 * never sent again, and never read back. `getItems`, `addItems`, `popItem` and `clear` are there
 * to read and edit the conversation yourself. Items come back as OpenAI stores them: with their
 * `id` and `status`, a message's content as parts; input images keep their URL and reasoning items
 * their encrypted content (both asked for with `include`, which OpenAI otherwise leaves out).
 * OpenAI takes only the item types of its Responses API, not a provider's own items.
 *
 * Without a `conversationId`, the conversation is created on first use that needs one, once
 * however many calls come at the same time; `getItems` and `popItem` of a session that has none
 * yet find it empty without creating one. `clear()` deletes the conversation and forgets it: the
 * next use creates a new one (read its id with {@link conversationId}).
 *
 * Failed requests reject with `ModelProviderError` (the SDK's error as `cause`, its `status` and
 * `code`), with the API key removed from everything.
 *
 * ## Example
 *
 * ```ts
 * import OpenAI from 'openai';
 * import { OpenAIConversationsSession } from 'rxjs-agents/sessions';
 *
 * const session = new OpenAIConversationsSession({ client: new OpenAI() });
 * await session.addItems([{ type: 'message', role: 'user', content: 'I am Ana.' }]);
 * const id = await session.conversationId(); // keep it to continue the conversation later
 * ```
 */
export class OpenAIConversationsSession implements Session {
  readonly #client: OpenAIConversationsClient | undefined;
  #made: Promise<OpenAIConversationsClient> | undefined;
  /** The conversation's id: given, being created, or created; `undefined` before first use. */
  #id: Promise<string> | undefined;

  /** @throws InvalidArgumentError for a `conversationId` that is not a non-empty string, or a client without `conversations`. */
  constructor(options: OpenAIConversationsSessionOptions = {}) {
    const { client, conversationId } = options;
    if (conversationId !== undefined && (typeof conversationId !== 'string' || conversationId === '')) {
      throw new InvalidArgumentError({
        argument: 'conversationId',
        message: `a conversation id (conv_…) as a non-empty string; got ${JSON.stringify(conversationId) ?? typeof conversationId}.`,
      });
    }
    if (
      client !== undefined &&
      (typeof client !== 'object' || client === null || typeof client.conversations?.create !== 'function')
    ) {
      throw new InvalidArgumentError({
        argument: 'client',
        message: 'an OpenAI client (openai 6 or 7) with the Conversations API (client.conversations).',
      });
    }
    this.#client = client;
    if (conversationId !== undefined) this.#id = Promise.resolve(conversationId);
  }

  /** The conversation's id, creating the conversation if it has none yet. */
  conversationId(): Promise<string> {
    if (this.#id === undefined) {
      const created = this.#call((client) => client.conversations.create()).then(({ id }) => id);
      this.#id = created;
      // A creation that failed is forgotten, so that the next use tries again.
      created.catch(() => {
        if (this.#id === created) this.#id = undefined;
      });
    }
    return this.#id;
  }

  /**
   * The conversation a run sends `conversation` with: the run then sends only new items and
   * OpenAI records each turn, instead of the run calling `getItems` and `addItems`.
   */
  serverConversationId(): Promise<string> {
    return this.conversationId();
  }

  /**
   * The conversation's items, oldest first: all, or the `limit` most recent (still oldest first).
   * `limit` is a positive integer, as every session takes it.
   */
  async getItems(limit?: number): Promise<InputItem[]> {
    checkLimit(limit);
    if (this.#id === undefined) return [];
    const id = await this.#id;
    const items: unknown[] = [];
    const order = limit === undefined ? 'asc' : 'desc';
    let after: string | undefined;
    for (;;) {
      const want = limit === undefined ? pageSize : Math.min(pageSize, limit - items.length);
      const query = { limit: want, order, include, ...(after === undefined ? {} : { after }) } as const;
      const page = await this.#call((client) => client.conversations.items.list(id, query));
      items.push(...page.data);
      const done = !page.has_more || page.data.length === 0 || (limit !== undefined && items.length >= limit);
      if (done || typeof page.last_id !== 'string' || page.last_id === '') break;
      after = page.last_id;
    }
    if (limit !== undefined) items.reverse();
    return items as InputItem[];
  }

  /** Appends items at the end of the conversation, in order (20 a request, as OpenAI takes them). */
  async addItems(items: readonly InputItem[]): Promise<void> {
    checkItems(items);
    if (items.length === 0) return;
    const id = await this.conversationId();
    for (let start = 0; start < items.length; start += itemsPerCall) {
      const batch = items.slice(start, start + itemsPerCall);
      await this.#call((client) => client.conversations.items.create(id, { items: batch }));
    }
  }

  /** Removes the most recent item and gives it, or `undefined` when the conversation is empty. */
  async popItem(): Promise<InputItem | undefined> {
    if (this.#id === undefined) return undefined;
    const id = await this.#id;
    for (;;) {
      const page = await this.#call((client) =>
        client.conversations.items.list(id, { limit: 1, order: 'desc', include }),
      );
      const item = page.data[0] as (InputItem & { readonly id?: unknown }) | undefined;
      if (item === undefined) return undefined;
      if (typeof item.id !== 'string') {
        throw new ModelProviderError({ message: `${api} listed an item without an id, which cannot be removed.` });
      }
      const itemId = item.id;
      try {
        await this.#call((client) => client.conversations.items.delete(itemId, { conversation_id: id }));
        return item;
      } catch (error) {
        // Another popItem took it first: take the next one.
        if (!isNotFound(error)) throw error;
      }
    }
  }

  /**
   * Deletes the conversation and forgets it; the next use creates a new one. A session that has
   * no conversation yet makes no request; one already deleted is cleared.
   */
  async clear(): Promise<void> {
    const current = this.#id;
    if (current === undefined) return;
    const id = await current;
    try {
      await this.#call((client) => client.conversations.delete(id));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (this.#id === current) this.#id = undefined;
  }

  /** One request, its failure made a `ModelProviderError` without the API key. */
  async #call<T>(request: (client: OpenAIConversationsClient) => PromiseLike<T>): Promise<T> {
    const client = await this.#getClient();
    try {
      return await request(client);
    } catch (error) {
      throw toModelProviderError(error, api, { secret: client.apiKey ?? undefined });
    }
  }

  #getClient(): Promise<OpenAIConversationsClient> {
    if (this.#client !== undefined) return Promise.resolve(this.#client);
    if (this.#made === undefined) {
      const made = makeClient();
      this.#made = made;
      // A client that could not be made (no key yet) is tried again on the next call.
      made.catch(() => {
        if (this.#made === made) this.#made = undefined;
      });
    }
    return this.#made;
  }
}

function isNotFound(error: unknown): boolean {
  return AgentsError.isInstance(error) && (error as { status?: unknown }).status === 404;
}

/** `new OpenAI()`, with `openai` loaded only now: importing the sessions entry does not load it. */
async function makeClient(): Promise<OpenAIConversationsClient> {
  const { default: OpenAI } = await import('openai');
  try {
    return new OpenAI();
  } catch (error) {
    if (error instanceof Error && /OPENAI_API_KEY|Missing credentials/i.test(error.message)) {
      throw new ModelProviderError({
        message:
          'No OpenAI API key: the OPENAI_API_KEY environment variable is not set. Set it, or give the session a client ' +
          'made with a key: `new OpenAIConversationsSession({ client: new OpenAI({ apiKey }) })`.',
        code: 'missing_api_key',
        retryable: false,
        cause: error,
      });
    }
    throw error;
  }
}

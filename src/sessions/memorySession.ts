import type { InputItem } from '../items.js';
import type { Session } from '../session.js';
import { checkItems, checkLimit, checkSessionId } from './sessionArguments.js';

/** Options of {@link MemorySession}. */
export interface MemorySessionOptions {
  /** The conversation's id. Default: a random UUID. */
  readonly sessionId?: string;
  /** The conversation so far, copied in. Default: none. */
  readonly items?: readonly InputItem[];
}

/**
 * A conversation kept in this process's memory: for tests, demos, and a server whose
 * conversations may be lost with the process. Nothing to install; works in a browser.
 *
 * Items are copied in and out (`structuredClone`): mutating an array or an item given to
 * `addItems`, or returned by `getItems`, never changes what the session holds, as with a
 * database-backed session. Each instance is its own store; two instances with the same
 * `sessionId` share nothing.
 *
 * ## Example
 *
 * ```ts
 * import { MemorySession } from 'rxjs-agents/sessions';
 *
 * const session = new MemorySession();
 * await session.addItems([{ type: 'message', role: 'user', content: 'Hello' }]);
 * console.log(await session.getItems()); // [{ type: 'message', role: 'user', content: 'Hello' }]
 * ```
 */
export class MemorySession implements Session {
  /** The conversation's id. */
  readonly sessionId: string;
  #items: InputItem[];

  constructor({ sessionId, items = [] }: MemorySessionOptions = {}) {
    this.sessionId = sessionId === undefined ? globalThis.crypto.randomUUID() : checkSessionId(sessionId);
    this.#items = structuredClone([...checkItems(items)]);
  }

  /** The `limit` most recent items (all of them by default), oldest first, as copies. */
  async getItems(limit?: number): Promise<InputItem[]> {
    const count = checkLimit(limit);
    return structuredClone(count === undefined ? this.#items : this.#items.slice(-count));
  }

  /** Appends copies of `items`, in order. */
  async addItems(items: readonly InputItem[]): Promise<void> {
    // One by one rather than `push(...copies)`, which overflows the stack past ~100k items.
    for (const item of structuredClone([...checkItems(items)])) this.#items.push(item);
  }

  /** Removes the most recent item and gives it, or `undefined` when there is none. */
  async popItem(): Promise<InputItem | undefined> {
    return this.#items.pop();
  }

  /** Removes every item. */
  async clear(): Promise<void> {
    this.#items = [];
  }
}

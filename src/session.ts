import type { InputItem } from './items.js';

/**
 * A conversation's memory, kept outside the run: a run given a `session` reads the conversation
 * so far before its first model call and adds the items of each completed turn, so the next run
 * with the same session remembers. The interface is the Python Agents SDK's, with Promises.
 *
 * Implementations are in `rxjs-agents/sessions` (`MemorySession`, `SQLiteSession`,
 * `PostgresSession`, `OpenAIConversationsSession`); any object with these four methods is one.
 */
export interface Session {
  /**
   * The conversation's items, oldest first: all of them, or the `limit` most recent ones (still
   * oldest first).
   */
  getItems(limit?: number): Promise<InputItem[]>;
  /** Appends items at the end of the conversation, in order. */
  addItems(items: readonly InputItem[]): Promise<void>;
  /** Removes the most recent item and gives it, or `undefined` when the conversation is empty. */
  popItem(): Promise<InputItem | undefined>;
  /** Removes every item of the conversation. */
  clear(): Promise<void>;
  /**
   * A session whose items the model's server keeps: a run sends `conversation` with each request
   * and only new items, and the server records each turn; the run then never calls `getItems` or
   * `addItems`. Resolves to the server's conversation id (creating the conversation if need be).
   * `OpenAIConversationsSession` has it; a session that keeps its own items leaves it out.
   */
  serverConversationId?(): Promise<string>;
}

// `rxjs-agents/sessions`: where a conversation's memory is kept between runs. Each store's client
// package is an optional peer dependency, loaded only by the session that uses it.

export type { Session } from '../session.js';
export { OpenAIConversationsSession } from './openaiConversationsSession.js';
export type {
  ConversationItemsPage,
  OpenAIConversationsClient,
  OpenAIConversationsSessionOptions,
} from './openaiConversationsSession.js';
export { MemorySession } from './memorySession.js';
export type { MemorySessionOptions } from './memorySession.js';
export { SQLiteSession } from './sqliteSession.js';
export type { SQLiteSessionOptions } from './sqliteSession.js';
export type { SQLiteDriver } from './sqliteDriver.js';
export { PostgresSession } from './postgresSession.js';
export type { PostgresClient, PostgresSessionOptions } from './postgresSession.js';

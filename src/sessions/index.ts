// `rxjs-agents/sessions`: where a conversation's memory is kept between runs. Each store's client
// package is an optional peer dependency, loaded only by the session that uses it.

export type { Session } from '../session.js';
export { OpenAIConversationsSession } from './openaiConversationsSession.js';
export type {
  ConversationItemsPage,
  OpenAIConversationsClient,
  OpenAIConversationsSessionOptions,
} from './openaiConversationsSession.js';

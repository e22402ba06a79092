// `rxjs-agents/angular`: a chat with an agent as Angular signals. `@angular/core` (>= 20) is an
// optional peer dependency, loaded only by this entry.

export { injectAgentChat } from './injectAgentChat.js';
export type {
  AgentChat,
  AgentChatEndpointOptions,
  AgentChatOptions,
  AgentChatRunOptions,
  ChatAssistantMessage,
  ChatMessage,
  ChatStatus,
  ChatToolMessage,
  ChatToolStatus,
  ChatUserMessage,
} from './chatTypes.js';

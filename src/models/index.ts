/** The models on the official `openai` SDK, and what they share. */
export { OpenAIResponsesModel } from './openaiResponsesModel.js';
export { OpenAIChatCompletionsModel } from './openaiChatCompletionsModel.js';
export { OpenAIModelBase } from './openaiModelBase.js';
export type { OpenAIModelOptions, OpenAIModelKind, SyncModelDescriptor } from './openaiModelBase.js';
export { OpenAIProvider } from './openaiProvider.js';
export type { OpenAIProviderOptions } from './openaiProvider.js';
export { modelFromSyncDescriptor } from './syncDescriptor.js';
export type { SyncClientOptions } from './clientSource.js';
export type { OpenAIClient, OpenAIRequestOptions, OpenAIStreamingBody } from './openaiClient.js';

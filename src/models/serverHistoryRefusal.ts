import { InvalidArgumentError } from '../errors.js';
import type { ModelRequest } from '../model.js';

/**
 * Why a Chat Completions call cannot take a request that continues a server-side history:
 * Chat Completions keeps nothing between calls, and the request holds only the items the server
 * does not have, so sending it anyway would lose the conversation without a word. `undefined`
 * when the request continues nothing.
 *
 * Shared by `OpenAIChatCompletionsModel` and `runSync()`'s bridge, which refuses on the calling
 * thread so that the error keeps its class.
 *
 * Internal to the package.
 */
export function chatServerHistoryError(request: ModelRequest): InvalidArgumentError | undefined {
  const option =
    request.previousResponseId !== undefined
      ? 'previousResponseId'
      : request.conversationId !== undefined
        ? 'conversationId'
        : undefined;
  if (option === undefined) return undefined;
  const field = option === 'previousResponseId' ? 'previous_response_id' : 'conversation';
  return new InvalidArgumentError({
    argument: option,
    message:
      `Chat Completions keeps no history on the server, so it cannot take ${option} (the Responses API's ${field}): ` +
      `use the Responses API (OpenAIResponsesModel), or leave ${option} out.`,
  });
}

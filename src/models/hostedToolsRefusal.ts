import { InvalidArgumentError } from '../errors.js';
import type { ModelRequest } from '../model.js';

/**
 * Why a Chat Completions call cannot take a request that offers hosted tools (web search, file
 * search, the code interpreter): only the Responses API runs them, and leaving them out would
 * let the agent answer without the tool it was given. `undefined` when the request has none.
 *
 * Shared by `OpenAIChatCompletionsModel` and `runSync()`'s bridge, which refuses on the calling
 * thread so that the error keeps its class.
 *
 * Internal to the package.
 */
export function chatHostedToolsError(request: ModelRequest): InvalidArgumentError | undefined {
  const hosted = request.hostedTools ?? [];
  if (hosted.length === 0) return undefined;
  const types = hosted.map((spec) => `'${spec.type}'`).join(', ');
  return new InvalidArgumentError({
    argument: 'tools',
    message:
      `Chat Completions cannot run hosted tools, and this request offers ${types}: ` +
      'use the Responses API (OpenAIResponsesModel) for an agent with hosted tools, or leave them out.',
  });
}

/** What a provider sends that puts the client's API key back in front of it. */
import type { ServerTurn } from '../../src/testing/server/index.js';

/** A 401 whose OpenAI-style error message quotes `apiKey`, as OpenAI's own does (in part). */
export function keyEchoing401(apiKey: string): ServerTurn {
  return {
    status: 401,
    body: {
      error: {
        message: `Incorrect API key provided: ${apiKey}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    },
  };
}

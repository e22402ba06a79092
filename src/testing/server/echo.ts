/**
 * The echo responder: the model says back what the user said. Enough for a front end to be built
 * and clicked through offline — text streams in word by word, through the real SDK and server.
 */
import type { Responder } from './types.js';

/**
 * Answers every request with the text of its last user message, streamed as word-sized deltas
 * (`''` when the request has no user message). It never calls tools and sends plain text, so an
 * agent with an `outputType` needs `respond` or a script instead.
 *
 * @example
 * ```ts
 * import { echo, startServer } from 'rxjs-agents/testing/server';
 * const server = await startServer({ respond: echo }); // the same as startServer({ echo: true })
 * ```
 */
export const echo: Responder = (request) => ({ text: request.lastUserText ?? '' });

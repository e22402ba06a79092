/**
 * What the offline model answers in a conversation (`POST /api/conversation`), decided from each
 * model request alone, so a stopped run leaves nothing behind for the next one:
 *
 * - a new user message asks for the weather first (`get_weather`), or — when it says "book" —
 *   books the destination recommended before (`book_trip`, which needs approval);
 * - a request that sends a tool's output back gets the recommendation, streamed.
 */
import type { Responder, ServerTurn } from 'rxjs-agents/testing/server';
import { offlineAnswers, type Recommendation } from './travelAgent.js';

export function offlineConversation(delayMs: number): Responder {
  return (request): ServerTurn => {
    if (request.api !== 'responses') return 'The offline example speaks the Responses API.';
    const items = request.history as readonly { readonly type?: string; readonly role?: string }[];
    const userMessages = items.filter((item) => (item.type ?? 'message') === 'message' && item.role === 'user').length;
    const answer = answerAt(userMessages - 1);
    const last = items.at(-1);
    const streamed = (output: Recommendation): ServerTurn => ({ output, delayMs, usage: { inputTokens: 96 } });

    if (last?.type === 'function_call_output') {
      const sent = request.toolOutputs.at(-1);
      if (sent?.name !== 'book_trip') return streamed(answer);
      const booked = answerAt(userMessages - 2);
      const text = typeof sent.output === 'string' ? sent.output : JSON.stringify(sent.output);
      return streamed({
        ...booked,
        reason: text.startsWith('Booked') ? `${text} ${booked.reason}` : `Not booked, as you wished. ${booked.reason}`,
      });
    }
    if (/\bbook/i.test(request.lastUserText ?? '')) {
      const booked = answerAt(userMessages - 2);
      return { toolCalls: [{ name: 'book_trip', arguments: { destination: booked.destination, nights: 5 } }], delayMs };
    }
    return { toolCalls: [{ name: 'get_weather', arguments: { city: answer.destination } }], delayMs };
  };
}

function answerAt(index: number): Recommendation {
  const answer = offlineAnswers[Math.max(0, index) % offlineAnswers.length];
  if (answer === undefined) throw new Error('No offline answers.');
  return answer;
}

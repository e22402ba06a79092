import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { isMessageItem, messageRefusal, messageText } from '../../src/items.js';
import type { Model, ModelResponse } from '../../src/model.js';
import { OpenAIChatCompletionsModel, OpenAIResponsesModel } from '../../src/models/index.js';
import { clientFor, collect, modelRequest, rawOf } from './helpers.js';

const refusal = 'I’m sorry, but I can’t help with that.';

/** The refusal pieces of raw events: Responses' `response.refusal.delta`, Chat Completions' `delta.refusal`. */
function refusalPieces(raw: readonly unknown[]): string[] {
  return raw.flatMap((data) => {
    const event = data as { type?: string; delta?: unknown; choices?: { delta?: { refusal?: unknown } }[] };
    if (event.type === 'response.refusal.delta' && typeof event.delta === 'string') return [event.delta];
    const piece = event.choices?.[0]?.delta?.refusal;
    return typeof piece === 'string' && piece !== '' ? [piece] : [];
  });
}

describe.each([
  [
    'OpenAIResponsesModel',
    (url: string): Model => new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client: clientFor(url) }),
  ],
  [
    'OpenAIChatCompletionsModel',
    (url: string): Model => new OpenAIChatCompletionsModel({ model: 'gpt-4.1-mini', client: clientFor(url) }),
  ],
])('%s: a refusal', (_, makeModel) => {
  let server: LocalServer;
  let model: Model;

  beforeEach(async () => {
    server = await startServer();
    model = makeModel(server.url);
  });
  afterEach(() => server.close());

  it('reaches the response as an assistant message with a refusal part, and is no text delta', async () => {
    server.push({ refusal });
    const { events, error, completed } = await collect(model.stream(modelRequest()));
    expect(error).toBeUndefined();
    expect(completed).toBe(true);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([]);
    // The refusal did stream, in pieces, as raw events only.
    expect(refusalPieces(rawOf(events))).toEqual([
      'I’m',
      ' sorry,',
      ' but',
      ' I',
      ' can’t',
      ' help',
      ' with',
      ' that.',
    ]);

    const last = events.at(-1) as { type: string; response: ModelResponse };
    expect(last.type).toBe('response');
    expect(last.response.output).toEqual([
      expect.objectContaining({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'refusal', refusal }],
        status: 'completed',
      }),
    ]);
    const [message] = last.response.output;
    if (message === undefined || !isMessageItem(message)) throw new Error('expected a message item');
    expect(messageRefusal(message)).toBe(refusal);
    expect(messageText(message)).toBe('');
  });

  it('keeps text and refusal apart in a text answer: no refusal part', async () => {
    server.push({ text: 'Lisbon.' });
    const { events } = await collect(model.stream(modelRequest()));
    const last = events.at(-1) as { type: string; response: ModelResponse };
    const [message] = last.response.output;
    if (message === undefined || !isMessageItem(message)) throw new Error('expected a message item');
    expect(messageRefusal(message)).toBeUndefined();
    expect(messageText(message)).toBe('Lisbon.');
  });
});

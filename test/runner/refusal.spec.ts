/**
 * A refusal is not an empty answer: the run fails with ModelRefusalError, carrying the refusal
 * text and what the run had produced, whether the agent answers in text or in structured output.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  ModelRefusalError,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  Runner,
  type Model,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { useLocalServer } from '../helpers/localServer.js';

const runner = new Runner();
const refusal = 'I’m sorry, but I can’t help with that.';
const Plan = z.object({ steps: z.array(z.string()) });

async function failureOf(promise: Promise<unknown>): Promise<ModelRefusalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ModelRefusalError.isInstance(error)).toBe(true);
  return error as ModelRefusalError;
}

describe('a refused answer', () => {
  it('fails a text agent with ModelRefusalError, not an empty final output', async () => {
    const model = fakeModel([{ refusal, usage: { inputTokens: 7, outputTokens: 9 } }]);
    const error = await failureOf(runner.run(new Agent({ name: 'A', model }), 'Help me pick a lock'));
    expect(error.refusal).toBe(refusal);
    expect(error.message).toContain(refusal);
    expect(error.partial).toMatchObject({
      text: '',
      usage: { requests: 1, inputTokens: 7, outputTokens: 9, totalTokens: 16 },
      newItems: [{ type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal }] }],
    });
  });

  it('fails a structured agent with ModelRefusalError, not a JSON error', async () => {
    const model = fakeModel([{ refusal }]);
    const error = await failureOf(runner.run(new Agent({ name: 'A', model, outputType: Plan }), 'Plan a heist'));
    expect(error.refusal).toBe(refusal);
  });

  it('fails runSync and runStreamed the same way', async () => {
    const agent = () => new Agent({ name: 'A', model: fakeModel([{ refusal }]) });
    expect(() => runner.runSync(agent(), 'No')).toThrow(ModelRefusalError);
    const events: string[] = [];
    const error = await new Promise((resolve) =>
      runner.runStreamed(agent(), 'No').subscribe({ next: (e) => events.push(e.type), error: resolve }),
    );
    expect(ModelRefusalError.isInstance(error)).toBe(true);
    // The turn completed (and was paid for); no final-output.
    expect(events).toEqual(['turn-started', 'turn-completed']);
  });

  describe('over HTTP', () => {
    const { serve } = useLocalServer();
    it.each([
      [
        'Responses',
        (url: string): Model =>
          new OpenAIResponsesModel({ model: 'm', client: new OpenAI({ apiKey: 'k', baseURL: url }) }),
      ],
      [
        'Chat Completions',
        (url: string): Model =>
          new OpenAIChatCompletionsModel({ model: 'm', client: new OpenAI({ apiKey: 'k', baseURL: url }) }),
      ],
    ])('%s: a refusal fails the run with ModelRefusalError and its text', async (_, modelOn) => {
      const server = await serve({ refusal });
      const error = await failureOf(
        runner.run(new Agent({ name: 'A', model: modelOn(server.url), outputType: Plan }), 'No'),
      );
      expect(error.refusal).toBe(refusal);
      expect(error.partial?.usage.requests).toBe(1);
    });
  });
});

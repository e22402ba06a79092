import type { AzureOpenAI } from 'openai';
import OpenAI from 'openai';
import { describe, expectTypeOf, it } from 'vitest';
import {
  OpenAIChatCompletionsModel,
  OpenAIProvider,
  OpenAIResponsesModel,
  type OpenAIClient,
} from '../../src/index.js';

describe('OpenAIClient', () => {
  it("is what the SDK's clients are", () => {
    expectTypeOf<OpenAI>().toExtend<OpenAIClient>();
    expectTypeOf<AzureOpenAI>().toExtend<OpenAIClient>();
  });

  it('is the client option of both models and the provider', () => {
    const client = new OpenAI({ apiKey: 'sk-test' });
    expectTypeOf(new OpenAIResponsesModel({ model: 'm', client })).toEqualTypeOf<OpenAIResponsesModel>();
    expectTypeOf(new OpenAIChatCompletionsModel({ model: 'm', client })).toEqualTypeOf<OpenAIChatCompletionsModel>();
    expectTypeOf(new OpenAIProvider({ client })).toEqualTypeOf<OpenAIProvider>();
  });

  it('is a structural type: a hand-made client of the same shape will do, one without the APIs will not', () => {
    const stream = async function* (): AsyncGenerator<unknown> {};
    const handMade = {
      responses: { create: async (_body: { stream: true; model: string }) => stream() },
      chat: { completions: { create: async (_body: { stream: true; messages: unknown[] }) => stream() } },
    };
    expectTypeOf(handMade).toExtend<OpenAIClient>();
    expectTypeOf<{ responses: OpenAI['responses'] }>().not.toExtend<OpenAIClient>();
    expectTypeOf<{ baseURL: string }>().not.toExtend<OpenAIClient>();
  });
});

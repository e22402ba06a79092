/**
 * The travel agent the example server runs: one agent with a structured answer, on a model that is
 * either OpenAI (live, with `OPENAI_API_KEY`) or a local OpenAI-compatible server that replays a
 * scripted stream (offline, the default).
 */
import type OpenAI from 'openai';
import { z } from 'zod';
import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, type Model } from 'rxjs-agents';

export const Recommendation = z.object({
  destination: z.string().describe('City and country.'),
  reason: z.string().describe('Why it suits the traveller, in one or two sentences.'),
  bestSeason: z.string().describe('When to go.'),
  budgetPerDayEur: z.number().describe('A typical daily budget in euros.'),
});
export type Recommendation = z.infer<typeof Recommendation>;

/** What the offline model answers, one after the other. */
export const offlineAnswers: readonly Recommendation[] = [
  {
    destination: 'Lisbon, Portugal',
    reason:
      'Tiled old quarters on seven hills, grilled sardines and pastéis de nata, and the Atlantic a tram ride away.',
    bestSeason: 'April to June',
    budgetPerDayEur: 110,
  },
  {
    destination: 'Naples, Italy',
    reason:
      'The birthplace of pizza, a labyrinth of ancient streets, and the Bay of Naples with Capri and the Amalfi Coast close by.',
    bestSeason: 'April to May',
    budgetPerDayEur: 100,
  },
  {
    destination: 'Valencia, Spain',
    reason: 'Paella where it was invented, a compact medieval centre, and long sandy beaches reachable by bike.',
    bestSeason: 'March to May',
    budgetPerDayEur: 105,
  },
];

export type TravelAgent = Agent<Recommendation>;

export function createTravelAgent(model: Model): TravelAgent {
  return new Agent({
    name: 'Travel agent',
    instructions:
      'You are a travel agent. Recommend exactly one destination that fits the traveller, with a short reason, the best season and a daily budget.',
    model,
    outputType: Recommendation,
  });
}

/**
 * The model for `client`: the Responses API, or Chat Completions when `api` is `'chat'` (what
 * Ollama, vLLM and LM Studio speak).
 */
export function createModel(client: OpenAI, api: 'responses' | 'chat', model: string): Model {
  return api === 'chat'
    ? new OpenAIChatCompletionsModel({ model, client })
    : new OpenAIResponsesModel({ model, client });
}

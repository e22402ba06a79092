/**
 * The travel agent the example server runs: one agent with a structured answer and two tools (the
 * weather, and a booking that needs the traveller's approval), on a model that is either OpenAI
 * (live, with `OPENAI_API_KEY`) or a local OpenAI-compatible server that replays a scripted
 * stream (offline, the default).
 */
import type OpenAI from 'openai';
import { map, timer } from 'rxjs';
import { z } from 'zod';
import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, tool, type Model } from 'rxjs-agents';

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

/** The season's weather in a city: made up, and a little slow, so a page shows the call running. */
export const getWeather = tool({
  name: 'get_weather',
  description: 'The usual weather in a city this season.',
  parameters: z.object({ city: z.string().describe('City and country.') }),
  execute: ({ city }) => timer(400).pipe(map(() => ({ city, forecast: 'Mild and sunny, 18 to 24 °C' }))),
});

/** Books a stay: made up too, and it waits for the traveller's approval before it runs. */
export const bookTrip = tool({
  name: 'book_trip',
  description: 'Books a stay for the traveller. Only when they ask for a booking.',
  parameters: z.object({ destination: z.string(), nights: z.number().int().min(1).max(30) }),
  needsApproval: true,
  execute: ({ destination, nights }) => `Booked ${nights} nights in ${destination}, reference TRV-${100 + nights}.`,
});

export function createTravelAgent(model: Model): TravelAgent {
  return new Agent({
    name: 'Travel agent',
    instructions:
      'You are a travel agent. Recommend exactly one destination that fits the traveller, with a short reason, the best season and a daily budget. Check the weather with get_weather first. When the traveller asks you to book, call book_trip, then answer with the booked destination.',
    model,
    outputType: Recommendation,
    tools: [getWeather, bookTrip],
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

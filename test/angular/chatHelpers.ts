/** Agents and runs the `injectAgentChat` specs drive: fakeModel scripts, tools that wait, counters. */
import { Observable, Subject, tap } from 'rxjs';
import { z } from 'zod';
import { Agent, chatRunInput, Runner, tool, type AgentChatRequest, type RunEvent } from '../../src/index.js';
import { fakeModel, type FakeModelOptions, type FakeTurn } from '../../src/testing/index.js';

export const runner = new Runner();

/** A weather tool whose answer arrives when the test says so, and a booking that needs approval. */
export function travelTools() {
  const weather = new Subject<string>();
  const booked: string[] = [];
  const getWeather = tool({
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: z.object({ city: z.string() }),
    execute: () => new Observable<string>((subscriber) => weather.subscribe(subscriber)),
  });
  const bookTrip = tool({
    name: 'book_trip',
    description: 'Books a trip.',
    parameters: z.object({ city: z.string() }),
    needsApproval: true,
    execute: ({ city }) => {
      booked.push(city);
      return `Booked ${city}.`;
    },
  });
  return { weather, booked, tools: [getWeather, bookTrip] };
}

/** A chat's `run` over `agent`, counting the runs and the ones unsubscribed before their end. */
export function counted<T>(agent: Agent<T>) {
  const counts = { runs: 0, unsubscribed: 0, requests: [] as AgentChatRequest[] };
  const run = (request: AgentChatRequest): Observable<RunEvent<T>> => {
    counts.runs++;
    counts.requests.push(request);
    return runner
      .runStreamed(agent, chatRunInput(agent, request))
      .pipe(tap({ unsubscribe: () => counts.unsubscribed++ }));
  };
  return { counts, run };
}

/** An agent on a fakeModel script. */
export function scriptedAgent(
  turns: readonly FakeTurn[],
  options: { readonly tools?: boolean; readonly model?: FakeModelOptions } = {},
) {
  const model = fakeModel(turns, options.model);
  const travel = travelTools();
  const agent = new Agent({ name: 'Travel agent', model, tools: options.tools ? travel.tools : [] });
  return { model, agent, ...travel };
}

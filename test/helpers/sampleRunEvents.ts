/**
 * A realistic run, by hand: a weather agent calls two tools (one fails), then answers in text.
 * Every field a real run has (agent, turn, raw provider data, usage), and nothing `undefined`
 * except where a real run has it (a failed tool's `output`).
 */
import { concatMap, from, timer, map, type Observable } from 'rxjs';
import type { RunEvent } from '../../src/events.js';
import { noRunItems } from './runEvents.js';

const agent = 'Weather agent';
const turn1 = { requests: 1, inputTokens: 182, outputTokens: 41, totalTokens: 223 };
const turn2 = { requests: 1, inputTokens: 290, outputTokens: 23, totalTokens: 313 };

export const sampleRunEvents: readonly RunEvent<string>[] = [
  {
    type: 'raw',
    agent,
    turn: 1,
    source: 'openai-responses',
    data: { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', status: 'in_progress' } },
  },
  {
    type: 'raw',
    agent,
    turn: 1,
    source: 'openai-responses',
    data: {
      type: 'response.output_item.added',
      sequence_number: 1,
      output_index: 0,
      item: { type: 'function_call', call_id: 'call_oslo', name: 'get_weather', arguments: '' },
    },
  },
  {
    type: 'raw',
    agent,
    turn: 1,
    source: 'openai-responses',
    data: {
      type: 'response.function_call_arguments.delta',
      sequence_number: 2,
      output_index: 0,
      delta: '{"city":"Oslo"}',
    },
  },
  { type: 'tool-call', agent, turn: 1, callId: 'call_oslo', name: 'get_weather', arguments: { city: 'Oslo' } },
  { type: 'tool-call', agent, turn: 1, callId: 'call_mars', name: 'get_weather', arguments: { city: 'Mars' } },
  {
    type: 'raw',
    agent,
    turn: 1,
    source: 'openai-responses',
    data: {
      type: 'response.completed',
      sequence_number: 3,
      response: { id: 'resp_1', status: 'completed', usage: { input_tokens: 182, output_tokens: 41 } },
    },
  },
  { type: 'turn-completed', agent, turn: 1, responseId: 'resp_1', usage: turn1 },
  {
    type: 'tool-output',
    agent,
    turn: 1,
    callId: 'call_oslo',
    name: 'get_weather',
    output: { city: 'Oslo', celsius: 21, sky: 'clear ☀️' },
  },
  {
    type: 'tool-output',
    agent,
    turn: 1,
    callId: 'call_mars',
    name: 'get_weather',
    output: undefined,
    error: { name: 'Error', message: 'Unknown city: "Mars"\nTry an Earth city.' },
  },
  {
    type: 'raw',
    agent,
    turn: 2,
    source: 'openai-responses',
    data: { type: 'response.created', sequence_number: 0, response: { id: 'resp_2', status: 'in_progress' } },
  },
  { type: 'text-delta', agent, turn: 2, delta: 'Oslo is ' },
  { type: 'text-delta', agent, turn: 2, delta: 'clear at 21 °C;\n' },
  { type: 'text-delta', agent, turn: 2, delta: 'I know nothing of "Mars".' },
  {
    type: 'raw',
    agent,
    turn: 2,
    source: 'openai-responses',
    data: { type: 'response.completed', sequence_number: 1, response: { id: 'resp_2', status: 'completed' } },
  },
  { type: 'turn-completed', agent, turn: 2, responseId: 'resp_2', usage: turn2 },
  {
    type: 'final-output',
    agent,
    turn: 2,
    output: 'Oslo is clear at 21 °C;\nI know nothing of "Mars".',
    usage: { requests: 2, inputTokens: 472, outputTokens: 64, totalTokens: 536 },
    ...noRunItems,
  },
];

/** The sample run, one event every `periodMs` milliseconds (real time), as a cold Observable. */
export function sampleRun(
  periodMs = 2,
  events: readonly RunEvent<string>[] = sampleRunEvents,
): Observable<RunEvent<string>> {
  return from(events).pipe(concatMap((event) => timer(periodMs).pipe(map(() => event))));
}

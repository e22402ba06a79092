/**
 * Guardrails against the real `openai` client over loopback HTTP: a stream guardrail's trip and a
 * parallel input guardrail's trip close the model's request at once; a passing run is untouched.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  InputGuardrailTripwireTriggered,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  OutputGuardrailTripwireTriggered,
  Runner,
  type GuardrailEvent,
} from '../../src/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { until } from '../helpers/waiting.js';

const local = useLocalServer();
const runner = new Runner();
const words = Array.from({ length: 100 }, (_, i) => (i === 10 ? 'FORBIDDEN ' : `word${i} `));

describe.each([
  [
    'Responses',
    (url: string) => new OpenAIResponsesModel({ model: 'm', client: new OpenAI({ apiKey: 'k', baseURL: url }) }),
  ],
  [
    'Chat Completions',
    (url: string) => new OpenAIChatCompletionsModel({ model: 'm', client: new OpenAI({ apiKey: 'k', baseURL: url }) }),
  ],
])('guardrails over %s', (_api, makeModel) => {
  it('a stream guardrail that trips closes the request mid-stream; partial.text ends where the trip came', async () => {
    const server = await local.serve({ text: words, delayMs: 5 });
    const agent = new Agent({
      name: 'Guarded',
      model: makeModel(server.url),
      streamGuardrails: [
        {
          name: 'no-forbidden',
          every: { characters: 20 },
          execute: (text) => ({ tripwireTriggered: text.includes('FORBIDDEN'), outputInfo: { length: text.length } }),
        },
      ],
    });
    const guardrails: GuardrailEvent[] = [];
    const failure = await new Promise<unknown>((resolve) => {
      runner.runStreamed(agent, 'Talk').subscribe({
        next: (event) => event.type === 'guardrail' && guardrails.push(event),
        error: resolve,
        complete: () => resolve(undefined),
      });
    });
    expect(OutputGuardrailTripwireTriggered.isInstance(failure)).toBe(true);
    const error = failure as OutputGuardrailTripwireTriggered;
    expect(error.guardrail.kind).toBe('stream');
    expect(error.partial?.text).toContain('FORBIDDEN');
    // Cut within a delta or two of the word: far from the 100 words the server would send.
    expect(error.partial!.text.split(' ').length).toBeLessThan(15);
    expect(guardrails.at(-1)).toMatchObject({ kind: 'stream', tripwireTriggered: true });
    expect(guardrails.slice(0, -1).every((event) => !event.tripwireTriggered)).toBe(true);
    await until(() => server.requests[0]!.closedAt !== undefined);
    expect(server.requests[0]!.aborted).toBe(true);
  });

  it('an input guardrail in parallel that trips closes the first call; run() rejects with its error', async () => {
    const server = await local.serve({ text: words, delayMs: 5 });
    const agent = new Agent({
      name: 'Guarded',
      model: makeModel(server.url),
      inputGuardrails: [
        {
          name: 'slow-classifier',
          execute: async (input) => {
            await until(() => server.requests.length > 0);
            await new Promise((resolve) => setTimeout(resolve, 30));
            return { tripwireTriggered: JSON.stringify(input).includes('homework') };
          },
        },
      ],
    });
    const failure = await runner.run(agent, 'Do my homework').catch((error: unknown) => error);
    expect(InputGuardrailTripwireTriggered.isInstance(failure)).toBe(true);
    await until(() => server.requests[0]!.closedAt !== undefined);
    expect(server.requests[0]!.aborted).toBe(true);
  });

  it('passing guardrails leave the run as it was', async () => {
    const server = await local.serve({ text: ['All ', 'good.'] });
    const agent = new Agent({
      name: 'Guarded',
      model: makeModel(server.url),
      inputGuardrails: [{ name: 'in', execute: () => ({ tripwireTriggered: false }) }],
      streamGuardrails: [{ name: 'stream', every: { sentences: 1 }, execute: () => ({ tripwireTriggered: false }) }],
      outputGuardrails: [{ name: 'out', execute: () => ({ tripwireTriggered: false }) }],
    });
    const result = await runner.run(agent, 'Hi');
    expect(result.status === 'completed' && result.finalOutput).toBe('All good.');
    expect(server.requests[0]!.aborted).toBe(false);
  });
});

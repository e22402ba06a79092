/**
 * Hosted tools of the Responses API over loopback HTTP: the request carries the tool as given, the
 * `web_search_call` item joins the history untouched, its stream events come through as `raw`, and
 * a follow-up run sends the item back; Chat Completions refuses before any request.
 */
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  hostedTool,
  InvalidArgumentError,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  Runner,
  type RawModelEvent,
} from '../../src/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { citedMessage, webSearchCall, webSearchTurnEvents } from '../helpers/webSearchEvents.js';

const runner = new Runner();
const search = hostedTool({ type: 'web_search', search_context_size: 'low' });

describe('hosted tools over HTTP', () => {
  const { serve } = useLocalServer();

  it('Responses: sent in tools, their item kept untouched in the history, their events raw, sent back next run', async () => {
    const server = await serve({ events: webSearchTurnEvents() }, 'They live in rivers.');
    const client = new OpenAI({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
    const model = new OpenAIResponsesModel({ model: 'gpt-4.1', client });
    const agent = new Agent({ name: 'Researcher', model, tools: [search] });

    const streamed = await lastValueFrom(runner.runStreamed(agent, 'Good news?').pipe(toArray()));

    const sent = server.requests[0]!.body as { tools: unknown[] };
    expect(sent.tools).toEqual([{ type: 'web_search', search_context_size: 'low' }]);

    const final = streamed.at(-1);
    if (final?.type !== 'final-output') throw new Error('expected a final output');
    expect(final.output).toBe('Otters are thriving.');
    expect(final.newItems).toEqual([webSearchCall, citedMessage]);
    const raw = streamed
      .filter((event): event is RawModelEvent => event.type === 'raw')
      .map((event) => (event.data as { type: string }).type);
    expect(raw).toEqual(
      expect.arrayContaining(['response.web_search_call.searching', 'response.web_search_call.completed']),
    );
    expect(streamed.some((event) => event.type === 'tool-call')).toBe(false);

    const next = await runner.run(agent, [...final.history, { type: 'message', role: 'user', content: 'Where?' }]);
    expect(next.finalOutput).toBe('They live in rivers.');
    const input = (server.requests.at(-1)!.body as { input: unknown[] }).input;
    expect(input).toContainEqual(webSearchCall);
    expect(input).toContainEqual(citedMessage);
  });

  it('Chat Completions: the run fails with InvalidArgumentError naming the tool and the Responses model, before any request', async () => {
    const server = await serve('never');
    const client = new OpenAI({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
    const model = new OpenAIChatCompletionsModel({ model: 'gpt-4.1', client });
    const agent = new Agent({ name: 'Researcher', model, tools: [search] });
    const error = await runner.run(agent, 'Good news?').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/'web_search'.*OpenAIResponsesModel/);
    expect(() => runner.runSync(agent, 'Good news?')).toThrow(/'web_search'.*OpenAIResponsesModel/);
    expect(server.requests).toHaveLength(0);
  });
});

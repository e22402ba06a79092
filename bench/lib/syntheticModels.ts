/**
 * In-process models that answer at once, for measuring the cost of each library's own machinery:
 * rxjs-agents' `Model`, `@openai/agents`' `Model`, and the AI SDK's `MockLanguageModelV3`. Each
 * streams the same prebuilt deltas, built once, outside the timed region.
 */
import { Usage, type Model as AgentsModel, type StreamEvent as AgentsStreamEvent } from '@openai/agents';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';
import { Observable } from 'rxjs';
import type { Model, ModelEvent, ModelRequest, ModelResponse } from 'rxjs-agents';

/** Emits `events` synchronously, then completes: the source of both the library and the floor. */
export function emitAll<T>(events: readonly T[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    for (let index = 0; index < events.length && !subscriber.closed; index++) subscriber.next(events[index] as T);
    subscriber.complete();
  });
}

const usage = { requests: 1, inputTokens: 10, outputTokens: 0, totalTokens: 10 };

/** The model events of one answer of `deltas`: a `text-delta` each, then the `response`. */
export function textModelEvents(deltas: readonly string[]): ModelEvent[] {
  const response: ModelResponse = {
    id: 'resp_1',
    output: [
      {
        type: 'message',
        role: 'assistant',
        id: 'msg_1',
        status: 'completed',
        content: [{ type: 'output_text', text: deltas.join(''), annotations: [] }],
      },
    ],
    usage,
  };
  return [...deltas.map((delta): ModelEvent => ({ type: 'text-delta', delta })), { type: 'response', response }];
}

/** An rxjs-agents model that plays `events` synchronously on every call. */
export function syncModel(events: readonly ModelEvent[]): Model {
  return { name: 'synthetic', stream: () => emitAll(events) };
}

/**
 * An rxjs-agents model for a tool loop of `turns` model calls: each call before the last asks for
 * the `add` tool, the last one answers with `deltas`. Which one a call is comes from the request
 * (the tool outputs so far), so the model can serve any number of runs.
 */
export function toolLoopModel(turns: number, deltas: readonly string[]): Model {
  const answer = textModelEvents(deltas);
  const calls = Array.from({ length: turns }, (_, index): ModelEvent[] => [
    {
      type: 'response',
      response: {
        id: `resp_${index + 1}`,
        output: [
          {
            type: 'function_call',
            id: `fc_${index + 1}`,
            call_id: `call_${index + 1}`,
            name: 'add',
            arguments: `{"a":${index},"b":1}`,
            status: 'completed',
          },
        ],
        usage,
      },
    },
  ]);
  return {
    name: 'synthetic-tools',
    stream: (request: ModelRequest) => {
      let done = 0;
      for (const item of request.input) if (item.type === 'function_call_output') done++;
      return emitAll(done < turns - 1 ? (calls[done] as ModelEvent[]) : answer);
    },
  };
}

/** An `@openai/agents` model that yields the same deltas from its async generator. */
export function agentsSdkModel(deltas: readonly string[]): AgentsModel {
  const events: AgentsStreamEvent[] = deltas.map((delta) => ({ type: 'output_text_delta', delta }));
  const text = deltas.join('');
  const response = {
    id: 'resp_1',
    usage: { requests: 1, inputTokens: 10, outputTokens: 0, totalTokens: 10 },
    output: [
      {
        type: 'message' as const,
        role: 'assistant' as const,
        id: 'msg_1',
        status: 'completed' as const,
        content: [{ type: 'output_text' as const, text }],
      },
    ],
  };
  return {
    async getResponse() {
      return { usage: new Usage(response.usage), output: response.output, responseId: response.id };
    },
    async *getStreamedResponse() {
      for (const event of events) yield event;
      yield { type: 'response_done', response };
    },
  };
}

/** An AI SDK mock model whose stream holds the same deltas. */
export function aiSdkModel(deltas: readonly string[]): MockLanguageModelV3 {
  const chunks = [
    { type: 'stream-start' as const, warnings: [] },
    { type: 'text-start' as const, id: 'msg_1' },
    ...deltas.map((delta) => ({ type: 'text-delta' as const, id: 'msg_1', delta })),
    { type: 'text-end' as const, id: 'msg_1' },
    {
      type: 'finish' as const,
      finishReason: { unified: 'stop' as const, raw: 'stop' },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: deltas.length, text: deltas.length, reasoning: 0 },
      },
    },
  ];
  return new MockLanguageModelV3({ doStream: async () => ({ stream: convertArrayToReadableStream(chunks) }) });
}

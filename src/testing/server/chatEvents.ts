/**
 * Generates Chat Completions chunks for a planned turn, in the shapes of the `openai` SDK's
 * `ChatCompletionChunk`: a first chunk with the assistant role, content (or refusal) deltas, tool-call deltas
 * by index (id, type and name in the first delta of a call, the arguments over the next ones),
 * a chunk with `finish_reason`, and, when the request asked `stream_options.include_usage`, a
 * last chunk with `choices: []` and the usage. Deterministic: `created` is 0.
 */
import type { TurnPlan } from './script.js';

type Json = Record<string, unknown>;

/** The default completion id of turn `n`. */
export function chatId(turnNumber: number): string {
  return `chatcmpl-${turnNumber}`;
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function chatUsage(plan: TurnPlan): Json {
  const { inputTokens, outputTokens, totalTokens } = plan.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: totalTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Whether a Chat Completions request body asked for the usage chunk. */
export function wantsUsage(requestBody: unknown): boolean {
  return asObject(asObject(requestBody)['stream_options'])['include_usage'] === true;
}

/** The chunks of one generated Chat Completions stream (without the closing `[DONE]`). */
export function chatChunks(plan: TurnPlan, requestBody: unknown): Json[] {
  const body = asObject(requestBody);
  const model = typeof body['model'] === 'string' ? body['model'] : 'local-model';
  const includeUsage = wantsUsage(body);
  const chunks: Json[] = [];
  const chunk = (choices: Json[], usage: Json | null = null): void => {
    chunks.push({
      id: plan.id,
      object: 'chat.completion.chunk',
      created: 0,
      model,
      system_fingerprint: null,
      choices,
      ...(includeUsage ? { usage } : {}),
    });
  };
  const choice = (delta: Json, finishReason: string | null = null): Json => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  chunk([
    choice({
      role: 'assistant',
      content: plan.text === undefined ? null : '',
      refusal: plan.refusal === undefined ? null : '',
    }),
  ]);
  for (const delta of plan.text ?? []) chunk([choice({ content: delta })]);
  for (const delta of plan.refusal ?? []) chunk([choice({ refusal: delta })]);
  plan.toolCalls.forEach((call, index) => {
    chunk([
      choice({
        tool_calls: [{ index, id: call.callId, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    ]);
    for (const piece of call.pieces) {
      chunk([choice({ tool_calls: [{ index, function: { arguments: piece } }] })]);
    }
  });
  chunk([choice({}, plan.toolCalls.length > 0 ? 'tool_calls' : 'stop')]);
  if (includeUsage) chunk([], chatUsage(plan));
  return chunks;
}

/** The non-streamed answer of a generated turn (usage always included, as the API does). */
export function chatCompletion(plan: TurnPlan, requestBody: unknown): Json {
  return completionFromChunks(chatChunks(plan, requestBody), chatUsage(plan));
}

interface ToolCallSnapshot {
  id?: string;
  type: string;
  function: { name: string; arguments: string };
}

/**
 * Folds streamed chunks into the `ChatCompletion` a non-streamed request gets (first choice
 * only): content, refusal and tool-call arguments concatenated, the last `finish_reason` and usage.
 */
export function completionFromChunks(chunks: readonly unknown[], fallbackUsage: Json | null = null): Json {
  let head: Json = {};
  let content: string | null = null;
  let refusal: string | null = null;
  let finishReason: unknown = null;
  let usage: unknown = fallbackUsage;
  const calls: ToolCallSnapshot[] = [];
  for (const raw of chunks) {
    const chunk = asObject(raw);
    if (Object.keys(head).length === 0) head = chunk;
    if (chunk['usage']) usage = chunk['usage'];
    const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
    const choice = asObject(choices[0]);
    const delta = asObject(choice['delta']);
    if (typeof delta['content'] === 'string') content = (content ?? '') + delta['content'];
    if (typeof delta['refusal'] === 'string') refusal = (refusal ?? '') + delta['refusal'];
    if (choice['finish_reason']) finishReason = choice['finish_reason'];
    for (const rawCall of Array.isArray(delta['tool_calls']) ? delta['tool_calls'] : []) {
      const call = asObject(rawCall);
      const index = typeof call['index'] === 'number' ? call['index'] : calls.length;
      const snapshot = (calls[index] ??= { type: 'function', function: { name: '', arguments: '' } });
      if (typeof call['id'] === 'string') snapshot.id = call['id'];
      const fn = asObject(call['function']);
      if (typeof fn['name'] === 'string') snapshot.function.name += fn['name'];
      if (typeof fn['arguments'] === 'string') snapshot.function.arguments += fn['arguments'];
    }
  }
  const message: Json = { role: 'assistant', content, refusal };
  if (calls.length > 0) message['tool_calls'] = calls;
  return {
    id: head['id'],
    object: 'chat.completion',
    created: head['created'] ?? 0,
    model: head['model'],
    system_fingerprint: head['system_fingerprint'] ?? null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}

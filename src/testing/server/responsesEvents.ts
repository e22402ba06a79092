/**
 * Generates the Responses API's server-sent events for a planned turn, in the shapes of the
 * `openai` SDK's `ResponseStreamEvent` types and in the order OpenAI sends them: created,
 * in_progress, the message (item, content part, text or refusal deltas, done events), each function call
 * (item, argument deltas, done events), completed. Deterministic: `created_at` is 0, ids are
 * numbered by turn (`msg_<turn>`, `fc_<turn>_<index>`).
 */
import type { TurnPlan } from './script.js';

type Json = Record<string, unknown>;

/** The default response id of turn `n`. */
export function responsesId(turnNumber: number): string {
  return `resp_${turnNumber}`;
}

function field(body: Json, key: string, fallback: unknown): unknown {
  return body[key] ?? fallback;
}

/** The response's `conversation` field, `{ id }`, when the request named one. */
function conversationOf(value: unknown): Json {
  if (typeof value === 'string') return { conversation: { id: value } };
  return typeof value === 'object' && value !== null ? { conversation: value } : {};
}

/** The `response` object, echoing the request's settings the way the API does. */
function responseObject(plan: TurnPlan, body: Json, status: string, output: unknown[], usage: unknown): Json {
  return {
    id: plan.id,
    object: 'response',
    created_at: 0,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: field(body, 'instructions', null),
    max_output_tokens: field(body, 'max_output_tokens', null),
    model: typeof body['model'] === 'string' ? body['model'] : 'local-model',
    output,
    parallel_tool_calls: field(body, 'parallel_tool_calls', true),
    previous_response_id: field(body, 'previous_response_id', null),
    ...conversationOf(body['conversation']),
    reasoning: field(body, 'reasoning', { effort: null, summary: null }),
    service_tier: 'default',
    store: field(body, 'store', true),
    temperature: field(body, 'temperature', 1),
    text: field(body, 'text', { format: { type: 'text' } }),
    tool_choice: field(body, 'tool_choice', 'auto'),
    tools: field(body, 'tools', []),
    top_p: field(body, 'top_p', 1),
    truncation: 'disabled',
    usage,
    user: null,
    metadata: field(body, 'metadata', {}),
  };
}

/** The events of one generated Responses API response. */
export function responsesEvents(plan: TurnPlan, requestBody: unknown): Json[] {
  const body: Json = typeof requestBody === 'object' && requestBody !== null ? (requestBody as Json) : {};
  const events: Json[] = [];
  const emit = (type: string, fields: Json): void => {
    events.push({ type, sequence_number: events.length, ...fields });
  };
  const output: Json[] = [];

  emit('response.created', { response: responseObject(plan, body, 'in_progress', [], null) });
  emit('response.in_progress', { response: responseObject(plan, body, 'in_progress', [], null) });

  /** An assistant message, streamed part by part: text (`output_text`) or a refusal. */
  const streamMessage = (deltas: readonly string[], kind: 'text' | 'refusal'): void => {
    const output_index = output.length;
    const item_id = `msg_${plan.turn}`;
    const whole = deltas.join('');
    const at = { item_id, output_index, content_index: 0 };
    const part = (value: string): Json =>
      kind === 'text'
        ? { type: 'output_text', annotations: [], logprobs: [], text: value }
        : { type: 'refusal', refusal: value };
    const item = (status: string, content: Json[]): Json => ({
      id: item_id,
      type: 'message',
      status,
      content,
      role: 'assistant',
    });
    emit('response.output_item.added', { output_index, item: item('in_progress', []) });
    emit('response.content_part.added', { ...at, part: part('') });
    for (const delta of deltas) {
      if (kind === 'text') emit('response.output_text.delta', { ...at, delta, logprobs: [] });
      else emit('response.refusal.delta', { ...at, delta });
    }
    if (kind === 'text') emit('response.output_text.done', { ...at, text: whole, logprobs: [] });
    else emit('response.refusal.done', { ...at, refusal: whole });
    emit('response.content_part.done', { ...at, part: part(whole) });
    const done = item('completed', [part(whole)]);
    emit('response.output_item.done', { output_index, item: done });
    output.push(done);
  };
  if (plan.text !== undefined) streamMessage(plan.text, 'text');
  if (plan.refusal !== undefined) streamMessage(plan.refusal, 'refusal');

  plan.toolCalls.forEach((call, index) => {
    const output_index = output.length;
    const item_id = `fc_${plan.turn}_${index}`;
    const item = (status: string, args: string): Json => ({
      id: item_id,
      type: 'function_call',
      status,
      arguments: args,
      call_id: call.callId,
      name: call.name,
    });
    emit('response.output_item.added', { output_index, item: item('in_progress', '') });
    for (const delta of call.pieces) {
      emit('response.function_call_arguments.delta', { item_id, output_index, delta });
    }
    emit('response.function_call_arguments.done', {
      item_id,
      output_index,
      name: call.name,
      arguments: call.arguments,
    });
    const done = item('completed', call.arguments);
    emit('response.output_item.done', { output_index, item: done });
    output.push(done);
  });

  const { inputTokens, outputTokens, totalTokens } = plan.usage;
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: totalTokens,
  };
  emit('response.completed', { response: responseObject(plan, body, 'completed', output, usage) });
  return events;
}

/** The index of the last `response.completed` event, or -1 when there is none. */
export function completedIndex(events: readonly unknown[]): number {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index] as Json | null;
    if (event !== null && typeof event === 'object' && event['type'] === 'response.completed') return index;
  }
  return -1;
}

const finalTypes = new Set(['response.completed', 'response.failed', 'response.incomplete']);

/**
 * The body of a non-streamed Responses API answer: the `response` of the events' last
 * `response.completed` / `failed` / `incomplete` event, or `undefined` when there is none.
 */
export function finalResponse(events: readonly unknown[]): unknown {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index] as Json | null;
    if (event !== null && typeof event === 'object' && finalTypes.has(event['type'] as string)) {
      return event['response'];
    }
  }
  return undefined;
}

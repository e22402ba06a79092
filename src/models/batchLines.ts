/**
 * A model call as one line of an OpenAI Batch API job, and the line's answer as the call's events:
 * the request body is the one the streaming models send (`responsesParams`, `chatParams`) without
 * streaming; the answer is the non-streamed response those APIs give, read with the same checks as
 * the streamed one (the Chat Completions answer goes through `ChatStreamState` as one chunk).
 *
 * Internal: the `openAIBatch` engine (`src/batch/engine/`) uses it.
 */
import type { MessageItem } from '../items.js';
import type { ModelEvent, ModelRequest, ModelResponse } from '../model.js';
import { ModelProviderError } from '../errors.js';
import { ChatStreamState } from './chatStreamState.js';
import { isRecord, malformedEvent, responsesOutput, type Json } from './eventShapes.js';
import { chatParams } from './openaiChatCompletionsModel.js';
import { responsesParams, responsesUsage } from './openaiResponsesModel.js';
import { incompleteError, providerReportedError, redactJson, type ApiLabel } from './providerErrors.js';
import { chatHostedToolsError } from './hostedToolsRefusal.js';
import { chatServerHistoryError } from './serverHistoryRefusal.js';

/** Which API a batch job's lines call. */
export type BatchEndpoint = 'responses' | 'chat';

/** The `url` of a line, and the `endpoint` of its job. */
export const batchEndpointUrls = {
  responses: '/v1/responses',
  chat: '/v1/chat/completions',
} as const satisfies Record<BatchEndpoint, string>;

const api: ApiLabel = 'OpenAI Batch API';

/**
 * The body of the line that makes `request` with `model` on `endpoint`: what the streaming model
 * would send, with `stream` (and Chat Completions' `stream_options`) left out. A request the
 * endpoint cannot carry (Chat Completions with hosted tools or a stored conversation) throws the
 * model's own error.
 */
export function batchLineBody(endpoint: BatchEndpoint, model: string, request: ModelRequest): Json {
  if (endpoint === 'responses') {
    const { stream: _stream, ...body } = responsesParams(model, request);
    return body;
  }
  const refused = chatServerHistoryError(request) ?? chatHostedToolsError(request);
  if (refused !== undefined) throw refused;
  const { stream: _stream, stream_options: _options, ...body } = chatParams(model, request);
  return body;
}

/**
 * The events of a line answered with `body` (a response, or a chat completion): a `text-delta`
 * with the answer's whole text, if any, then the `response`. A response that is incomplete, failed
 * or malformed throws the `ModelProviderError` the streaming model would fail with.
 */
export function batchAnswerEvents(endpoint: BatchEndpoint, body: unknown, secret?: string): ModelEvent[] {
  const response = endpoint === 'responses' ? responsesAnswer(body, secret) : chatAnswer(body);
  const text = answerText(response);
  return [...(text === '' ? [] : [{ type: 'text-delta' as const, delta: text }]), { type: 'response', response }];
}

function responsesAnswer(body: unknown, secret: string | undefined): ModelResponse {
  const status = isRecord(body) ? body['status'] : undefined;
  if (status === 'incomplete') {
    const details = isRecord(body) ? body['incomplete_details'] : undefined;
    const reason = isRecord(details) && typeof details['reason'] === 'string' ? details['reason'] : undefined;
    throw incompleteError(api, reason, responsesUsage(body));
  }
  if (status === 'failed') {
    const error = isRecord(body) && isRecord(body['error']) ? body['error'] : {};
    const message = typeof error['message'] === 'string' ? error['message'] : 'the response failed.';
    throw providerReportedError(api, { code: error['code'], message }, secret);
  }
  const output = responsesOutput(api, body);
  const id = isRecord(body) && typeof body['id'] === 'string' ? body['id'] : undefined;
  return { ...(id === undefined ? {} : { id }), output, usage: responsesUsage(body) };
}

/** A chat completion read as the one chunk that says all of it. */
function chatAnswer(body: unknown): ModelResponse {
  const malformed = (what: string) => malformedEvent(api, what);
  if (!isRecord(body) || !Array.isArray(body['choices'])) throw malformed('a chat completion without choices');
  const choices = (body['choices'] as unknown[]).map((choice) => {
    if (!isRecord(choice)) return choice;
    const message = isRecord(choice['message']) ? choice['message'] : {};
    const calls = Array.isArray(message['tool_calls']) ? (message['tool_calls'] as unknown[]) : [];
    const { tool_calls: _calls, ...rest } = message;
    return {
      index: choice['index'] ?? 0,
      finish_reason: choice['finish_reason'] ?? null,
      delta: {
        ...rest,
        ...(calls.length === 0
          ? {}
          : { tool_calls: calls.map((call, index) => (isRecord(call) ? { index, ...call } : call)) }),
      },
    };
  });
  const state = new ChatStreamState();
  state.add({ ...body, choices }, malformed);
  switch (state.finishReason) {
    case null:
      throw malformed('a chat completion without a finish_reason');
    case 'length':
      throw incompleteError(api, 'max_output_tokens', state.usage());
    case 'content_filter':
      throw new ModelProviderError({
        message: `${api} error: the server's content filter stopped the response.`,
        code: 'content_filter',
        usage: state.usage(),
        retryable: false,
      });
    default:
      return { ...(state.id === undefined ? {} : { id: state.id }), output: state.output(), usage: state.usage() };
  }
}

/** The assistant text of a response: its messages' `output_text` parts, joined. */
function answerText(response: ModelResponse): string {
  let text = '';
  for (const item of response.output) {
    if (item.type !== 'message') continue;
    const { content } = item as MessageItem;
    if (typeof content === 'string') continue;
    for (const part of content) if (part.type === 'output_text') text += part.text;
  }
  return text;
}

/**
 * The error of a line that was not answered with a 2xx: the line's own `error` (`batch_expired`,
 * for example), or the status and error body of the request it made. Retryable as the same status
 * of a direct request would be.
 */
export function batchLineError(
  line: { readonly status?: number; readonly body?: unknown; readonly error?: unknown },
  secret?: string,
): ModelProviderError {
  const own = isRecord(line.error) ? line.error : undefined;
  if (own !== undefined) {
    return providerReportedError(
      api,
      { code: own['code'], message: typeof own['message'] === 'string' ? own['message'] : undefined },
      secret,
    );
  }
  const body = redactJson(line.body, secret);
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : {};
  const message = typeof error['message'] === 'string' ? error['message'] : 'the request of the line failed.';
  const status = line.status;
  const reported = providerReportedError(api, { code: status ?? error['code'], message }, secret);
  const code = typeof error['code'] === 'string' ? error['code'] : reported.code;
  return new ModelProviderError({
    message: reported.message,
    ...(reported.status === undefined ? {} : { status: reported.status }),
    ...(code === undefined ? {} : { code }),
    retryable: reported.retryable,
  });
}

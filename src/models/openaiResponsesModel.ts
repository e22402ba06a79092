import type { Observable } from 'rxjs';
import type { ResponseCreateParamsStreaming, ResponseInput } from 'openai/resources/responses/responses';
import type { ModelEvent, ModelRequest, ModelResponse } from '../model.js';
import type { Usage } from '../usage.js';
import { isRecord, malformedEvent, responsesOutput, usageFrom, type Json } from './eventShapes.js';
import { modelCall } from './modelCall.js';
import { OpenAIModelBase, type OpenAIModelOptions } from './openaiModelBase.js';
import {
  endedEarlyError,
  incompleteError,
  providerReportedError,
  toModelProviderError,
  type ApiLabel,
} from './providerErrors.js';
import { emitRateLimits } from './rateLimitHeaders.js';
import { forEachSdkEvent } from './sdkStream.js';
import { responsesSettings, responsesTextFormat, responsesTool } from './settings.js';

const api: ApiLabel = 'OpenAI Responses API';

/**
 * A model on OpenAI's Responses API (`POST /responses`, streamed), through the official `openai`
 * SDK. It is what model names resolve to by default.
 *
 * Each call of {@link OpenAIResponsesModel.stream} is a cold Observable: the request is made on
 * subscription and aborted on unsubscription. It emits a `raw` event for every event the SDK's
 * stream delivers, untouched; a `text-delta` for each `response.output_text.delta`; and, last,
 * one `response` whose output items and usage come from `response.completed`. Reasoning and other
 * items are kept as they came, so they go back in the next turn's input. A refusal
 * (`response.refusal.delta`) is not text: it is no `text-delta`, and reaches the response as the
 * message's `{ type: 'refusal', refusal }` content part.
 *
 * ## Example
 *
 * ```ts
 * import OpenAI from 'openai';
 * import { OpenAIResponsesModel } from 'rxjs-agents';
 *
 * const model = new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client: new OpenAI({ maxRetries: 1 }) });
 * const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model });
 * ```
 *
 * @see OpenAIChatCompletionsModel for OpenAI-compatible servers that speak Chat Completions only.
 */
export class OpenAIResponsesModel extends OpenAIModelBase {
  /** Always `'openai-responses'`; it labels `raw` events as their `source`. */
  readonly name = 'openai-responses' as const;

  /**
   * @param options the model id and, optionally, the `OpenAI` client (default: `new OpenAI()`,
   *   made on first use).
   * @throws InvalidArgumentError when `options.model` is missing or empty.
   */
  constructor(options: OpenAIModelOptions) {
    super(options);
  }

  /**
   * One model call as a cold Observable of `raw`, `text-delta` and, last, one `response` event.
   *
   * It fails with a `ModelProviderError` on an HTTP or connection error (with the SDK's error as
   * `cause`, its `status` and `code`), on an `error` event or a `response.failed` (with the
   * provider's code and message), on `response.incomplete` (code: the reason, for example
   * `'max_output_tokens'`, or `'incomplete'`; not retryable; `usage`: the incomplete response's),
   * when an event is malformed (not an object with a `type`, a delta that is not a string, a
   * completed response whose items lack what the runner reads; retryable), and when the stream
   * ends without `response.completed`. Unsubscribing aborts the request and is
   * never an error. The API key never shows in an error or a `raw` event, even if the provider
   * echoes it: it is replaced by `[redacted]`.
   *
   * @param request the instructions, conversation, tools, output schema and settings of the call.
   * @returns a cold Observable: nothing is requested until subscription, each subscription is one
   *   request.
   */
  stream(request: ModelRequest): Observable<ModelEvent> {
    return modelCall(
      (signal, emit, ready) => this.#call(request, signal, emit, ready),
      (error) => toModelProviderError(error, api, this.failureContext()),
    );
  }

  async #call(
    request: ModelRequest,
    signal: AbortSignal,
    emit: (event: ModelEvent) => void,
    ready: () => Promise<void> | undefined,
  ): Promise<ModelResponse> {
    const client = this.client();
    let completed: ModelResponse | undefined;
    await forEachSdkEvent(
      client.responses.create(responsesParams(this.model, request), { signal }),
      {
        api,
        client,
        secret: () => this.secret(),
        signal,
        ready,
        onBytes: () => emit({ type: 'progress' }),
        onHeaders: (headers) => emitRateLimits(headers, emit),
      },
      (event) => {
        emit({ type: 'raw', data: event });
        if (!isRecord(event) || typeof event['type'] !== 'string')
          throw malformedEvent(api, 'an event that is not an object with a type');
        completed = this.#handle(event, emit) ?? completed;
      },
    );
    if (completed === undefined) throw endedEarlyError(api);
    return completed;
  }

  /**
   * Emits what `event` means; returns the response it completes, throws on a failure event. The
   * fields read are checked first (see `eventShapes.ts`): the SDK types events, servers may not
   * keep to the types.
   */
  #handle(event: Json, emit: (event: ModelEvent) => void): ModelResponse | undefined {
    switch (event['type']) {
      case 'response.output_text.delta': {
        const delta = event['delta'];
        if (typeof delta !== 'string') throw malformedEvent(api, 'response.output_text.delta without a string delta');
        if (delta !== '') emit({ type: 'text-delta', delta });
        return undefined;
      }
      case 'response.completed': {
        const response = event['response'];
        const output = responsesOutput(api, response);
        const id = isRecord(response) && typeof response['id'] === 'string' ? response['id'] : undefined;
        return { ...(id === undefined ? {} : { id }), output, usage: responsesUsage(response) };
      }
      case 'error':
        throw providerReportedError(api, { code: event['code'], message: stringOr(event['message']) }, this.secret());
      case 'response.failed': {
        const error = isRecord(event['response']) ? event['response']['error'] : undefined;
        const details = isRecord(error) ? error : {};
        throw providerReportedError(
          api,
          { code: details['code'], message: stringOr(details['message']) ?? 'the response failed.' },
          this.secret(),
        );
      }
      case 'response.incomplete': {
        const response = event['response'];
        const details = isRecord(response) ? response['incomplete_details'] : undefined;
        throw incompleteError(
          api,
          isRecord(details) ? stringOr(details['reason']) : undefined,
          responsesUsage(response),
        );
      }
      default:
        return undefined;
    }
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether the Responses API takes `item` back as input. A reasoning item read from a Chat
 * Completions server (DeepSeek's `reasoning_content`, Mistral's thinking parts) has no `id`, which
 * the Responses API requires of reasoning items (it answers 400): such an item stays in the
 * history, and is left out when a Responses model is given that history (a handoff between agents
 * on the two APIs).
 */
function sendableToResponses(item: { readonly type: string }): boolean {
  return item.type !== 'reasoning' || typeof (item as { readonly id?: unknown }).id === 'string';
}

/** The streaming request body for `model` and `request`; `undefined` fields are left out. */
export function responsesParams(model: string, request: ModelRequest): ResponseCreateParamsStreaming {
  const hosted = request.hostedTools ?? [];
  const hasTools = request.tools.length > 0 || hosted.length > 0;
  return {
    model,
    ...(request.instructions === undefined ? {} : { instructions: request.instructions }),
    ...(request.previousResponseId === undefined ? {} : { previous_response_id: request.previousResponseId }),
    ...(request.conversationId === undefined ? {} : { conversation: request.conversationId }),
    // The items already have the Responses API's input shapes; provider items pass through as they came.
    input: request.input.filter(sendableToResponses) as unknown as ResponseInput,
    // Hosted tools go as they were given: they are the API's own tool objects.
    ...(hasTools ? { tools: [...request.tools.map(responsesTool), ...hosted.map((spec) => ({ ...spec }))] } : {}),
    ...(request.outputSchema === undefined ? {} : { text: responsesTextFormat(request.outputSchema) }),
    ...responsesSettings(request.settings, hasTools),
    stream: true,
  };
}

/** The usage of a response (zeros where the provider sent none, or sent something else than counts). */
export function responsesUsage(response: unknown): Usage {
  return usageFrom(isRecord(response) ? response['usage'] : undefined, [
    'input_tokens',
    'output_tokens',
    'total_tokens',
  ]);
}

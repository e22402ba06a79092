import { throwError, type Observable } from 'rxjs';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ModelEvent, ModelRequest, ModelResponse } from '../model.js';
import { chatMessages } from './chatMessages.js';
import { ModelProviderError } from '../errors.js';
import { ChatStreamState } from './chatStreamState.js';
import { malformedEvent } from './eventShapes.js';
import { modelCall } from './modelCall.js';
import { OpenAIModelBase, type OpenAIModelOptions } from './openaiModelBase.js';
import { endedEarlyError, incompleteError, toModelProviderError, type ApiLabel } from './providerErrors.js';
import { emitRateLimits } from './rateLimitHeaders.js';
import { forEachSdkEvent } from './sdkStream.js';
import { chatHostedToolsError } from './hostedToolsRefusal.js';
import { chatServerHistoryError } from './serverHistoryRefusal.js';
import { chatResponseFormat, chatSettings, chatTool } from './settings.js';

const api: ApiLabel = 'OpenAI Chat Completions API';

/**
 * A model on the Chat Completions API (`POST /chat/completions`, streamed with
 * `stream_options.include_usage`), through the official `openai` SDK: the API that
 * OpenAI-compatible servers (Ollama, vLLM, llama.cpp's server, LM Studio, xAI, DeepSeek) speak.
 *
 * Each call of {@link OpenAIChatCompletionsModel.stream} is a cold Observable: the request is made
 * on subscription and aborted on unsubscription. It emits a `raw` event for every chunk, untouched,
 * a `text-delta` for each piece of answer text, and, last, one `response` in the Responses API's
 * item shapes: a `reasoning` item when the server streamed reasoning (`reasoning_content`,
 * `reasoning`, Mistral's thinking parts: never text), an assistant `message` when there was text,
 * then a `function_call` item per tool call; its id is the completion's (first non-empty) id, its
 * usage that of the last chunk that carried one. How the quirks of compatible servers are read is
 * in `chatStreamState.ts` and the compatible-servers guide.
 *
 * The conversation is sent as chat messages: the instructions as a leading `system` message,
 * consecutive function calls as one assistant message with `tool_calls`, their outputs as `tool`
 * messages; items chat cannot express (reasoning) are left out.
 *
 * ## Example
 *
 * ```ts
 * import OpenAI from 'openai';
 * import { OpenAIChatCompletionsModel } from 'rxjs-agents';
 *
 * const ollama = new OpenAI({ baseURL: 'http://localhost:11434/v1', apiKey: 'ollama' });
 * const model = new OpenAIChatCompletionsModel({ model: 'llama3.2', client: ollama });
 * ```
 *
 * @see OpenAIResponsesModel for OpenAI's own Responses API.
 */
export class OpenAIChatCompletionsModel extends OpenAIModelBase {
  /** Always `'openai-chat-completions'`; it labels `raw` events as their `source`. */
  readonly name = 'openai-chat-completions' as const;

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
   * `cause`, its `status` and `code`), on an error the server sends inside the stream, when the
   * completion stops for its length (code `'max_output_tokens'`, as the Responses model's
   * incomplete response) or its content filter (code `'content_filter'`), and when the stream ends
   * without a finish reason, or sends a malformed chunk (content, a tool call's fields, `choices`
   * of the wrong type; retryable); an incomplete completion is not retryable, and its error carries its
   * `usage`. A request with `previousResponseId` or `conversationId` fails with an
   * `InvalidArgumentError` naming it, before any request: Chat Completions keeps no history on
   * the server (use the Responses model); so does a request with `hostedTools`, which only the
   * Responses API runs. Unsubscribing aborts the request and is never an error. The API key never shows in an
   * error or a `raw` event, even if the server echoes it: it is replaced by `[redacted]`.
   *
   * @param request the instructions, conversation, tools, output schema and settings of the call.
   * @returns a cold Observable: nothing is requested until subscription, each subscription is one
   *   request.
   */
  stream(request: ModelRequest): Observable<ModelEvent> {
    const refused = chatServerHistoryError(request) ?? chatHostedToolsError(request);
    if (refused !== undefined) return throwError(() => refused);
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
    const state = new ChatStreamState();
    const malformed = (what: string) => malformedEvent(api, what);
    await forEachSdkEvent(
      client.chat.completions.create(chatParams(this.model, request), { signal }),
      {
        api,
        client,
        secret: () => this.secret(),
        signal,
        ready,
        onBytes: () => emit({ type: 'progress' }),
        onHeaders: (headers) => emitRateLimits(headers, emit),
      },
      (chunk) => {
        emit({ type: 'raw', data: chunk });
        const text = state.add(chunk, malformed);
        if (text !== '') emit({ type: 'text-delta', delta: text });
      },
    );
    switch (state.finishReason) {
      case null:
        throw endedEarlyError(api);
      case 'length':
        throw incompleteError(api, 'max_output_tokens', state.usage());
      case 'content_filter':
        throw contentFilterError(state);
      default:
        return { ...(state.id === undefined ? {} : { id: state.id }), output: state.output(), usage: state.usage() };
    }
  }
}

/**
 * The error for a completion that a content filter stopped (`finish_reason: 'content_filter'`:
 * OpenAI's moderation, Azure OpenAI's content filter, some hosted servers' own).
 *
 * The AI SDK reports such a completion as finished, with finish reason `'content-filter'`, and
 * leaves the caller to notice. A run has nowhere to put a finish reason, and a cut answer taken as
 * the final output (or JSON cut short failing its schema) would hide why it is short; the
 * Responses API reports the same stop as an incomplete response, which the Responses model makes an
 * error of. So it is an error here too, with the same code, `'content_filter'`, carrying the
 * usage, and not retryable: the same request would be filtered again. The message names the
 * categories Azure flagged (`content_filter_results`), when it sent them; the text produced so far
 * is in the run's `partial`.
 */
function contentFilterError(state: ChatStreamState): ModelProviderError {
  const categories = state.filteredCategories();
  const which = categories.length > 0 ? ` (flagged: ${categories.join(', ')})` : '';
  return new ModelProviderError({
    message: `${api} error: the server's content filter stopped the response${which}.`,
    code: 'content_filter',
    usage: state.usage(),
    retryable: false,
  });
}

/** The streaming request body for `model` and `request`; `undefined` fields are left out. */
export function chatParams(model: string, request: ModelRequest): ChatCompletionCreateParamsStreaming {
  const hasTools = request.tools.length > 0;
  return {
    model,
    messages: chatMessages(request.instructions, request.input),
    ...(hasTools ? { tools: request.tools.map(chatTool) } : {}),
    ...(request.outputSchema === undefined ? {} : { response_format: chatResponseFormat(request.outputSchema) }),
    ...chatSettings(request.settings, hasTools),
    stream: true,
    stream_options: { include_usage: true },
  };
}

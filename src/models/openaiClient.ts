import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsStreaming } from 'openai/resources/responses/responses';

/**
 * What the OpenAI models use of an `OpenAI` client: the two streaming `create` calls and the
 * client's public settings.
 *
 * Any `new OpenAI()` of `openai` 6 or 7 is one (and an `AzureOpenAI`, or a client of an
 * OpenAI-compatible SDK with the same shape). It is a structural type rather than the SDK's
 * `OpenAI` class on purpose: a class with private members (`#private`) is only assignable to
 * itself, so a client made by another copy of the SDK than the one these types resolve to (another
 * major, a nested install, a monorepo) would fail to type-check with "Property '#private' in type
 * 'OpenAI' refers to a different member". The calls' bodies are still typed by the installed peer.
 *
 * ## Example
 *
 * ```ts
 * import OpenAI from 'openai';
 * import { OpenAIResponsesModel, type OpenAIClient } from 'rxjs-agents';
 *
 * const client: OpenAIClient = new OpenAI({ maxRetries: 1 });
 * const model = new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client });
 * ```
 */
export interface OpenAIClient {
  /** The Responses API; called with `stream: true`. */
  readonly responses: {
    create(body: ResponseCreateParamsStreaming, options?: OpenAIRequestOptions): PromiseLike<AsyncIterable<unknown>>;
  };
  /** The Chat Completions API; called with `stream: true`. */
  readonly chat: {
    readonly completions: {
      create(
        body: ChatCompletionCreateParamsStreaming,
        options?: OpenAIRequestOptions,
      ): PromiseLike<AsyncIterable<unknown>>;
    };
  };
  /** The API key; kept out of every error and event, and carried to `runSync()`'s worker. */
  readonly apiKey?: string | null | undefined;
  /** Named (without credentials or query) in connection errors; carried to `runSync()`'s worker. */
  readonly baseURL?: string | undefined;
  /** Carried to `runSync()`'s worker, as are the settings below. */
  readonly organization?: string | null | undefined;
  readonly project?: string | null | undefined;
  readonly maxRetries?: number | undefined;
  readonly timeout?: number | undefined;
}

/** What the models pass to a `create` call besides its body: the signal that aborts the request. */
export interface OpenAIRequestOptions {
  readonly signal?: AbortSignal;
}

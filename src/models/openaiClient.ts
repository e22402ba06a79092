/**
 * What the OpenAI models use of an `OpenAI` client: the two streaming `create` calls and the
 * client's public settings.
 *
 * Any `new OpenAI()` of `openai` 6 or 7 is one (and an `AzureOpenAI`, or a client of an
 * OpenAI-compatible SDK with the same shape). It is a structural type rather than the SDK's
 * `OpenAI` class on purpose: a class with private members (`#private`) is only assignable to
 * itself, so a client made by another copy of the SDK than the one these types resolve to (another
 * major, a nested install, a monorepo) would fail to type-check with "Property '#private' in type
 * 'OpenAI' refers to a different member". For the same reason it names none of the SDK's types:
 * the request bodies of two majors are not assignable to each other, so the body is typed by the
 * one field every streaming call has ({@link OpenAIStreamingBody}); the models build the full body
 * typed by the installed `openai`.
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
    /** `POST /responses`, resolving to the stream of its server-sent events. */
    create(body: OpenAIStreamingBody, options?: OpenAIRequestOptions): PromiseLike<AsyncIterable<unknown>>;
  };
  /** The Chat Completions API; called with `stream: true`. */
  readonly chat: {
    readonly completions: {
      /** `POST /chat/completions`, resolving to the stream of its chunks. */
      create(body: OpenAIStreamingBody, options?: OpenAIRequestOptions): PromiseLike<AsyncIterable<unknown>>;
    };
  };
  /** The API key; kept out of every error and event, and carried to `runSync()`'s worker. */
  readonly apiKey?: string | null | undefined;
  /** Named (without credentials or query) in connection errors; carried to `runSync()`'s worker. */
  readonly baseURL?: string | undefined;
  /** The `OpenAI-Organization` header; carried to `runSync()`'s worker. */
  readonly organization?: string | null | undefined;
  /** The `OpenAI-Project` header; carried to `runSync()`'s worker. */
  readonly project?: string | null | undefined;
  /** The SDK's own retries of a failed request; carried to `runSync()`'s worker. */
  readonly maxRetries?: number | undefined;
  /** The SDK's request timeout in ms; carried to `runSync()`'s worker. */
  readonly timeout?: number | undefined;
}

/** What the models pass to a `create` call besides its body: the signal that aborts the request. */
export interface OpenAIRequestOptions {
  readonly signal?: AbortSignal;
}

/**
 * What {@link OpenAIClient} says of a request body: it streams. The models send the whole body of
 * `responses.create` and `chat.completions.create` (model, input or messages, tools, settings).
 */
export interface OpenAIStreamingBody {
  readonly stream: true;
}

import type { Model, ModelProvider } from '../model.js';
import { ClientSource, withClientSource } from './clientSource.js';
import type { OpenAIClient } from './openaiClient.js';
import { OpenAIChatCompletionsModel } from './openaiChatCompletionsModel.js';
import { OpenAIResponsesModel } from './openaiResponsesModel.js';

/** The options of {@link OpenAIProvider}. */
export interface OpenAIProviderOptions {
  /**
   * The client every model of this provider calls the API with. Without one, a single
   * `new OpenAI()` is made on the first call of any of its models (never before) and shared; it
   * reads `OPENAI_API_KEY` and `OPENAI_BASE_URL`. Any `OpenAI` client of `openai` 6 or 7 will do
   * (see {@link OpenAIClient}).
   */
  readonly client?: OpenAIClient;
  /**
   * `true` (the default): model names resolve to {@link OpenAIResponsesModel}; `false`: to
   * {@link OpenAIChatCompletionsModel}, for servers that speak Chat Completions only.
   */
  readonly useResponses?: boolean;
}

/**
 * Resolves model names (as given to `Agent`) to OpenAI models that share one client.
 *
 * ## Example
 *
 * ```ts
 * import OpenAI from 'openai';
 * import { OpenAIProvider } from 'rxjs-agents';
 *
 * const local = new OpenAIProvider({
 *   client: new OpenAI({ baseURL: 'http://localhost:11434/v1', apiKey: 'ollama' }),
 *   useResponses: false,
 * });
 * const model = local.getModel('llama3.2'); // an OpenAIChatCompletionsModel
 * ```
 */
export class OpenAIProvider implements ModelProvider {
  readonly #source: ClientSource;
  readonly #useResponses: boolean;

  /** @param options the shared client (default: `new OpenAI()` on first use) and the API to use. */
  constructor(options: OpenAIProviderOptions = {}) {
    this.#source = options.client === undefined ? ClientSource.lazy() : ClientSource.of(options.client);
    this.#useResponses = options.useResponses ?? true;
  }

  /**
   * The model named `name`, on the provider's shared client.
   *
   * @param name the model id, for example `'gpt-4.1-mini'`.
   * @returns an {@link OpenAIResponsesModel}, or an {@link OpenAIChatCompletionsModel} when the
   *   provider was made with `useResponses: false`.
   * @throws InvalidArgumentError when `name` is empty.
   */
  getModel(name: string): Model {
    const options = withClientSource({ model: name }, this.#source);
    return this.#useResponses ? new OpenAIResponsesModel(options) : new OpenAIChatCompletionsModel(options);
  }

  /** `{ useResponses }`: what `JSON.stringify` shows of the provider (never the client). */
  toJSON(): { useResponses: boolean } {
    return { useResponses: this.#useResponses };
  }
}

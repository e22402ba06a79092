import type { Observable } from 'rxjs';
import { InvalidArgumentError } from '../errors.js';
import type { Model, ModelDescription, ModelEvent, ModelRequest } from '../model.js';
import { serverOfBaseURL } from './serverOfBaseURL.js';
import { clientSourceFrom, type ClientSource, type SyncClientOptions } from './clientSource.js';
import type { OpenAIClient } from './openaiClient.js';
import type { FailureContext } from './providerErrors.js';
import { syncDescriptorOf } from '../internal/syncDescriptorOf.js';

/** The options of {@link OpenAIResponsesModel} and {@link OpenAIChatCompletionsModel}. */
export interface OpenAIModelOptions {
  /** The model id sent to the API, for example `'gpt-4.1-mini'`. */
  readonly model: string;
  /**
   * The client to call the API with. Without one, `new OpenAI()` is made on the model's first
   * call (never at construction); it reads `OPENAI_API_KEY` and `OPENAI_BASE_URL`. Any `OpenAI`
   * client of `openai` 6 or 7 will do (see {@link OpenAIClient}).
   */
  readonly client?: OpenAIClient;
}

/** The kinds of OpenAI model a {@link SyncModelDescriptor} can describe. */
export type OpenAIModelKind = 'openai-responses' | 'openai-chat-completions';

/**
 * A model as plain, structured-cloneable data, from which a worker thread rebuilds it with
 * `modelFromSyncDescriptor()`.
 *
 * `clientOptions.apiKey` is there only to cross to the worker: never log a descriptor.
 */
export interface SyncModelDescriptor {
  readonly kind: OpenAIModelKind;
  readonly model: string;
  readonly clientOptions: SyncClientOptions;
}

/**
 * What both OpenAI models share: the model id, the client (given, or made on first use), the
 * descriptor for worker threads, and a JSON, string and `util.inspect` form that never shows the
 * client (and so never the API key).
 */
export abstract class OpenAIModelBase implements Model {
  /** The model's kind; it labels `raw` events as their `source`. */
  abstract readonly name: OpenAIModelKind;
  /** The model id sent to the API, for example `'gpt-4.1-mini'`. */
  readonly model: string;
  readonly #source: ClientSource;

  /** @throws InvalidArgumentError when `options.model` is missing or empty. */
  constructor(options: OpenAIModelOptions) {
    const model: unknown = (options as Partial<OpenAIModelOptions> | undefined)?.model;
    if (typeof model !== 'string' || model.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'model',
        message: `expected the model id as a non-empty string (for example 'gpt-4.1-mini'), got ${
          typeof model === 'string' ? "''" : String(model)
        }.`,
      });
    }
    this.model = model;
    this.#source = clientSourceFrom(options);
  }

  /** One model call as a cold Observable; see {@link Model.stream}. */
  abstract stream(request: ModelRequest): Observable<ModelEvent>;

  /** The client, made on first use when none was given. */
  protected client(): OpenAIClient {
    return this.#source.get();
  }

  /** The client's API key, once the client exists: kept out of error messages. */
  protected secret(): string | undefined {
    return this.#source.secret();
  }

  /** What a failure's error may name (the base URL) and must leave out (the API key). */
  /** @internal What an error of this model's calls needs to know (the API key to keep out of it). */
  protected failureContext(): FailureContext {
    return { secret: this.#source.secret(), baseURL: this.#source.baseURL() };
  }

  /**
   * This model as plain data a worker thread can rebuild it from (see `modelFromSyncDescriptor`).
   *
   * For a client made on first use, `clientOptions` holds nothing, so that the worker's own
   * `new OpenAI()` reads the same environment. For a given client, it holds what can be read of
   * its options, API key included: the descriptor exists to cross to a worker, never log it.
   *
   * Used by `runSync()`; not part of the public API (its key is a module-private symbol).
   *
   * @internal
   */
  [syncDescriptorOf](): SyncModelDescriptor {
    return { kind: this.name, model: this.model, clientOptions: this.#source.describe() };
  }

  /**
   * The model id and its server, for traces. The provider is told by the client's base URL
   * (`api.openai.com`, `*.openai.azure.com`, `api.mistral.ai`, …; any other host is `'openai'`,
   * the API it speaks). Describing makes the client when there is none yet (the traced call makes
   * it anyway); should that fail (no API key), the server is not named.
   */
  describe(): ModelDescription {
    let baseURL: string | undefined;
    try {
      baseURL = this.client().baseURL;
    } catch {
      // The call itself fails the same way, and says why.
    }
    return { model: this.model, ...serverOfBaseURL(baseURL) };
  }

  /** `{ name, model }`: what `JSON.stringify` shows of the model (never the client). */
  toJSON(): { name: string; model: string } {
    return { name: this.name, model: this.model };
  }

  /** For example `OpenAIResponsesModel(gpt-4.1-mini)`. */
  toString(): string {
    return `${this.constructor.name}(${this.model})`;
  }

  /** What Node's `util.inspect` (and `console.log`) shows: the name and model id only. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.constructor.name} { name: '${this.name}', model: '${this.model}' }`;
  }
}

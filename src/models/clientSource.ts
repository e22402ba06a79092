import OpenAI from 'openai';
import type { OpenAIClient } from './openaiClient.js';
import { missingApiKeyError } from './providerErrors.js';
import { isHeadersLike } from './sdkErrors.js';

/**
 * Where a model gets its `OpenAI` client: one given by the user (any {@link OpenAIClient}, of
 * whichever copy and major of the SDK made it), or one made on first use with the peer `openai`.
 *
 * Internal to `src/models/`; not exported from the package.
 */

/**
 * The options of an `OpenAI` client as plain, structured-cloneable data, so that a worker thread
 * can make the same client with `new OpenAI(options)`.
 *
 * It carries the API key only to cross to the worker: never log it.
 */
export interface SyncClientOptions {
  apiKey?: string;
  baseURL?: string;
  organization?: string | null;
  project?: string | null;
  maxRetries?: number;
  timeout?: number;
  defaultHeaders?: Record<string, string>;
  defaultQuery?: Record<string, string>;
}

/** Holds a model's client and knows how to describe it as {@link SyncClientOptions}. */
export class ClientSource {
  #client: OpenAIClient | undefined;
  readonly #make: () => OpenAIClient;
  readonly #describe: () => SyncClientOptions;

  private constructor(make: () => OpenAIClient, describe: () => SyncClientOptions, client?: OpenAIClient) {
    this.#make = make;
    this.#describe = describe;
    this.#client = client;
  }

  /** A source of the client the user gave. */
  static of(client: OpenAIClient): ClientSource {
    return new ClientSource(
      () => client,
      () => describeClient(client),
      client,
    );
  }

  /**
   * A source that makes `new OpenAI(options)` on first use — never before, so that a model can be
   * built where no API key is set. With no options, the client reads `OPENAI_API_KEY`,
   * `OPENAI_BASE_URL` (and the SDK's other variables) itself, and the description stays empty so
   * a worker's own `new OpenAI()` reads the same environment.
   */
  static lazy(options: SyncClientOptions = {}): ClientSource {
    const copy = cloneOptions(options);
    return new ClientSource(
      () => {
        try {
          return new OpenAI(cloneOptions(copy));
        } catch (error) {
          // No key: say so, not retryable, rather than a retryable "connection broke off".
          throw missingApiKeyError(error) ?? error;
        }
      },
      () => cloneOptions(copy),
    );
  }

  /** The client, made now if this is its first use. May throw the SDK's missing-key error. */
  get(): OpenAIClient {
    this.#client ??= this.#make();
    return this.#client;
  }

  /** The client's API key, if the client exists yet: used to keep it out of error messages. */
  secret(): string | undefined {
    return this.#client?.apiKey ?? undefined;
  }

  /** The client's base URL, if the client exists yet: named in connection errors. */
  baseURL(): string | undefined {
    return this.#client?.baseURL;
  }

  /** The client's options as plain data (see {@link SyncClientOptions}). */
  describe(): SyncClientOptions {
    return this.#describe();
  }
}

/** The marker under which {@link withClientSource} hides a shared source in a model's options. */
const sourceKey: unique symbol = Symbol('rxjs-agents.clientSource');

/** Model options that carry a shared {@link ClientSource} (used by `OpenAIProvider`). */
export function withClientSource<T extends object>(options: T, source: ClientSource): T {
  return { ...options, [sourceKey]: source };
}

/** The source of a model's options: the shared one, the given client's, or a new lazy one. */
export function clientSourceFrom(options: { client?: OpenAIClient | undefined }): ClientSource {
  const shared = (options as { [sourceKey]?: unknown })[sourceKey];
  if (shared instanceof ClientSource) return shared;
  return options.client === undefined ? ClientSource.lazy() : ClientSource.of(options.client);
}

/** The key the SDK puts in `apiKey` when it was given as a function (there is no string key yet). */
const missingKey = 'Missing Key';

/**
 * What can be read of a client's options.
 *
 * `apiKey`, `baseURL`, `organization`, `project`, `maxRetries` and `timeout` are public fields of
 * the client. `defaultHeaders` and `defaultQuery` are not: they are read from the options the
 * client keeps (`_options`, the object `withOptions()` copies), checked value by value. A custom
 * `fetch`, `fetchOptions`, a logger and an `apiKey` function cannot cross to a worker and are left
 * out (for an `apiKey` function, the last token it returned is carried when there is one).
 */
function describeClient(client: OpenAIClient): SyncClientOptions {
  const options: SyncClientOptions = {};
  if (typeof client.baseURL === 'string') options.baseURL = client.baseURL;
  if (client.organization !== undefined) options.organization = client.organization;
  if (client.project !== undefined) options.project = client.project;
  if (typeof client.maxRetries === 'number') options.maxRetries = client.maxRetries;
  if (typeof client.timeout === 'number') options.timeout = client.timeout;
  if (typeof client.apiKey === 'string' && client.apiKey !== missingKey) options.apiKey = client.apiKey;
  const kept = (client as unknown as { _options?: { defaultHeaders?: unknown; defaultQuery?: unknown } })._options;
  const headers = stringRecord(kept?.defaultHeaders);
  if (headers) options.defaultHeaders = headers;
  const query = stringRecord(kept?.defaultQuery);
  if (query) options.defaultQuery = query;
  return options;
}

/**
 * Headers or query values as a plain record of strings: a `Headers`, a list of pairs or an
 * object; `null`/`undefined` values (which remove a default header) are dropped, lists joined.
 */
function stringRecord(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record: Record<string, string> = {};
  const add = (key: unknown, entry: unknown): void => {
    if (typeof key !== 'string') return;
    if (typeof entry === 'string') record[key] = entry;
    else if (Array.isArray(entry)) record[key] = entry.filter((part) => typeof part === 'string').join(', ');
  };
  if (isHeadersLike(value)) {
    value.forEach((entry, key) => add(key, entry));
  } else if (Array.isArray(value)) {
    for (const pair of value) {
      if (Array.isArray(pair)) add(pair[0], pair[1]);
    }
  } else {
    for (const [key, entry] of Object.entries(value)) add(key, entry);
  }
  return Object.keys(record).length === 0 ? undefined : record;
}

function cloneOptions(options: SyncClientOptions): SyncClientOptions {
  const copy: SyncClientOptions = { ...options };
  if (options.defaultHeaders) copy.defaultHeaders = { ...options.defaultHeaders };
  if (options.defaultQuery) copy.defaultQuery = { ...options.defaultQuery };
  return copy;
}

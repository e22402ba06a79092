import { InvalidArgumentError } from '../../errors.js';
import type { BatchEndpoint } from '../../models/batchLines.js';
import { BatchRounds } from './batchRounds.js';
import { roundsKey, type RoundsEngine } from './engineRounds.js';

/** A job of OpenAI's Batch API, as `client.batches.create/retrieve` give it (the fields read). */
export interface BatchApiJob {
  readonly id: string;
  readonly status: string;
  readonly input_file_id?: string;
  readonly output_file_id?: string | null;
  readonly error_file_id?: string | null;
  readonly request_counts?: { readonly total: number; readonly completed: number; readonly failed: number } | null;
  readonly errors?: {
    readonly data?: readonly {
      readonly code?: string | null;
      readonly message?: string | null;
      readonly line?: number | null;
    }[];
  } | null;
}

/** What a Batch API call is given besides its body: the signal that aborts it. */
export interface BatchApiRequestOptions {
  readonly signal?: AbortSignal;
}

/**
 * The part of an `OpenAI` client (`openai` 6 or 7) the engine uses: the Files API, to upload a
 * round's requests and download their answers, and the Batch API. An `OpenAI` client is one.
 */
export interface BatchApiClient {
  readonly files: {
    /** Uploads a round's requests (`POST /files`, `purpose: 'batch'`). */
    create(body: { file: File; purpose: 'batch' }, options?: BatchApiRequestOptions): PromiseLike<{ id: string }>;
    /** Downloads a file (`GET /files/{id}/content`): a job's input, output or error lines. */
    content(
      fileId: string,
      options?: BatchApiRequestOptions,
    ): PromiseLike<{
      /** The file's text. */
      text(): Promise<string>;
    }>;
  };
  readonly batches: {
    /** Creates a job of the uploaded requests (`POST /batches`). */
    create(
      body: {
        input_file_id: string;
        endpoint: '/v1/responses' | '/v1/chat/completions';
        completion_window: '24h';
        metadata?: Record<string, string>;
      },
      options?: BatchApiRequestOptions,
    ): PromiseLike<BatchApiJob>;
    /** Polls a job (`GET /batches/{id}`). */
    retrieve(batchId: string, options?: BatchApiRequestOptions): PromiseLike<BatchApiJob>;
    /** Cancels a job (`POST /batches/{id}/cancel`), when the batch is unsubscribed. */
    cancel(batchId: string, options?: BatchApiRequestOptions): PromiseLike<BatchApiJob>;
  };
  /** Kept out of every error. */
  readonly apiKey?: string | null | undefined;
}

/** The options of {@link openAIBatch}. */
export interface OpenAIBatchOptions {
  /**
   * The client that uploads the requests and runs the jobs (default: `new OpenAI()`, made on first
   * use, which reads `OPENAI_API_KEY` and `OPENAI_BASE_URL`). The agents' own models are not
   * called: only their model ids are read.
   */
  readonly client?: BatchApiClient;
  /** Which API the requests call: `'responses'` (default) or `'chat'` (Chat Completions). */
  readonly endpoint?: BatchEndpoint;
  /**
   * The time between two polls of a job, in ms (default 10000); it grows by half each time
   * nothing changed, up to `maxPollIntervalMs`.
   */
  readonly pollIntervalMs?: number;
  /** The longest time between two polls, in ms (default 60000, or `pollIntervalMs` if longer). */
  readonly maxPollIntervalMs?: number;
  /** The most requests in one job (default 50000, the Batch API's limit): a larger round is split. */
  readonly maxRequestsPerJob?: number;
  /** The most bytes of one job's input file (default 200 MB, the Batch API's limit). */
  readonly maxBytesPerJob?: number;
  /**
   * `true`: unsubscribing leaves the jobs running at OpenAI (a batch started again with the same
   * checkpoint polls them); default `false`, unsubscribing cancels them.
   */
  readonly leaveJobsRunning?: boolean;
  /** Metadata given to every job (`client.batches.create`'s `metadata`), besides `rxjs_agents_round`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The Batch API engine of `runBatch()`, made by {@link openAIBatch}: plain options, checked. */
export interface OpenAIBatchEngine {
  readonly kind: 'openai-batch';
  readonly options: OpenAIBatchOptions;
}

const optionKeys = new Set([
  'client',
  'endpoint',
  'pollIntervalMs',
  'maxPollIntervalMs',
  'maxRequestsPerJob',
  'maxBytesPerJob',
  'leaveJobsRunning',
  'metadata',
]);

/**
 * OpenAI's Batch API as the engine of `runBatch()`: every model call of a batch's runs becomes one
 * line of a job, at half the price of a direct call, under the Batch API's own rate limits, within
 * its 24-hour window.
 *
 * The batch goes in rounds. When every run in flight waits for a model call, those calls are
 * uploaded as a JSON Lines file (`purpose: 'batch'`), submitted as one job (split into several
 * past 50,000 requests or 200 MB), and polled until it ends; each answer goes to its run as the
 * model's response. Tools run here, and the runs that need another turn make the next round,
 * until every item has its final output or failed. A line that fails (its request answered with
 * an error, or the job expired before it) fails that model call with a `ModelProviderError`
 * carrying the API's code and status: the run's `retry` option decides whether it is tried again
 * (in the next round), and otherwise the item fails.
 *
 * With a `checkpoint`, each job is recorded when it is submitted: a batch started again with the
 * same checkpoint answers the calls those jobs hold from them — polling the ones still running —
 * instead of paying for them again. Unsubscribing cancels the jobs (see `leaveJobsRunning`).
 *
 * `batch-progress` events list the jobs, with their status and request counts.
 *
 * ## Example
 *
 * ```ts
 * import { openAIBatch, runBatch } from 'rxjs-agents';
 *
 * runBatch(agent, questions, { engine: openAIBatch({ pollIntervalMs: 30_000 }), checkpoint: 'answers.jsonl' })
 *   .subscribe((event) => console.log(event.type));
 * ```
 *
 * @param options the client, the endpoint and how often to poll.
 * @returns the engine, for `runBatch()`'s `engine` option.
 * @throws InvalidArgumentError for an option that is wrong, naming it.
 */
export function openAIBatch(options: OpenAIBatchOptions = {}): OpenAIBatchEngine {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', 'the options of openAIBatch() must be an object.');
  }
  for (const key of Object.keys(options)) {
    if (!optionKeys.has(key)) throw invalid(key, `openAIBatch() has no option '${key}'.`);
  }
  const { client, endpoint, metadata } = options;
  if (client !== undefined && (typeof client !== 'object' || client === null || !client.files || !client.batches)) {
    throw invalid('client', 'client must be an OpenAI client (with files and batches).');
  }
  if (endpoint !== undefined && endpoint !== 'responses' && endpoint !== 'chat') {
    throw invalid('endpoint', `endpoint must be 'responses' or 'chat'; got ${JSON.stringify(endpoint)}.`);
  }
  positive(options.pollIntervalMs, 'pollIntervalMs');
  positive(options.maxPollIntervalMs, 'maxPollIntervalMs');
  whole(options.maxRequestsPerJob, 'maxRequestsPerJob', 50_000);
  whole(options.maxBytesPerJob, 'maxBytesPerJob', 200 * 1024 * 1024);
  if (options.leaveJobsRunning !== undefined && typeof options.leaveJobsRunning !== 'boolean') {
    throw invalid('leaveJobsRunning', 'leaveJobsRunning must be true or false.');
  }
  if (
    metadata !== undefined &&
    (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((v) => typeof v !== 'string'))
  ) {
    throw invalid('metadata', 'metadata must be an object of strings.');
  }
  const engine: OpenAIBatchEngine & RoundsEngine = {
    kind: 'openai-batch',
    options: { ...options },
    // Reached by runBatch() only (see engineRounds.ts): the Batch API code is bundled with this function.
    [roundsKey]: (hooks) => new BatchRounds(engine.options, hooks),
  };
  return engine;
}

function invalid(name: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument: name === 'options' ? 'options' : `options.${name}`, message });
}

function positive(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw invalid(name, `${name} must be a number above 0; got ${JSON.stringify(value) ?? typeof value}.`);
  }
}

function whole(value: unknown, name: string, most: number): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > most)) {
    throw invalid(
      name,
      `${name} must be a whole number from 1 to ${most}; got ${JSON.stringify(value) ?? typeof value}.`,
    );
  }
}

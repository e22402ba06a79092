/**
 * The public types of the local OpenAI-compatible server: what a test scripts (the turns of
 * `../script.ts`, the vocabulary `fakeModel` shares), how it answers by request (`respond`), and
 * what it can inspect afterwards.
 */
import type { ServerTurn } from '../script.js';
import type { ServerRequest } from './request.js';

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; the raw text when it is not JSON; `undefined` when empty. */
  readonly body: unknown;
  /** `performance.now()` when the request arrived. */
  readonly receivedAt: number;
  /** `performance.now()` when the response (or its socket) closed. */
  closedAt?: number;
  /** Whether the client went away before the response finished. */
  aborted: boolean;
  /**
   * For a Responses API request, the conversation the model saw: the items the server kept (of
   * the `conversation`, or of the responses `previous_response_id` continues), then the request's
   * `input` items — so a test can tell what was sent (`body.input`) from what was remembered.
   */
  history?: readonly unknown[];
  /** What `respond` threw for this request (answered with a 500 saying the same), as a message. */
  error?: string;
  /**
   * For a request the server made to itself to answer one line of a batch (see
   * `ServerOptions.batches`): the batch's id and the line's `custom_id`.
   */
  batch?: BatchLineRef;
}

/** Which batch, and which line of its input file, a model request answers. */
export interface BatchLineRef {
  /** The batch's id, e.g. `batch_1`. */
  readonly id: string;
  /** The line's `custom_id`. */
  readonly customId: string;
}

/**
 * How the server's Batch API (`/v1/batches`) runs a job, in compressed time. A job goes
 * `validating` (for `stepMs`) → `in_progress` (its lines answered, `linesPerStep` at a time, each
 * step `stepMs` after the last, `request_counts` growing line by line) → `finalizing` (for
 * `stepMs`) → `completed`, unless `outcome` says otherwise or the job is cancelled.
 *
 * Each line is answered as a direct, non-streamed request to the batch's endpoint would be: the
 * server posts the line's `body` (without `stream`) to itself, so the line takes the next scripted
 * turn or goes to the responder (whose `ServerRequest.batch` names the batch and `custom_id`), is
 * recorded in `requests` (with `batch`), and is not charged to `rateLimits` (the Batch API has
 * limits of its own). A 2xx answer goes to the output file, any other status (a scripted `status`
 * turn, a responder that throws) to the error file with that status and body; a dropped
 * connection or a body that is not JSON is a 500 in the error file; a turn that stalls holds its
 * job where it is until the server closes. Cancelling stops the job before its next line: a line
 * already asked is still answered and counted. Output and error files exist only when they have
 * a line (`output_file_id` is `null` when every line failed, as OpenAI's is).
 */
export interface BatchOptions {
  /** How long each phase lasts, and the time between steps of answered lines. Default 20. */
  readonly stepMs?: number;
  /** How many lines one step answers, one after the other. Default 10. */
  readonly linesPerStep?: number;
  /**
   * How every job ends whose input file is valid:
   * - `'completed'` (default): every line answered, then `finalizing`, then `completed`.
   * - `'failed'`: the job fails at validation, answering no line, with one error of code
   *   `token_limit_exceeded` (OpenAI's "enqueued token limit reached"), `line: null`.
   * - `'expired'`: the first half of the lines (rounded down: none of a one-line file) are
   *   answered; then the job goes from `in_progress` to `expired`, with what was answered in its
   *   output and error files and every other line in the error file as
   *   `error: { code: 'batch_expired', message }` (counted in `request_counts.failed`).
   */
  readonly outcome?: 'completed' | 'failed' | 'expired';
  /** The most lines an input file may have. Default 50,000, as OpenAI's. */
  readonly maxRequests?: number;
  /** The largest file, in bytes, an upload with `purpose: 'batch'` may be. Default 200 MB, as OpenAI's. */
  readonly maxFileBytes?: number;
}

/**
 * A rate-limit budget for the model endpoints (`/v1/responses`, `/v1/chat/completions`), as
 * OpenAI keeps one per account: each limit is a bucket that holds a minute's worth and refills
 * continuously (a limit of 60 a minute gives back one request a second). A request is charged one
 * request and its estimated tokens when it arrives: its JSON body's bytes / 4, plus its
 * `max_output_tokens` (or `max_completion_tokens`, `max_tokens`); once the answer is known, the
 * tokens are corrected to the usage it reports (a scripted `status` turn keeps the estimate).
 *
 * Every model response carries `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests`,
 * `x-ratelimit-reset-requests` (the time until the bucket is full again, in OpenAI's format:
 * `20ms`, `1s`, `6m0s`) and the same three for `-tokens` (headers a turn scripts win). A request
 * the budget cannot pay for is not answered and is not charged: it gets 429 with
 * `code: 'rate_limit_exceeded'` (`type` `requests` or `tokens`), `retry-after` (whole seconds,
 * rounded up) and `retry-after-ms`, and takes no scripted turn. A request that needs more tokens
 * than the whole budget waits for a full bucket. Other endpoints, and a batch's lines, are free.
 */
export interface RateLimitOptions {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

/**
 * Answers one model request with one turn, in the scripts' vocabulary (text, tool calls, output,
 * refusal, recorded events, and the HTTP faults). May be async. What it throws, or a turn that is
 * not valid, answers that request with a 500 and is reported: see `ServerOptions.respond`.
 */
export type Responder = (request: ServerRequest) => ServerTurn | Promise<ServerTurn>;

/**
 * Options of `startServer`. Scripted `turns` answer first, in order; then the one responder, if
 * any, answers the rest: `respond`, `echo` or `fixture` (give at most one of the three).
 */
export interface ServerOptions {
  /** Turns served in order, one per request, before any responder is asked (and `push()` adds more). */
  readonly turns?: readonly ServerTurn[];
  /**
   * Answers each request (after the scripted `turns`) from what it asks. A throw, a rejection or a
   * turn that is not valid answers that request with a 500 (`code: 'respond_failed'`, with
   * `x-should-retry: false`) whose message says what went wrong; the request's record gets
   * `error`, `server.errors` gets the thrown value, and `close()` rejects with a
   * `ResponderError` holding them all, so a test hears of it even when the app swallowed the 500.
   */
  readonly respond?: Responder;
  /** `true`: answer with the last user message's text, word by word (the `echo` responder). */
  readonly echo?: boolean;
  /**
   * One or more `.jsonl` recordings (see `loadFixture`), replayed as they are, by request order:
   * each API gets its own recordings' responses (a Responses API recording is cut into its
   * responses, a Chat Completions one is one response), and after the last one, the first again.
   * For a test that must fail on one request too many, script them as `turns` instead
   * (`splitResponses(loadFixture(path)).map((events) => ({ events }))`).
   */
  readonly fixture?: string | URL | readonly (string | URL)[];
  /** Wait this long between events in every turn that sets no `delayMs` of its own. Default 0. */
  readonly delayMs?: number;
  /** How the Batch API's jobs run: see `BatchOptions`. */
  readonly batches?: BatchOptions;
  /** A rate-limit budget for the model endpoints, with OpenAI's headers and 429s: see `RateLimitOptions`. */
  readonly rateLimits?: RateLimitOptions;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
}

/** A running local server. */
export interface LocalServer {
  /** The base URL for the OpenAI client, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** Every request, in arrival order (a live list). */
  readonly requests: readonly RecordedRequest[];
  /** What `respond` threw, in request order (a live list). */
  readonly errors: readonly unknown[];
  /** Scripts more turns, after those still pending (and before the responder, if any). */
  push(...turns: ServerTurn[]): void;
  /**
   * Closes the server, destroys every open socket and stops every batch job where it is (no timer
   * is left behind). Rejects, once closed, with a
   * `ResponderError` when `respond` threw for any request.
   */
  close(): Promise<void>;
}

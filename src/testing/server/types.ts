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
   * Closes the server and destroys every open socket. Rejects, once closed, with a
   * `ResponderError` when `respond` threw for any request.
   */
  close(): Promise<void>;
}

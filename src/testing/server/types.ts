/**
 * The public types of the local OpenAI-compatible server: what a test scripts, and what it can
 * inspect afterwards.
 */

/** Token counts a scripted turn reports in its usage. */
export interface ScriptedUsage {
  /** Default 10. */
  readonly inputTokens?: number;
  /** Default: the number of streamed pieces (text deltas plus tool-argument pieces). */
  readonly outputTokens?: number;
}

/**
 * Fields every turn may carry: usage, id, and faults.
 *
 * Faults apply to the request that takes the turn. `status` wins over the stream faults; the
 * stream faults combine (`delayMs` with any other; the first of `badLineAfter`, `dropAfter` and
 * `stallAfter` to be reached acts first). Event counts never include Chat Completions'
 * closing `data: [DONE]`.
 */
export interface TurnOptions {
  readonly usage?: ScriptedUsage;
  /** The response id (`resp_<n>` / `chatcmpl-<n>` by default, n = 1-based turn number). */
  readonly id?: string;
  /** Respond with this HTTP status instead of the turn's events. */
  readonly status?: number;
  /** Extra response headers with `status` (e.g. `{ 'retry-after': '1' }`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body sent with `status`; default an OpenAI-style `{ error: { message, type, code } }`. */
  readonly body?: unknown;
  /** Destroy the socket after this many server-sent events. */
  readonly dropAfter?: number;
  /** Wait this long between events (not before the first). */
  readonly delayMs?: number;
  /** Stop sending after this many events, keeping the socket open until the client leaves. */
  readonly stallAfter?: number;
  /** After this many events, send a `data: {not json` line, then carry on. */
  readonly badLineAfter?: number;
}

/** A scripted call to a function tool. */
export interface ScriptedToolCall {
  readonly name: string;
  /** An object is JSON-stringified; a string is sent as is (so it may be invalid JSON). */
  readonly arguments: unknown;
  /** Default `call_<turn>_<index>`. */
  readonly callId?: string;
}

/** Assistant text. An array gives the exact deltas; a string is split into word-sized deltas. */
export interface TextTurn extends TurnOptions {
  readonly text: string | readonly string[];
}

/** Tool calls, optionally preceded by assistant text. */
export interface ToolCallsTurn extends TurnOptions {
  readonly toolCalls: readonly ScriptedToolCall[];
  readonly text?: string | readonly string[];
}

/** A structured answer: the text is `JSON.stringify(json)`, streamed in 8-character pieces. */
export interface JsonTurn extends TurnOptions {
  readonly json: unknown;
}

/**
 * The model refuses: an assistant message whose content is a refusal, not text. On
 * `/v1/responses` a `refusal` content part (streamed as `response.refusal.delta` /
 * `response.refusal.done`); on `/v1/chat/completions` `delta.refusal` pieces (the message's
 * `refusal` when not streamed). An array gives the exact deltas; a string is split into word-sized
 * deltas.
 */
export interface RefusalTurn extends TurnOptions {
  readonly refusal: string | readonly string[];
}

/**
 * Recorded events (for example from a fixture), served as they are: on `/v1/responses` as
 * `event: <type>` + `data:`, on `/v1/chat/completions` as `data:` then `data: [DONE]`.
 * `usage` and `id` are ignored.
 */
export interface EventsTurn extends TurnOptions {
  readonly events: readonly unknown[];
}

/** An HTTP error answer and nothing else: `{ status: 429, headers: { 'retry-after': '1' } }`. */
export interface StatusTurn extends TurnOptions {
  readonly status: number;
}

/** What the server answers to one request. */
export type ScriptedTurn = TextTurn | ToolCallsTurn | JsonTurn | RefusalTurn | EventsTurn | StatusTurn;

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
}

/** Options of `startServer`. */
export interface ServerOptions {
  readonly turns?: readonly ScriptedTurn[];
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
  /** Scripts more turns, after those still pending. */
  push(...turns: ScriptedTurn[]): void;
  /** Closes the server and destroys every open socket. */
  close(): Promise<void>;
}

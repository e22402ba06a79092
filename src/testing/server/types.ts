/**
 * The public types of the local OpenAI-compatible server: what a test scripts (the turns of
 * `../script.ts`, the vocabulary `fakeModel` shares), and what it can inspect afterwards.
 */
import type { ServerTurn } from '../script.js';

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
  readonly turns?: readonly ServerTurn[];
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
  push(...turns: ServerTurn[]): void;
  /** Closes the server and destroys every open socket. */
  close(): Promise<void>;
}

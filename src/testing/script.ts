/**
 * The one vocabulary of a scripted model turn, shared by `fakeModel` (`rxjs-agents/testing`) and
 * the local OpenAI-compatible server (`rxjs-agents/testing/server`): a script written for one
 * reads the same for the other. What the model says is common to both; how a call fails differs
 * (a fake model fails with an error value, an HTTP server with a status or a broken stream), so
 * each takes the faults it can honour, and refuses the other's by name.
 */
import { InvalidArgumentError } from '../errors.js';
import type { ModelEvent } from '../model.js';

/**
 * Token counts a scripted response reports. Defaults: for `fakeModel` zero; for the server 10
 * input tokens and one output token per streamed piece. `totalTokens` defaults to their sum.
 */
export interface ScriptedUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
}

/** A call to a function tool (or, named `transfer_to_<agent_name>`, a handoff). */
export interface ScriptedToolCall {
  readonly name: string;
  /** An object (sent as JSON) or a string (sent as it is, to script malformed JSON). Default `{}`. */
  readonly arguments?: unknown;
  /** Default `call_<turn>_<index>` (1-based turn, 0-based index). */
  readonly callId?: string;
}

/**
 * What the model says in one turn; every field is optional, and `{}` is an empty response.
 * `text`, `output` and `refusal` are three kinds of assistant message: give one of them at most.
 * `events` replaces all the others.
 */
export interface TurnContent<TEvent = unknown> {
  /**
   * Assistant text. An array gives the exact deltas; a string is cut into word-sized deltas
   * (where the spaces go, before or after each word, is the consumer's; the text is the same).
   */
  readonly text?: string | readonly string[];
  /** Tool calls, after the text, in this order. */
  readonly toolCalls?: readonly ScriptedToolCall[];
  /** A structured answer: `JSON.stringify(output)`, streamed as the assistant message's text. */
  readonly output?: unknown;
  /**
   * The model refuses: an assistant message whose content is one `refusal` part instead of text,
   * and no text deltas. On the server's `/v1/responses`, `response.refusal.delta` events; on
   * `/v1/chat/completions`, `delta.refusal` pieces. An array gives the exact pieces.
   */
  readonly refusal?: string | readonly string[];
  /**
   * Exactly these events, as they are: for `fakeModel` the `ModelEvent`s of the call (`raw`,
   * `text-delta`, and the `response` you write yourself); for the server the provider's events,
   * one per `data:` line (a recording, see `loadFixture`).
   */
  readonly events?: readonly TEvent[];
  /** The response's token counts. */
  readonly usage?: ScriptedUsage;
  /** The response id. Default `fake_resp_<n>` (fakeModel), `resp_<n>` / `chatcmpl-<n>` (server). */
  readonly id?: string;
}

/** How a `fakeModel` call fails: after the turn's text (or output), instead of its response. */
export interface ModelFaults {
  /**
   * The call fails with this value. A `ModelProviderError` with `retryable: true` is what the
   * run's `retry` option retries.
   */
  readonly error?: unknown;
  /** The call goes silent and never ends, as a stalled connection does (for `idleTimeoutMs`). */
  readonly stall?: true;
}

/**
 * How the local server misbehaves on the request that takes the turn. `status` wins over the
 * stream faults; the stream faults combine (`delayMs` with any other; the first of
 * `badLineAfter`, `dropAfter` and `stallAfter` to be reached acts first). Event counts never
 * include Chat Completions' closing `data: [DONE]`.
 */
export interface HttpFaults {
  /** Answer with this HTTP status instead of the turn's events. */
  readonly status?: number;
  /**
   * Extra response headers, with `status` (e.g. `{ 'retry-after': '1' }`) or with a streamed
   * answer (e.g. `{ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }`).
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The body sent with `status`; default an OpenAI-style `{ error: { message, type, code } }`. A
   * string is sent as it is (an HTML page, an empty body: give its `content-type` in `headers`),
   * anything else as JSON.
   */
  readonly body?: unknown;
  /** Wait this long between events (not before the first). */
  readonly delayMs?: number;
  /** Destroy the socket after this many server-sent events. */
  readonly dropAfter?: number;
  /** Stop sending after this many events, keeping the socket open until the client leaves. */
  readonly stallAfter?: number;
  /** After this many events, send a `data: {not json` line, then carry on. */
  readonly badLineAfter?: number;
  /**
   * After this many events (at least 1), send the last of them again and again until the client
   * leaves, as a broken proxy or a model caught in a loop does: a stream that never ends.
   */
  readonly endlessAfter?: number;
  /**
   * Send each event slowly: `bytes` bytes at a time, `everyMs` apart, as a slow link or a large
   * event still arriving does (for an idle timeout that must count bytes, not events).
   */
  readonly trickle?: { readonly bytes: number; readonly everyMs: number };
}

/**
 * One scripted model call, in the vocabulary both fakes share: what the model says
 * ({@link TurnContent}) and how the call fails ({@link ModelFaults} for `fakeModel`,
 * {@link HttpFaults} for the local server). {@link FakeTurn} and {@link ServerTurn} are what each
 * accepts; a plain string is short for `{ text }` in both.
 */
export interface ScriptedTurn<TEvent = unknown> extends TurnContent<TEvent>, ModelFaults, HttpFaults {}

/** A turn of a `fakeModel` script: the shared vocabulary without the HTTP faults. */
export type FakeTurn = string | Omit<ScriptedTurn<ModelEvent>, keyof HttpFaults>;

/** A turn of the local server's script: the shared vocabulary without the fake model's faults. */
export type ServerTurn = string | Omit<ScriptedTurn, keyof ModelFaults>;

const contentKeys = ['text', 'toolCalls', 'output', 'refusal', 'events', 'usage', 'id'] as const;
const modelFaultKeys = ['error', 'stall'] as const satisfies readonly (keyof ModelFaults)[];
const httpFaultKeys = [
  'status',
  'headers',
  'body',
  'delayMs',
  'dropAfter',
  'stallAfter',
  'badLineAfter',
  'endlessAfter',
  'trickle',
] as const satisfies readonly (keyof HttpFaults)[];

/**
 * Checks a script where it is given, naming the turn and field at fault: a turn is a string or an
 * object, with no field the consumer does not know (the other fake's faults are named as such),
 * at most one of `text` and `output`, nothing beside `events` but faults, and, for `fakeModel`,
 * no tool calls in a turn that fails or stalls (it never sends the response that holds them).
 *
 * @returns The turns, each a `ScriptedTurn` (a string becomes `{ text }`).
 */
export function checkScript<TEvent>(
  turns: readonly (string | ScriptedTurn<TEvent>)[],
  consumer: 'fakeModel' | 'server',
  argument = 'turns',
): ScriptedTurn<TEvent>[] {
  const own: readonly string[] = consumer === 'fakeModel' ? modelFaultKeys : httpFaultKeys;
  const others: readonly string[] = consumer === 'fakeModel' ? httpFaultKeys : modelFaultKeys;
  const otherName = consumer === 'fakeModel' ? "the local server's" : "fakeModel's";
  return turns.map((turn, index) => {
    const at = `${argument}[${index}]`;
    const fail = (message: string): never => {
      throw new InvalidArgumentError({ argument: at, message });
    };
    if (typeof turn === 'string') return { text: turn };
    if (typeof turn !== 'object' || turn === null || Array.isArray(turn)) {
      return fail(`a scripted turn is a string or an object such as { text }; got ${String(turn)}.`);
    }
    for (const key of Object.keys(turn)) {
      if (others.includes(key)) fail(`\`${key}\` is one of ${otherName} faults; ${consumer} does not take it.`);
      if (!(contentKeys as readonly string[]).includes(key) && !own.includes(key)) {
        fail(`unknown field \`${key}\`; a turn takes ${[...contentKeys, ...own].join(', ')}.`);
      }
    }
    const messages = (['text', 'output', 'refusal'] as const).filter((key) => turn[key] !== undefined);
    if (messages.length > 1) {
      fail(`give the assistant message as one of \`text\`, \`output\` or \`refusal\`, not ${messages.join(' and ')}.`);
    }
    if (turn.events !== undefined) {
      if (!Array.isArray(turn.events)) fail('`events` is an array.');
      const beside = (['text', 'toolCalls', 'output', 'refusal', 'usage', 'id'] as const).filter(
        (key) => turn[key] !== undefined,
      );
      if (beside.length > 0) fail(`\`events\` are played as they are: drop ${beside.join(', ')}.`);
    }
    if (turn.trickle !== undefined) {
      const { bytes, everyMs } = turn.trickle as Partial<{ bytes: unknown; everyMs: unknown }>;
      if (
        typeof bytes !== 'number' ||
        !Number.isInteger(bytes) ||
        bytes < 1 ||
        typeof everyMs !== 'number' ||
        everyMs < 0
      )
        fail('`trickle` is { bytes, everyMs }: a whole number of bytes of at least 1, and milliseconds of 0 or more.');
    }
    if (consumer === 'fakeModel') {
      if (turn.error !== undefined && turn.stall !== undefined)
        fail('a call either fails (`error`) or stalls, not both.');
      if ((turn.error !== undefined || turn.stall !== undefined) && turn.toolCalls !== undefined) {
        fail('a call that fails or stalls never sends its response, so it makes no `toolCalls`.');
      }
    }
    return turn;
  });
}

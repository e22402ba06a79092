/**
 * Turns a scripted turn (the shared vocabulary of `../script.ts`) into the API-neutral plan both
 * event generators work from: the text deltas, the tool calls with their argument pieces, the ids
 * and the usage.
 */
import type { ScriptedTurn } from '../script.js';

/** One tool call, ready to stream. */
export interface PlannedToolCall {
  readonly callId: string;
  readonly name: string;
  /** The whole arguments string. */
  readonly arguments: string;
  /** `arguments` in the pieces the deltas carry. */
  readonly pieces: readonly string[];
}

/** What one generated response holds. */
export interface TurnPlan {
  /** The response id. */
  readonly id: string;
  /** 1-based turn number, used in generated item ids. */
  readonly turn: number;
  /** Text deltas, or `undefined` when the response has no assistant message. */
  readonly text: readonly string[] | undefined;
  /** Refusal deltas, or `undefined` when the model does not refuse (a refusal turn has no text). */
  readonly refusal: readonly string[] | undefined;
  readonly toolCalls: readonly PlannedToolCall[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number; readonly totalTokens: number };
}

/** The generated turns' default input token count. */
export const defaultInputTokens = 10;

const pieceLength = 8;

/** Splits text into word-sized deltas: each word with the whitespace before it. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Splits a string into pieces of `size` code points (never cutting a surrogate pair). */
export function splitPieces(text: string, size = pieceLength): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; start < points.length; start += size) {
    pieces.push(points.slice(start, start + size).join(''));
  }
  return pieces;
}

/** Whether a turn replays recorded events rather than generating them. */
export function isEventsTurn(turn: ScriptedTurn): turn is ScriptedTurn & { readonly events: readonly unknown[] } {
  return Array.isArray(turn.events);
}

function textDeltas(text: string | readonly string[] | undefined): readonly string[] | undefined {
  if (text === undefined) return undefined;
  return typeof text === 'string' ? splitWords(text) : text;
}

/**
 * The plan of a generated turn. `turnNumber` (1-based) makes the default ids: `resp_<n>` or
 * `chatcmpl-<n>` (chosen by `defaultId`), `call_<n>_<i>`.
 */
export function planTurn(turn: ScriptedTurn, turnNumber: number, defaultId: (turnNumber: number) => string): TurnPlan {
  const text = turn.output !== undefined ? splitPieces(JSON.stringify(turn.output) ?? 'null') : textDeltas(turn.text);
  const calls: PlannedToolCall[] = (turn.toolCalls ?? []).map((call, index) => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
    return {
      callId: call.callId ?? `call_${turnNumber}_${index}`,
      name: call.name,
      arguments: args,
      pieces: splitPieces(args),
    };
  });
  const refusal = textDeltas(turn.refusal);
  const pieceCount =
    (text?.length ?? 0) + (refusal?.length ?? 0) + calls.reduce((sum, call) => sum + call.pieces.length, 0);
  const inputTokens = turn.usage?.inputTokens ?? defaultInputTokens;
  const outputTokens = turn.usage?.outputTokens ?? pieceCount;
  return {
    id: turn.id ?? defaultId(turnNumber),
    turn: turnNumber,
    text,
    refusal,
    toolCalls: calls,
    usage: { inputTokens, outputTokens, totalTokens: turn.usage?.totalTokens ?? inputTokens + outputTokens },
  };
}

/**
 * The total tokens a turn's answer will report, for the rate budget: a generated turn's planned
 * usage, a recording's last reported `usage.total_tokens`; `undefined` for a `status` turn or a
 * recording that reports none.
 */
export function reportedTokens(turn: ScriptedTurn): number | undefined {
  if (turn.status !== undefined) return undefined;
  if (!isEventsTurn(turn)) return planTurn(turn, 0, () => '').usage.totalTokens;
  let total: number | undefined;
  for (const event of turn.events) {
    const fields = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
    const holder = (fields['response'] ?? fields) as Record<string, unknown> | null;
    const usage = typeof holder === 'object' && holder !== null ? holder['usage'] : undefined;
    const tokens =
      typeof usage === 'object' && usage !== null ? (usage as Record<string, unknown>)['total_tokens'] : undefined;
    if (typeof tokens === 'number') total = tokens;
  }
  return total;
}

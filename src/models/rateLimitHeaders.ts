import type { ModelEvent, RateLimitsEvent } from '../model.js';

/**
 * The `x-ratelimit-*` headers OpenAI (and the servers that copy it: Azure, Groq, OpenRouter, …)
 * send with each response, as a `rate-limits` model event; `undefined` when there are none.
 *
 * Internal to `src/models/`.
 */
export function rateLimitsOf(headers: { get(name: string): string | null }): RateLimitsEvent | undefined {
  const remainingRequests = count(headers.get('x-ratelimit-remaining-requests'));
  const remainingTokens = count(headers.get('x-ratelimit-remaining-tokens'));
  if (remainingRequests === undefined && remainingTokens === undefined) return undefined;
  const resetRequestsMs = duration(headers.get('x-ratelimit-reset-requests'));
  const resetTokensMs = duration(headers.get('x-ratelimit-reset-tokens'));
  return {
    type: 'rate-limits',
    ...(remainingRequests === undefined ? {} : { remainingRequests }),
    ...(remainingTokens === undefined ? {} : { remainingTokens }),
    ...(resetRequestsMs === undefined ? {} : { resetRequestsMs }),
    ...(resetTokensMs === undefined ? {} : { resetTokensMs }),
  };
}

function count(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** A duration as OpenAI writes it — `1s`, `6m0s`, `20ms`, `1h2m3.5s` — or plain seconds, in ms. */
export function duration(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  const unit = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
  return parts.reduce((sum, [, amount, name]) => sum + Number(amount) * unit[name as keyof typeof unit], 0);
}

/** Emits the headers' `rate-limits` event, when they have one. */
export function emitRateLimits(headers: Headers, emit: (event: ModelEvent) => void): void {
  const event = rateLimitsOf(headers);
  if (event) emit(event);
}

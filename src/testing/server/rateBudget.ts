/**
 * The local server's rate-limit budget (`ServerOptions.rateLimits`): a bucket of requests and one
 * of tokens, each holding a minute's worth and refilling continuously, as OpenAI's limits do, with
 * the `x-ratelimit-*` headers and the 429 that OpenAI sends. Time comes from `now`, so the budget
 * is tested without waiting.
 */
import { performance } from 'node:perf_hooks';
import { InvalidArgumentError } from '../../errors.js';
import { shown } from './batchChecks.js';
import { errorBody } from './respond.js';
import type { RateLimitOptions } from './types.js';

const minuteMs = 60_000;

/** One limit: `limit` a minute, of which `level` are left at time `at`. */
class Bucket {
  readonly limit: number;
  #level: number;
  #at: number;

  constructor(limit: number, at: number) {
    this.limit = limit;
    this.#level = limit;
    this.#at = at;
  }

  /** What is left at `now`, after the refill since the last look. */
  level(now: number): number {
    this.#level = Math.min(this.limit, this.#level + ((now - this.#at) * this.limit) / minuteMs);
    this.#at = Math.max(this.#at, now);
    return this.#level;
  }

  /** How long until `amount` is there (0 when it is). */
  waitFor(amount: number, now: number): number {
    const missing = Math.min(amount, this.limit) - this.level(now);
    return missing <= 0 ? 0 : (missing * minuteMs) / this.limit;
  }

  charge(amount: number, now: number): void {
    this.#level = this.level(now) - amount;
  }

  /** The `x-ratelimit-*-<name>` headers at `now`. */
  headers(name: string, now: number): Record<string, string> {
    const level = this.level(now);
    return {
      [`x-ratelimit-limit-${name}`]: String(this.limit),
      [`x-ratelimit-remaining-${name}`]: String(Math.max(0, Math.floor(level))),
      [`x-ratelimit-reset-${name}`]: formatDuration(((this.limit - level) * minuteMs) / this.limit),
    };
  }
}

/**
 * A duration as OpenAI writes it in `x-ratelimit-reset-*`: `20ms` under a second, else hours,
 * minutes and seconds with the seconds to the millisecond (`1s`, `2.16s`, `6m0s`, `1h0m0s`).
 */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = `${Number(((whole % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}

/** What admitting a request decided: go on with a ticket, or answer this 429. */
export type Admission =
  | { readonly ok: true; readonly ticket: { readonly tokens: number } }
  | {
      readonly ok: false;
      readonly status: 429;
      readonly body: unknown;
      readonly headers: Record<string, string>;
    };

function checkLimit(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError({
      argument: `options.rateLimits.${name}`,
      message: `a number > 0 a minute; got ${shown(value)}.`,
    });
  }
  return value;
}

/** The tokens a request is estimated to cost before it is answered: bytes / 4, plus its output cap. */
export function estimateTokens(body: unknown, bytes: number): number {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const cap = [fields['max_output_tokens'], fields['max_completion_tokens'], fields['max_tokens']].find(
    (value): value is number => typeof value === 'number' && value > 0,
  );
  return Math.ceil(bytes / 4) + (cap ?? 0);
}

/** A server's budget: requests and tokens a minute. */
export class RateBudget {
  readonly #requests: Bucket | undefined;
  readonly #tokens: Bucket | undefined;
  readonly #now: () => number;

  /** `undefined` when the options set no limit. Throws `InvalidArgumentError` for a bad one. */
  static of(options: RateLimitOptions | undefined, now?: () => number): RateBudget | undefined {
    if (options === undefined) return undefined;
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError({
        argument: 'options.rateLimits',
        message: `an object with requestsPerMinute and/or tokensPerMinute; got ${shown(options)}.`,
      });
    }
    const requests = checkLimit(options.requestsPerMinute, 'requestsPerMinute');
    const tokens = checkLimit(options.tokensPerMinute, 'tokensPerMinute');
    return requests === undefined && tokens === undefined ? undefined : new RateBudget(requests, tokens, now);
  }

  private constructor(requests: number | undefined, tokens: number | undefined, now = () => performance.now()) {
    const at = now();
    this.#requests = requests === undefined ? undefined : new Bucket(requests, at);
    this.#tokens = tokens === undefined ? undefined : new Bucket(tokens, at);
    this.#now = now;
  }

  /** Charges one request of `estimate` tokens, or says why it cannot be paid for now. */
  admit(estimate: number): Admission {
    const now = this.#now();
    const waits: [kind: 'requests' | 'tokens', ms: number, bucket: Bucket, wanted: number][] = [];
    if (this.#requests) waits.push(['requests', this.#requests.waitFor(1, now), this.#requests, 1]);
    if (this.#tokens) waits.push(['tokens', this.#tokens.waitFor(estimate, now), this.#tokens, estimate]);
    const blocking = waits.filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
    const [worst] = blocking;
    if (worst === undefined) {
      this.#requests?.charge(1, now);
      this.#tokens?.charge(estimate, now);
      return { ok: true, ticket: { tokens: estimate } };
    }
    const [kind, ms, bucket, wanted] = worst;
    const used = Math.ceil(bucket.limit - bucket.level(now));
    const unit = kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
    const message =
      `Rate limit reached on ${unit}: Limit ${bucket.limit}, Used ${used}, Requested ${wanted}. ` +
      `Please try again in ${formatDuration(ms)}. (The rxjs-agents local server's rateLimits budget.)`;
    const body = errorBody(429, message, 'rate_limit_exceeded') as { error: Record<string, unknown> };
    return {
      ok: false,
      status: 429,
      body: { error: { ...body.error, type: kind } },
      headers: {
        ...this.headers(),
        'retry-after': String(Math.ceil(ms / 1000)),
        'retry-after-ms': String(Math.ceil(ms)),
      },
    };
  }

  /** Corrects a ticket's tokens to what the answer reported. */
  settle(ticket: { readonly tokens: number }, tokens: number): void {
    this.#tokens?.charge(tokens - ticket.tokens, this.#now());
  }

  /** The `x-ratelimit-*` headers now. */
  headers(): Record<string, string> {
    const now = this.#now();
    return { ...this.#requests?.headers('requests', now), ...this.#tokens?.headers('tokens', now) };
  }
}

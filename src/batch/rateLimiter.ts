import { Observable, Subscription, type SchedulerLike, type TeardownLogic } from 'rxjs';
import type { ModelEvent, ModelRequest, RateLimitsEvent } from '../model.js';
import type { ModelCallGate } from '../runner/runContext.js';
import { TokenBucket } from './tokenBucket.js';

/** A waiter for the budget: granted in the order they came. */
interface Waiter {
  readonly tokens: number;
  readonly grant: () => void;
}

/**
 * The pace of a whole batch: every model call of every run waits here for a request and its
 * estimated tokens (the buckets shared by all runs), and is corrected by the usage its response
 * reports. A 429 pauses everyone for its `Retry-After`, and the call is made again (up to
 * `maxRetries` per item). The waits run on `scheduler`, so the pacing runs in virtual time.
 *
 * Internal to `src/batch/`.
 */
export class RateLimiter {
  readonly #scheduler: SchedulerLike;
  readonly #requests: TokenBucket | undefined;
  readonly #tokens: TokenBucket | undefined;
  readonly #queue: Waiter[] = [];
  readonly #onRequest: (now: number) => void;
  readonly #onTokens: (tokens: number, now: number) => void;
  #pausedUntil = 0;
  /** Calls let through and not yet ended. */
  #inFlight = 0;
  /** The recent cost of a call (a moving average of the tokens responses reported). */
  #typical = 0;
  #timer: Subscription | undefined;

  constructor(options: {
    readonly requestsPerMinute: number | undefined;
    readonly tokensPerMinute: number | undefined;
    readonly scheduler: SchedulerLike;
    /** Told of each request as it is let through, and of each response's tokens: the measured rates. */
    readonly onRequest: (now: number) => void;
    readonly onTokens: (tokens: number, now: number) => void;
  }) {
    const now = options.scheduler.now();
    this.#scheduler = options.scheduler;
    this.#requests =
      options.requestsPerMinute === undefined ? undefined : new TokenBucket(options.requestsPerMinute, now);
    this.#tokens = options.tokensPerMinute === undefined ? undefined : new TokenBucket(options.tokensPerMinute, now);
    this.#onRequest = options.onRequest;
    this.#onTokens = options.onTokens;
  }

  /**
   * The gate of one item's model calls, with its own count of 429 retries. One Observable, not a
   * chain of operators: every event of every call of the batch passes it.
   */
  gate(maxRetries: number): ModelCallGate {
    let retries = 0;
    const gate: ModelCallGate = (request, attempt) =>
      new Observable<ModelEvent>((subscriber) => {
        // Only a token budget needs the estimate (a JSON of the request): without one, none is made.
        const estimate = this.#tokens ? this.#estimate(request) : 0;
        let emitted = false;
        const call = new Subscription();
        call.add(
          this.#acquire(estimate, () => {
            this.#inFlight += 1;
            let running = true;
            const ended = (): void => {
              if (running) this.#inFlight -= 1;
              running = false;
            };
            call.add(ended);
            call.add(
              attempt.subscribe({
                next: (event) => {
                  if (event.type === 'rate-limits') return this.#serverSaid(event);
                  if (event.type !== 'progress') {
                    emitted = true;
                    if (event.type === 'response') this.#used(event.response.usage.totalTokens, estimate);
                  }
                  subscriber.next(event);
                },
                error: (error: unknown) => {
                  ended();
                  const retryAfter = rateLimitedFor(error);
                  // Only a call that has streamed nothing is made again: a retried one repeats no delta.
                  if (retryAfter === undefined || emitted || retries >= maxRetries) return subscriber.error(error);
                  retries += 1;
                  this.#pause(retryAfter);
                  call.add(
                    gate(request, attempt).subscribe({
                      next: (event) => subscriber.next(event),
                      error: (retried: unknown) => subscriber.error(retried),
                      complete: () => subscriber.complete(),
                    }),
                  );
                },
                complete: () => {
                  ended();
                  subscriber.complete();
                },
              }),
            );
          }),
        );
        return call;
      });
    return gate;
  }

  /**
   * Calls `grant` once a request and `tokens` are there (waiters are granted in order); the
   * teardown it returns leaves the queue.
   */
  #acquire(tokens: number, grant: () => void): TeardownLogic {
    if (!this.#requests && !this.#tokens && this.#pausedUntil <= this.#scheduler.now() && this.#queue.length === 0) {
      this.#onRequest(this.#scheduler.now());
      grant();
      return undefined;
    }
    const waiter: Waiter = { tokens, grant };
    this.#queue.push(waiter);
    this.#drain();
    return () => {
      const index = this.#queue.indexOf(waiter);
      if (index === -1) return;
      this.#queue.splice(index, 1);
      if (index === 0) this.#drain();
    };
  }

  /** Lets through the waiters the budget allows now, and sets a timer for the next. */
  #drain(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const now = this.#scheduler.now();
      const head = this.#queue[0] as Waiter;
      const wait = Math.max(
        this.#pausedUntil - now,
        this.#requests?.waitFor(1, now) ?? 0,
        this.#tokens?.waitFor(head.tokens, now) ?? 0,
      );
      if (wait > 0) {
        this.#timer = this.#scheduler.schedule(() => this.#drain(), wait);
        return;
      }
      this.#requests?.take(1, now);
      this.#tokens?.take(head.tokens, now);
      this.#queue.shift();
      this.#onRequest(now);
      head.grant();
    }
  }

  /**
   * What a call is charged before it is made: its request's estimate, or — once responses have
   * said — what calls have really cost lately, when that is more (an answer's tokens are not in
   * its request: without this, calls let through on their requests' estimates would overspend
   * until their answers arrived).
   */
  #estimate(request: ModelRequest): number {
    return Math.max(estimatedTokens(request), Math.ceil(this.#typical));
  }

  /** The response's real usage: the estimate given back, the real tokens taken. */
  #used(tokens: number, estimate: number): void {
    this.#typical = this.#typical === 0 ? tokens : this.#typical * 0.8 + tokens * 0.2;
    const now = this.#scheduler.now();
    this.#tokens?.take(tokens - estimate, now);
    this.#onTokens(tokens, now);
  }

  /**
   * What the server says is left of the account's budget (its `x-ratelimit-*` headers): when the
   * calls already in flight could spend it, nothing more starts until it is full again — the batch
   * slows before the server refuses it, rather than after.
   */
  #serverSaid(limits: RateLimitsEvent): void {
    const { remainingRequests, remainingTokens, resetRequestsMs, resetTokensMs } = limits;
    if (remainingRequests !== undefined && resetRequestsMs !== undefined && remainingRequests <= this.#inFlight) {
      this.#pause(resetRequestsMs);
    }
    if (
      remainingTokens !== undefined &&
      resetTokensMs !== undefined &&
      remainingTokens <= Math.max(this.#typical, 1) * this.#inFlight
    ) {
      this.#pause(resetTokensMs);
    }
  }

  #pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#scheduler.now() + ms);
    this.#drain();
  }

  /** Ends the timer (the batch is over or unsubscribed). */
  close(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    this.#queue.length = 0;
  }
}

/** A request's tokens before it is made: a quarter of its characters, plus the most it may answer. */
export function estimatedTokens(request: ModelRequest): number {
  let characters = request.instructions?.length ?? 0;
  try {
    characters += JSON.stringify(request.input).length + JSON.stringify(request.tools).length;
  } catch {
    // An input JSON cannot say: the instructions alone are counted; the response corrects it.
  }
  return Math.ceil(characters / 4) + (request.settings.maxOutputTokens ?? 0);
}

/** How long a 429 asks to wait, in ms (1 s when it does not say); `undefined` for any other error. */
function rateLimitedFor(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, retryAfterMs } = error as { status?: unknown; retryAfterMs?: unknown };
  if (status !== 429) return undefined;
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0 ? retryAfterMs : 1000;
}

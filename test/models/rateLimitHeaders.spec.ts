/** The `x-ratelimit-*` headers as a `rate-limits` model event, and OpenAI's way of writing durations. */
import { describe, expect, it } from 'vitest';
import { duration, rateLimitsOf } from '../../src/models/rateLimitHeaders.js';

describe('rateLimitsOf', () => {
  it('reads what is left and when each budget is full again', () => {
    const headers = new Headers({
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-remaining-tokens': '149984',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(rateLimitsOf(headers)).toEqual({
      type: 'rate-limits',
      remainingRequests: 59,
      remainingTokens: 149984,
      resetRequestsMs: 1000,
      resetTokensMs: 360_000,
    });
  });

  it('gives nothing for a response without them, and leaves out what does not read', () => {
    expect(rateLimitsOf(new Headers())).toBeUndefined();
    expect(
      rateLimitsOf(new Headers({ 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': 'soon' })),
    ).toEqual({ type: 'rate-limits', remainingTokens: 10 });
  });

  it('reads durations as OpenAI writes them', () => {
    expect(duration('20ms')).toBe(20);
    expect(duration('1h2m3.5s')).toBe(3_723_500);
    expect(duration('2')).toBe(2000);
    expect(duration('2x')).toBeUndefined();
    expect(duration('')).toBeUndefined();
  });
});

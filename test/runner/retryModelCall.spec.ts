/**
 * Replay-safe retries and the idle timeout of one model call, in virtual time: which failures are
 * retried, when (exponential backoff with jitter, Retry-After), and that every attempt and timer
 * is unsubscribed.
 */
import { describe, expect, it } from 'vitest';
import type { Observable } from 'rxjs';
import { ModelProviderError, ModelTimeoutError } from '../../src/errors.js';
import type { ModelEvent } from '../../src/model.js';
import { backoffDelay, guardModelCall, isRetryable, retryModelCall } from '../../src/runner/retryModelCall.js';
import type { RetryPolicy } from '../../src/runner/runOptions.js';
import { runMarbles as marbles } from '../helpers/marbles.js';

const usage = { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 };
const values: Record<string, ModelEvent> = {
  r: { type: 'raw', data: { type: 'response.created' } },
  t: { type: 'text-delta', delta: 'Hel' },
  u: { type: 'text-delta', delta: 'Hello' },
  R: { type: 'response', response: { id: 'resp', output: [], usage } },
};
const dropped = new ModelProviderError({
  message: 'OpenAI Responses API stream failed: the connection broke off.',
  retryable: true,
});
const unauthorized = new ModelProviderError({
  message: 'OpenAI Responses API request failed: 401 Incorrect API key provided',
  status: 401,
});
const rateLimited = (retryAfterMs: number) =>
  new ModelProviderError({ message: 'OpenAI Responses API request failed: 429 Slow down', status: 429, retryAfterMs });

/** Delays of 10, 20, 40 … ms with `random` 0 (the lower half of the jitter range). */
const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetries: 3,
  initialDelayMs: 20,
  maxDelayMs: 1_000,
  afterOutput: false,
  ...overrides,
});
const noJitter = { random: () => 0 };

/** A call that plays `attempts` in turn, one per subscription. */
function attemptsOf<T extends Observable<ModelEvent>>(attempts: T[]): () => T {
  let next = 0;
  return () => {
    const attempt = attempts[next++];
    if (attempt === undefined) throw new Error('more attempts than scripted');
    return attempt;
  };
}

describe('retryModelCall', () => {
  it('retries silently, after the backoff, a call that failed with only raw events out', () => {
    marbles(({ cold, expectObservable, expectSubscriptions, time }) => {
      const first = cold<ModelEvent>('  -r-#', values, dropped);
      const second = cold<ModelEvent>(' -t-R|', values);
      const backoff = time('              ----------|'); // 10 ms: half of initialDelayMs, random 0
      const call = retryModelCall(attemptsOf([first, second]), policy(), { ...noJitter });
      expectObservable(call).toBe('     -r 12ms t-R|', values);
      expectSubscriptions(first.subscriptions).toBe('  ^--!');
      expectSubscriptions(second.subscriptions).toBe(' 13ms ^---!');
      expect(backoff).toBe(10);
    });
  });

  it('fails with partial output, not retried, when the call had streamed text and afterOutput is off', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ModelEvent>('-r-t-#', values, dropped);
      const call = retryModelCall(attemptsOf([first]), policy(), noJitter);
      expectObservable(call).toBe('   -r-t-#', values, dropped);
      expectSubscriptions(first.subscriptions).toBe('^----!');
    });
  });

  it('with afterOutput, emits a restart marker at the failure, then retries after the backoff', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ModelEvent>(' -t-#', values, dropped);
      const second = cold<ModelEvent>('-u-R|', values);
      const call = retryModelCall(attemptsOf([first, second]), policy({ afterOutput: true }), noJitter);
      expectObservable(call).toBe('    -t-x 10ms u-R|', {
        ...values,
        x: { type: 'restart', attempt: 2, reason: { name: 'ModelProviderError', message: dropped.message } },
      });
      expectSubscriptions(second.subscriptions).toBe('13ms ^---!');
    });
  });

  it('does not retry what another try cannot fix (401): the error passes at once', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ModelEvent>('--#', values, unauthorized);
      expectObservable(retryModelCall(attemptsOf([first]), policy(), noJitter)).toBe('--#', values, unauthorized);
      expectSubscriptions(first.subscriptions).toBe('^-!');
    });
  });

  it('backs off exponentially (10, 20, 40 ms), then fails with the last error once maxRetries are spent', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = [0, 1, 2, 3].map(() => cold<ModelEvent>('#', values, dropped));
      const call = retryModelCall(attemptsOf(attempts), policy(), noJitter);
      expectObservable(call).toBe('70ms #', values, dropped);
      expectSubscriptions(attempts[0]!.subscriptions).toBe('(^!)');
      expectSubscriptions(attempts[1]!.subscriptions).toBe('10ms (^!)');
      expectSubscriptions(attempts[2]!.subscriptions).toBe('30ms (^!)');
      expectSubscriptions(attempts[3]!.subscriptions).toBe('70ms (^!)');
    });
  });

  it('caps the backoff at maxDelayMs', () => {
    marbles(({ cold, expectObservable }) => {
      const attempts = [0, 1, 2, 3].map(() => cold<ModelEvent>('#', values, dropped));
      // ceilings 20, 40, 50 (capped); `random` 1 waits the whole ceiling
      const call = retryModelCall(attemptsOf(attempts), policy({ maxDelayMs: 50 }), { random: () => 1 });
      expectObservable(call).toBe('110ms #', values, dropped);
    });
  });

  it('honours Retry-After: waits what the provider asked rather than the shorter backoff', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ModelEvent>('#', values, rateLimited(300));
      const second = cold<ModelEvent>('(R|)', values);
      const call = retryModelCall(attemptsOf([first, second]), policy(), noJitter);
      expectObservable(call).toBe('300ms (R|)', values);
      expectSubscriptions(second.subscriptions).toBe('300ms (^!)');
    });
  });

  it('gives up at once when Retry-After asks for more than maxDelayMs, keeping retryAfterMs on the error', () => {
    marbles(({ cold, expectObservable }) => {
      const error = rateLimited(5_000);
      const call = retryModelCall(attemptsOf([cold<ModelEvent>('-#', values, error)]), policy(), noJitter);
      expectObservable(call).toBe('-#', values, error);
    });
  });

  it('retries a call that hit the idle timeout; the stalled attempt is unsubscribed when it fires', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stalled = cold<ModelEvent>('-r----------R|', values);
      const second = cold<ModelEvent>(' -t-R|', values);
      const call = guardModelCall(attemptsOf([stalled, second]), { idleTimeoutMs: 3, retry: policy() }, noJitter);
      // r at 1; nothing for 3 ms → timeout at 4; backoff 10 → second attempt at 14
      expectObservable(call).toBe('-r 13ms t-R|', values);
      expectSubscriptions(stalled.subscriptions).toBe('^---!');
      expectSubscriptions(second.subscriptions).toBe('14ms ^---!');
    });
  });

  it('fails with ModelTimeoutError when retries are off', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stalled = cold<ModelEvent>('--r-------R|', values);
      const call = guardModelCall(attemptsOf([stalled]), { idleTimeoutMs: 5 });
      expectObservable(call).toBe('--r----#', values, new ModelTimeoutError({ timeoutMs: 5 }));
      expectSubscriptions(stalled.subscriptions).toBe('^------!');
    });
  });

  it('unsubscribing during the backoff cancels it: no further attempt is made', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ModelEvent>('-#', values, dropped);
      const second = cold<ModelEvent>('R|', values);
      const call = retryModelCall(attemptsOf([first, second]), policy(), noJitter);
      expectObservable(call, '^----!').toBe('-', values);
      expectSubscriptions(first.subscriptions).toBe('^!');
      expectSubscriptions(second.subscriptions).toBe([]);
    });
  });

  it('unsubscribing during an attempt unsubscribes that attempt', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ModelEvent>('-r-t-----R|', values);
      expectObservable(retryModelCall(attemptsOf([first]), policy(), noJitter), '^---!').toBe('-r-t', values);
      expectSubscriptions(first.subscriptions).toBe('^---!');
    });
  });

  it('without a policy makes exactly one attempt', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ModelEvent>('-#', values, dropped);
      expectObservable(retryModelCall(attemptsOf([first]), undefined)).toBe('-#', values, dropped);
      expectSubscriptions(first.subscriptions).toBe('^!');
    });
  });

  it('counts silent retries in the attempt numbers of later restarts', () => {
    marbles(({ cold, expectObservable }) => {
      const first = cold<ModelEvent>(' #', values, dropped);
      const second = cold<ModelEvent>('-t#', values, dropped);
      const third = cold<ModelEvent>(' u-R|', values);
      const call = retryModelCall(attemptsOf([first, second, third]), policy({ afterOutput: true }), noJitter);
      // attempt 2 at 10: t at 11, fails at 12 → restart to attempt 3, backoff 20 → attempt 3 at 32
      expectObservable(call).toBe('11ms tx 19ms u-R|', {
        ...values,
        x: { type: 'restart', attempt: 3, reason: { name: 'ModelProviderError', message: dropped.message } },
      });
    });
  });
});

describe('backoffDelay', () => {
  it('lies between half of and the whole exponential ceiling', () => {
    const p = policy({ initialDelayMs: 100, maxDelayMs: 10_000 });
    expect(backoffDelay(p, 1, () => 0)).toBe(50);
    expect(backoffDelay(p, 1, () => 0.5)).toBe(75);
    expect(backoffDelay(p, 3, () => 0)).toBe(200);
    expect(backoffDelay(p, 20, () => 0)).toBe(5_000);
  });

  it('is at least Retry-After, and undefined beyond maxDelayMs', () => {
    const p = policy({ initialDelayMs: 100, maxDelayMs: 1_000 });
    expect(backoffDelay(p, 1, () => 0, 700)).toBe(700);
    expect(backoffDelay(p, 1, () => 0, 10)).toBe(50);
    expect(backoffDelay(p, 1, () => 0, 1_001)).toBeUndefined();
  });
});

describe('isRetryable', () => {
  it.each([
    [new ModelTimeoutError({ timeoutMs: 100 }), true],
    [new ModelProviderError({ message: 'x', status: 429 }), true],
    [new ModelProviderError({ message: 'x', status: 500 }), true],
    [new ModelProviderError({ message: 'x', status: 503 }), true],
    [new ModelProviderError({ message: 'x', status: 408 }), true],
    [new ModelProviderError({ message: 'x', status: 400 }), false],
    [new ModelProviderError({ message: 'x', status: 401 }), false],
    [new ModelProviderError({ message: 'x', code: 'max_output_tokens', retryable: false }), false],
    [new ModelProviderError({ message: 'x' }), false],
    [Object.assign(new Error('custom'), { retryable: true }), true],
    [new Error('plain'), false],
    ['a string', false],
  ])('%s → %s', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

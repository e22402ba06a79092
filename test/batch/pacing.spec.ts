/**
 * A batch paced to rate limits, in virtual time: over ten simulated minutes the requests and the
 * tokens of every minute stay within 5% under the limits, and a 429 pauses every run for its
 * Retry-After before the call is made again.
 */
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Agent, ModelProviderError, Runner, type BatchEvent } from '../../src/index.js';
import { echoModel } from './batchModels.js';

const minute = 60_000;

/** How many of `times` fall in each whole minute from 0 to `minutes`. */
function perMinute(times: readonly number[], minutes: number): number[] {
  return Array.from({ length: minutes }, (_, m) => times.filter((t) => t >= m * minute && t < (m + 1) * minute).length);
}

describe('runBatch pacing', () => {
  it('keeps every minute of ten within 5% under requestsPerMinute', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
    const model = echoModel({ scheduler, delayMs: () => 200 });
    const agent = new Agent({ name: 'Echo', model });
    const items = Array.from({ length: 1200 }, (_, i) => `q${i}`);
    const subscription = new Runner()
      .runBatch(agent, items, { concurrency: 50, requestsPerMinute: 100, scheduler })
      .subscribe();
    scheduler.schedule(() => subscription.unsubscribe(), 10 * minute);
    scheduler.flush();
    const counts = perMinute(
      model.calls.map((call) => call.startedAt),
      10,
    );
    for (const count of counts) {
      expect(count).toBeLessThanOrEqual(100);
      expect(count).toBeGreaterThanOrEqual(95);
    }
  });

  it('keeps every minute within 5% under tokensPerMinute, charging estimates and correcting them by usage', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
    // Each answer reports 1,000 tokens: far more than the request's estimate.
    const model = echoModel({ scheduler, delayMs: () => 500, tokens: 1000 });
    const agent = new Agent({ name: 'Echo', model });
    const items = Array.from({ length: 1000 }, (_, i) => `q${i}`);
    const subscription = new Runner()
      .runBatch(agent, items, { concurrency: 20, tokensPerMinute: 20_000, scheduler })
      .subscribe();
    scheduler.schedule(() => subscription.unsubscribe(), 10 * minute);
    scheduler.flush();
    // Tokens are used when each answer ends.
    const tokens = perMinute(
      model.calls.filter((call) => !call.cancelled).map((call) => call.ended!),
      10,
    ).map((answers) => answers * 1000);
    // The first minute spends what the estimates let through before the answers correct them.
    for (const used of tokens.slice(1)) {
      expect(used).toBeLessThanOrEqual(20_000 * 1.0 + 1000);
      expect(used).toBeGreaterThanOrEqual(20_000 * 0.95 - 1000);
    }
  });

  it('a 429 pauses every run for its Retry-After, then the call is made again', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
    const model = echoModel({
      scheduler,
      delayMs: () => 100,
      failure: (_question, call) =>
        call === 3
          ? new ModelProviderError({ message: 'Rate limit reached', status: 429, retryAfterMs: 5000 })
          : undefined,
    });
    const agent = new Agent({ name: 'Echo', model });
    const items = Array.from({ length: 6 }, (_, i) => `q${i}`);
    const events: BatchEvent<string>[] = [];
    new Runner().runBatch(agent, items, { concurrency: 3, scheduler }).subscribe((event) => events.push(event));
    scheduler.flush();
    // Calls 1–3 start at 0; call 3 (q2) is refused at 100: nothing starts until 5,100.
    const starts = model.calls.map((call) => [call.question, call.startedAt]);
    expect(starts.slice(0, 3)).toEqual([
      ['q0', 0],
      ['q1', 0],
      ['q2', 0],
    ]);
    expect(starts.slice(3).every(([, at]) => (at as number) >= 5100)).toBe(true);
    expect(starts.slice(3).map(([question]) => question)).toEqual(expect.arrayContaining(['q2', 'q3', 'q4', 'q5']));
    expect(events.filter((event) => event.type === 'item-failed')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'batch-completed', completed: 6, failed: 0 });
  });

  it('an item whose 429s outlast maxRetries fails alone, with the API error', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
    const model = echoModel({
      scheduler,
      delayMs: () => 10,
      failure: (question) =>
        question === 'q1' ? new ModelProviderError({ message: 'Rate limit reached', status: 429 }) : undefined,
    });
    const agent = new Agent({ name: 'Echo', model });
    const events: BatchEvent<string>[] = [];
    new Runner()
      .runBatch(agent, ['q0', 'q1', 'q2'], { maxRetries: 2, scheduler })
      .subscribe((event) => events.push(event));
    scheduler.flush();
    expect(model.calls.filter((call) => call.question === 'q1')).toHaveLength(3);
    expect(events.find((event) => event.type === 'item-failed')).toMatchObject({
      id: '1',
      error: { name: 'ModelProviderError', status: 429, message: 'Rate limit reached' },
    });
    expect(events.at(-1)).toMatchObject({ type: 'batch-completed', completed: 2, failed: 1 });
  });
});

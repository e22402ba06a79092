/**
 * runBatch() in virtual time: every item once, in completion order, failures isolated to their
 * items, at most `concurrency` runs at once, items read lazily, progress and the final count, and
 * unsubscribing cancels the runs in flight.
 */
import {
  asyncScheduler,
  from,
  lastValueFrom,
  Subject,
  toArray,
  VirtualAction,
  VirtualTimeScheduler,
  type Observable,
} from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  InvalidArgumentError,
  ModelProviderError,
  Runner,
  type BatchEvent,
  type BatchItems,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { echoModel, type EchoOptions } from './batchModels.js';

function setup(options: Partial<EchoOptions> = {}) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const model = echoModel({ scheduler, ...options });
  const agent = new Agent({ name: 'Echo', model });
  const runner = new Runner();
  const collect = (events: Observable<BatchEvent<string>>) => {
    const seen: BatchEvent<string>[] = [];
    let error: unknown;
    let completed = false;
    const subscription = events.subscribe({
      next: (event) => seen.push(event),
      error: (e: unknown) => (error = e),
      complete: () => (completed = true),
    });
    return { seen, subscription, state: () => ({ error, completed }) };
  };
  return { scheduler, model, agent, runner, collect };
}

describe('runBatch', () => {
  it('runs every item once, in completion order, at most `concurrency` at once; a failure stays with its item', () => {
    const { scheduler, model, agent, runner, collect } = setup({
      delayMs: (question) => 10 + (Number(question.slice(1)) % 7) * 13,
      failure: (question) =>
        question === 'q13'
          ? new ModelProviderError({ message: 'server error', status: 500, retryable: false })
          : undefined,
    });
    const items = Array.from({ length: 50 }, (_, i) => ({ id: `item-${i}`, input: `q${i}` }));
    const { seen, state } = collect(runner.runBatch(agent, items, { concurrency: 4, scheduler }));
    scheduler.flush();

    expect(state()).toEqual({ error: undefined, completed: true });
    expect(model.maxInFlight).toBe(4);
    const ends = seen.filter((event) => event.type === 'item-completed' || event.type === 'item-failed');
    expect(ends.map((event) => event.id).sort()).toEqual(items.map((item) => item.id).sort());
    const failed = ends.filter((event) => event.type === 'item-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id: 'item-13',
      error: { name: 'ModelProviderError', message: 'server error', status: 500 },
      partial: { text: '' },
    });
    const completed = ends.find((event) => event.id === 'item-2');
    expect(completed).toEqual({
      type: 'item-completed',
      id: 'item-2',
      finalOutput: 'answer to q2',
      usage: { requests: 1, inputTokens: 5, outputTokens: 5, totalTokens: 10 },
    });
    // Completion order: each item's end comes when its model call ended.
    const endTimes = ends.map(
      (event) => model.calls.find((call) => `item-${call.question.slice(1)}` === event.id)!.ended!,
    );
    expect(endTimes).toEqual([...endTimes].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual({
      type: 'batch-completed',
      completed: 49,
      failed: 1,
      skipped: 0,
      usage: { requests: 49, inputTokens: 245, outputTokens: 245, totalTokens: 490 },
    });
    expect(seen.at(-2)).toMatchObject({ type: 'batch-progress', total: 50, completed: 49, failed: 1, inFlight: 0 });
  });

  it('sends batch-progress at most every progressIntervalMs, only with news', () => {
    const { scheduler, agent, runner, collect } = setup({ delayMs: () => 1000 });
    const items = Array.from({ length: 6 }, (_, i) => `q${i}`);
    const { seen } = collect(runner.runBatch(agent, items, { concurrency: 2, progressIntervalMs: 250, scheduler }));
    const times: number[] = [];
    const subscription = runner
      .runBatch(agent, items, { concurrency: 2, progressIntervalMs: 250, scheduler })
      .subscribe((event) => event.type === 'batch-progress' && times.push(scheduler.now()));
    scheduler.flush();
    subscription.unsubscribe();
    // Calls start at 0, 1000, 2000 (two at a time): news at the tick at 250 (requests made), at
    // the ticks at 1000 and 2000 (answers, new requests), none between, and once at the end.
    expect(times).toEqual([250, 1000, 2000, 3000]);
    expect(seen.filter((event) => event.type === 'batch-progress').at(-1)).toMatchObject({ completed: 6, inFlight: 0 });
  });

  it('reads an iterable lazily: an item is taken only when a run can start', () => {
    const { scheduler, agent, runner, collect } = setup();
    let taken = 0;
    function* questions() {
      for (let i = 0; i < 1_000_000; i++) {
        taken += 1;
        yield `q${i}`;
      }
    }
    const { seen, subscription } = collect(runner.runBatch(agent, questions(), { concurrency: 3, scheduler }));
    expect(taken).toBe(3);
    scheduler.schedule(() => subscription.unsubscribe(), 250);
    scheduler.flush();
    // Three at 0, three more as they end at 100 and at 200: nothing read ahead.
    expect(taken).toBe(9);
    expect(seen.filter((event) => event.type === 'item-completed')).toHaveLength(6);
  });

  it('unsubscribing cancels the runs in flight and takes no more items', () => {
    const { scheduler, model, agent, runner, collect } = setup({ delayMs: () => 100 });
    const items = Array.from({ length: 10 }, (_, i) => `q${i}`);
    const { subscription } = collect(runner.runBatch(agent, items, { concurrency: 3, scheduler }));
    scheduler.schedule(() => subscription.unsubscribe(), 150);
    scheduler.flush();
    expect(model.calls.map((call) => call.question)).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5']);
    expect(model.calls.filter((call) => call.cancelled).map((call) => call.question)).toEqual(['q3', 'q4', 'q5']);
    expect(scheduler.actions).toEqual([]);
  });

  it('takes async iterables and Observables of items or bare inputs (ids are positions); a bad item fails alone', async () => {
    const model = echoModel({ scheduler: asyncScheduler, delayMs: () => 0 });
    const agent = new Agent({ name: 'Echo', model });
    async function* questions() {
      yield 'a';
      yield { id: 'named', input: 'b' };
      yield 42 as unknown as string;
    }
    const sources: BatchItems[] = [questions(), from(['a', { id: 'named', input: 'b' }, 42 as unknown as string])];
    for (const source of sources) {
      const events = await lastValueFrom(new Runner().runBatch(agent, source).pipe(toArray()));
      const ends = events.filter((event) => event.type === 'item-completed' || event.type === 'item-failed');
      expect(ends.map((event) => [event.type, event.id]).sort()).toEqual([
        ['item-completed', '0'],
        ['item-completed', 'named'],
        ['item-failed', '2'],
      ]);
      expect(ends.find((event) => event.id === '2')).toMatchObject({
        error: { name: 'InvalidArgumentError', message: expect.stringContaining('items[2]') },
      });
      expect(events.at(-1)).toMatchObject({ type: 'batch-completed', completed: 2, failed: 1 });
    }
  });

  it('an Observable of items is read as it emits; the batch ends when it completes', () => {
    const { scheduler, agent, runner, collect } = setup({ delayMs: () => 10 });
    const items = new Subject<string>();
    const { seen, state } = collect(runner.runBatch(agent, items, { scheduler }));
    items.next('a');
    scheduler.flush();
    expect(seen.filter((event) => event.type === 'item-completed')).toHaveLength(1);
    items.next('b');
    items.complete();
    scheduler.flush();
    expect(state().completed).toBe(true);
    expect(seen.at(-1)).toMatchObject({ type: 'batch-completed', completed: 2 });
  });

  it('refuses bad options where they are given, naming them', () => {
    const { agent, runner } = setup();
    expect(() => runner.runBatch(agent, [], { concurrency: 0 })).toThrow(InvalidArgumentError);
    expect(() => runner.runBatch(agent, [], { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => runner.runBatch(agent, [], { requestsPerMinute: -1 })).toThrow(/requestsPerMinute/);
    expect(() => runner.runBatch(agent, [], { checkpoint: 3 as unknown as string })).toThrow(/checkpoint/);
    expect(() => runner.runBatch(agent, [], { maxTurns: 0 })).toThrow(/maxTurns/);
    expect(() => runner.runBatch(agent, [], { session: {} } as never)).toThrow(/session/);
    expect(() => runner.runBatch(agent, 5 as unknown as string[])).toThrow(/items/);
  });
});

describe('runBatch with a synchronous model', () => {
  it('runs items whose runs end while they are subscribed, without growing the stack', async () => {
    const turns = Array.from({ length: 2000 }, (_, i) => ({ text: [`answer ${i}`] }));
    const agent = new Agent({ name: 'Sync', model: fakeModel(turns) });
    const items = Array.from({ length: 2000 }, (_, i) => `q${i}`);
    const events = await lastValueFrom(new Runner().runBatch(agent, items, { concurrency: 1 }).pipe(toArray()));
    expect(events.filter((event) => event.type === 'item-completed')).toHaveLength(2000);
    expect(events.find((event) => event.type === 'item-completed' && event.id === '1999')).toMatchObject({
      finalOutput: 'answer 1999',
    });
    expect(events.at(-1)).toMatchObject({ type: 'batch-completed', completed: 2000, failed: 0 });
  });
});

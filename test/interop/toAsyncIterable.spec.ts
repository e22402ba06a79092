import { concat, NEVER, of, range, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toAsyncIterable } from '../../src/interop/toAsyncIterable.js';
import { counted } from '../helpers/counted.js';
import { sampleRun, sampleRunEvents } from '../helpers/sampleRunEvents.js';
import { growthRatio } from '../helpers/growth.js';
import { pausableCounter, settledMicrotasks } from '../helpers/pausable.js';
import { nextMacrotask } from '../helpers/waiting.js';

describe('toAsyncIterable', () => {
  it('delivers every value in order to for await', async () => {
    const seen = [];
    for await (const event of toAsyncIterable(sampleRun(1))) seen.push(event);
    expect(seen).toEqual(sampleRunEvents);
  });

  it('delivers a synchronous source, and nothing for an empty one', async () => {
    const seen: number[] = [];
    for await (const value of toAsyncIterable(of(1, 2, 3))) seen.push(value);
    for await (const value of toAsyncIterable(of<number>())) seen.push(value);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws the error after the values before it, even to a slow loop', async () => {
    const seen: number[] = [];
    const loop = async (): Promise<void> => {
      for await (const value of toAsyncIterable(
        concat(
          of(1, 2, 3),
          throwError(() => new Error('model failed')),
        ),
      )) {
        await nextMacrotask(); // a slow loop: the source could run ahead meanwhile
        seen.push(value);
      }
    };
    await expect(loop()).rejects.toThrow('model failed');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('subscribes when a loop starts, once per loop', async () => {
    const run = counted(of('a', 'b'));
    const iterable = toAsyncIterable(run.source);
    expect(run.subscribed()).toBe(0);
    for await (const _ of iterable) void _;
    for await (const _ of iterable) void _;
    expect(run.subscribed()).toBe(2);
  });

  it('unsubscribes on break', async () => {
    const run = counted(concat(sampleRun(1, sampleRunEvents.slice(0, 3)), NEVER));
    const seen = [];
    for await (const event of toAsyncIterable(run.source)) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(sampleRunEvents.slice(0, 2));
    expect(run.tornDown()).toBe(1);
  });

  it('unsubscribes when the loop body throws', async () => {
    const run = counted(concat(of(1), NEVER));
    const loop = async (): Promise<void> => {
      for await (const value of toAsyncIterable(run.source)) throw new Error(`stop at ${value}`);
    };
    await expect(loop()).rejects.toThrow('stop at 1');
    expect(run.tornDown()).toBe(1);
  });
});

describe('toAsyncIterable: backpressure and cost', () => {
  it('asks a pausable source to pause once highWaterMark values wait, and to go on when they are taken', async () => {
    const pausable = pausableCounter();
    const iterator = toAsyncIterable(pausable.source, { highWaterMark: 4 })[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 0 });
    await settledMicrotasks();
    // Taken once, then stalled: the source produced the value taken and highWaterMark more, and waits.
    expect(pausable.produced()).toBe(5);
    for (let i = 1; i <= 10; i += 1) expect(await iterator.next()).toEqual({ done: false, value: i });
    await settledMicrotasks();
    expect(pausable.produced()).toBe(15);
    await iterator.return?.();
    await settledMicrotasks();
    expect(pausable.running()).toBe(false);
  });

  it('answers next() calls made without waiting, in order', async () => {
    const iterator = toAsyncIterable(concat(of(1, 2), NEVER))[Symbol.asyncIterator]();
    const [a, b, c] = [iterator.next(), iterator.next(), iterator.next()];
    expect(await a).toEqual({ done: false, value: 1 });
    expect(await b).toEqual({ done: false, value: 2 });
    await iterator.return?.();
    expect(await c).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('starts no run for an iterator closed before its first next()', async () => {
    const run = counted(of(1));
    const iterator = toAsyncIterable(run.source)[Symbol.asyncIterator]();
    await iterator.return?.();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(run.subscribed()).toBe(0);
  });

  it('checks highWaterMark where it is given', () => {
    for (const highWaterMark of [0, -1, 1.5, NaN]) {
      expect(() => toAsyncIterable(of(1), { highWaterMark })).toThrow(
        expect.objectContaining({ argument: 'options.highWaterMark' }),
      );
    }
  });

  it('drains a backlog in linear time: the cost of 10n values is far less than 100 times that of n', async () => {
    const drain = async (n: number): Promise<void> => {
      let count = 0;
      for await (const _ of toAsyncIterable(range(0, n))) count += 1;
      expect(count).toBe(n);
    };
    expect(await growthRatio(drain, 20_000)).toBeLessThan(25);
  });
});

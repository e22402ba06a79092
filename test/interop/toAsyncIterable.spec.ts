import { concat, NEVER, of, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toAsyncIterable } from '../../src/interop/toAsyncIterable.js';
import { counted } from '../helpers/counted.js';
import { sampleRun, sampleRunEvents } from '../helpers/sampleRunEvents.js';
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

import { concat, lastValueFrom, NEVER, of, range, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toServerSentEvents } from '../../operators/toServerSentEvents.js';
import { fromServerSentEvents } from '../../src/interop/fromServerSentEvents.js';
import { toReadableStream } from '../../src/interop/toReadableStream.js';
import { counted } from '../helpers/counted.js';
import { sampleRun, sampleRunEvents } from '../helpers/sampleRunEvents.js';
import { growthRatio } from '../helpers/growth.js';
import { pausableCounter, settledMicrotasks } from '../helpers/pausable.js';
import { nextMacrotask } from '../helpers/waiting.js';

/** Reads to the end; a `slow` reader lets the event loop turn before each read. */
async function readAll<T>(stream: ReadableStream<T>, slow = false): Promise<{ values: T[]; error?: unknown }> {
  const reader = stream.getReader();
  const values: T[] = [];
  try {
    for (;;) {
      if (slow) await nextMacrotask();
      const { done, value } = await reader.read();
      if (done) return { values };
      values.push(value);
    }
  } catch (error) {
    return { values, error };
  }
}

describe('toReadableStream', () => {
  it('delivers every value of an asynchronous source in order, then closes', async () => {
    expect(await readAll(toReadableStream(sampleRun(1)))).toEqual({ values: sampleRunEvents });
  });

  it('delivers a synchronous source and an empty one', async () => {
    expect(await readAll(toReadableStream(of(1, 2, 3)))).toEqual({ values: [1, 2, 3] });
    expect(await readAll(toReadableStream(of()))).toEqual({ values: [] });
  });

  it('subscribes on the first read, not before', async () => {
    const run = counted(of('a'));
    const stream = toReadableStream(run.source);
    await nextMacrotask(); // the stream has started (its start() settles in a promise continuation)
    expect(run.subscribed()).toBe(0);
    expect(await readAll(stream)).toEqual({ values: ['a'] });
    expect(run.subscribed()).toBe(1);
  });

  it('gives a slow reader every value before the error, none lost', async () => {
    const source = concat(
      range(1, 50),
      throwError(() => new Error('model failed')),
    );
    const { values, error } = await readAll(toReadableStream(source), true);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(error).toEqual(new Error('model failed'));
  });

  it('buffers every value a slow reader has not taken yet', async () => {
    const { values } = await readAll(toReadableStream(range(0, 10_000)));
    expect(values).toHaveLength(10_000);
    expect(values.at(-1)).toBe(9_999);
  });

  it('unsubscribes when the reader cancels', async () => {
    const run = counted(concat(sampleRun(1, sampleRunEvents.slice(0, 2)), NEVER));
    const reader = toReadableStream(run.source).getReader();
    expect((await reader.read()).value).toEqual(sampleRunEvents[0]);
    expect(run.tornDown()).toBe(0);
    await reader.cancel();
    expect(run.tornDown()).toBe(1);
  });

  it('unsubscribes when a pending read is cancelled', async () => {
    const run = counted(NEVER);
    const reader = toReadableStream(run.source).getReader();
    const pending = reader.read();
    await run.firstSubscription;
    expect(run.subscribed()).toBe(1);
    await reader.cancel();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(run.tornDown()).toBe(1);
  });

  it('makes a Response body of server-sent events that fromServerSentEvents reads back', async () => {
    const body = toReadableStream(sampleRun(1).pipe(toServerSentEvents())).pipeThrough(new TextEncoderStream());
    const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    expect(await lastValueFrom(fromServerSentEvents<string>(response).pipe(toArray()))).toEqual(sampleRunEvents);
  });
});

describe('toReadableStream: backpressure and cost', () => {
  it('asks a pausable source to pause once highWaterMark values wait, and to go on when they are read', async () => {
    const pausable = pausableCounter();
    const reader = toReadableStream(pausable.source, { highWaterMark: 4 }).getReader();
    expect((await reader.read()).value).toBe(0);
    await settledMicrotasks();
    // Read once, then stalled: the source produced the value read and highWaterMark more, and waits.
    expect(pausable.produced()).toBe(5);
    for (let i = 1; i <= 10; i += 1) expect((await reader.read()).value).toBe(i);
    await settledMicrotasks();
    expect(pausable.produced()).toBe(15);
    await reader.cancel();
    await settledMicrotasks();
    expect(pausable.running()).toBe(false);
  });

  it('never pauses with highWaterMark Infinity, and checks highWaterMark where it is given', async () => {
    const pausable = pausableCounter(100);
    const reader = toReadableStream(pausable.source, { highWaterMark: Infinity }).getReader();
    await reader.read();
    await settledMicrotasks();
    expect(pausable.produced()).toBe(100);
    await reader.cancel();
    for (const highWaterMark of [0, -1, 1.5, NaN, '16' as unknown as number]) {
      expect(() => toReadableStream(of(1), { highWaterMark })).toThrow(
        expect.objectContaining({ argument: 'options.highWaterMark' }),
      );
    }
  });

  it('drains a backlog in linear time: the cost of 10n values is far less than 100 times that of n', async () => {
    const drain = async (n: number): Promise<void> => {
      const stream = toReadableStream(range(0, n));
      const reader = stream.getReader();
      let count = 0;
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
        count += 1;
      }
      expect(count).toBe(n);
    };
    expect(await growthRatio(drain, 20_000)).toBeLessThan(25);
  });
});

/**
 * The one place that knows which marble library the tests use: RxJS's own `TestScheduler`, with
 * vitest's `expect` doing the deep comparison. Swap the implementation here and every spec follows.
 */
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

/** Errors compare by class, name, message and own enumerable fields, never by stack. */
function stripStacks(value: unknown): unknown {
  if (value instanceof Error) {
    const { stack: _stack, ...fields } = value as Error & Record<string, unknown>;
    return { ...fields, constructor: value.constructor, name: value.name, message: value.message };
  }
  if (Array.isArray(value)) return value.map(stripStacks);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, stripStacks(inner)]));
  }
  return value;
}

/** A fresh `TestScheduler` whose assertions go through vitest's `expect`. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(stripStacks(actual)).toEqual(stripStacks(expected));
  });
}

/** Runs `callback` in virtual time with the marble helpers of a fresh `TestScheduler`. */
export function marbles(callback: Parameters<TestScheduler['run']>[0]): void {
  testScheduler().run(callback);
}

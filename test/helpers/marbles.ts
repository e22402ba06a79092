/**
 * The one place that knows which marble library the tests use: rxjs-marbles (from its root entry,
 * never its jest one), with vitest's `expect` doing the deep comparison. Swap the implementation
 * here and every spec follows.
 *
 * - `marbles((m) => …)` is rxjs-marbles' own: it returns the test function, `it('…', marbles((m) => …))`,
 *   whose context `m` has `cold`, `hot`, `expect(…).toBeObservable(…)`, `expect(…).toHaveSubscriptions(…)`,
 *   `time`, `flush` and `scheduler` (the run's `TestScheduler`, for an operator's `scheduler` option).
 * - `testScheduler()` is a bare `TestScheduler` with the same comparison, and `runMarbles(callback)`
 *   runs RxJS's `TestScheduler.run` helpers inside a test, for the specs written against them.
 */
import { configure } from 'rxjs-marbles';
import type { Context } from 'rxjs-marbles';
import { TestScheduler } from 'rxjs/testing';
import { expect, TestRunner } from 'vitest';

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

/** Frames (or subscription logs) deep-equal once stacks are stripped (RxJS's `observableMatcher` habit). */
function assertDeepEqual(actual: unknown, expected: unknown): void {
  expect(stripStacks(actual)).toStrictEqual(stripStacks(expected));
}

const configured = configure({ assertDeepEqual, frameworkMatcher: true });

/** What a marble test receives: rxjs-marbles' context. */
export type MarblesContext = Context;

/**
 * A marble test for `it()`: `it('…', marbles((m) => { m.expect(…).toBeObservable('-a|', …); }))`.
 *
 * rxjs-marbles' own matcher reduces an error notification to `{ name, message }` before
 * `assertDeepEqual` sees it; the run's scheduler compares with `assertDeepEqual` directly instead,
 * so an expected error is still checked by class and fields, as with RxJS's `TestScheduler`.
 */
export function marbles(test: (m: MarblesContext) => void): () => void {
  // Called inside a running test, the returned function would never run and the test pass unchecked.
  if (TestRunner.getCurrentTest())
    throw new Error('marbles(…) returns a test function: write it(name, marbles((m) => …)), or use runMarbles(…).');
  return configured.marbles((m: MarblesContext) => {
    m.scheduler.assertDeepEqual = assertDeepEqual;
    test(m);
  });
}

/** A fresh `TestScheduler` whose assertions go through vitest's `expect`. */
export function testScheduler(): TestScheduler {
  return new TestScheduler(assertDeepEqual);
}

/** Runs `callback` in virtual time with the `run()` helpers of a fresh `TestScheduler`, inside a test. */
export function runMarbles(callback: Parameters<TestScheduler['run']>[0]): void {
  testScheduler().run(callback);
}

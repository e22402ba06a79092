/**
 * Waiting in tests without guessing at the clock. Wait for the thing itself where there is one (a
 * promise, a recorded request); `until` polls a condition where there is none to await.
 */
import { expect } from 'vitest';

/** Waits until `check()` holds, looking every 5 ms; fails the test after `timeoutMs`. */
export function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  return expect
    .poll(check, { interval: 5, timeout: timeoutMs, message: `condition not met within ${timeoutMs} ms: ${check}` })
    .toBe(true);
}

/** Resolves on the next turn of the event loop, once every pending promise continuation has run. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Waits `ms` of real time. Only for proving that nothing happens (no event after a cancel): there
 * is no event to wait for then. Keep it short, and say at the call why it is there.
 */
export function quietFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

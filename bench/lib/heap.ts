/** Waiting for the server and the heap: what the memory and concurrency parts share. */
import { collectGarbage } from './stats.js';

/** Waits until `done()` holds, polling; fails after `ms`. */
export async function until(done: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** heapUsed, and the memory outside the heap, after a forced full collection. */
export function heap(): { used: number; external: number } {
  collectGarbage();
  const usage = process.memoryUsage();
  return { used: usage.heapUsed, external: usage.external + usage.arrayBuffers };
}

/**
 * The heap once it has settled: closed sockets are let go on timers (undici's and the server's)
 * over a second or more, so a heap measured too early still holds the previous runs' sockets —
 * and a baseline taken then makes the next measurement too small. Polls until two readings 250 ms
 * apart differ by less than 64 kB, or `maxMs` has passed.
 */
export async function settledHeap(maxMs: number): Promise<{ used: number; external: number }> {
  const start = performance.now();
  let last = heap();
  while (performance.now() - start < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = heap();
    const settled = Math.abs(now.used - last.used) < 64 * 1024;
    last = now;
    if (settled) break;
  }
  return last;
}

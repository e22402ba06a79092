/**
 * How a cost grows: the time of `work(n)` and of `work(10 * n)`, in the same run, as a ratio. A
 * linear cost gives about 10, a quadratic one about 100. The ratio is what a spec asserts, never a
 * time: the machine's speed cancels out. Each size is measured a few times after a warm-up (the
 * JIT), and the fastest time kept (the one least disturbed by the rest of the machine).
 */
import { performance } from 'node:perf_hooks';

async function fastest(work: () => unknown, times: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** The cost of `work(10 * n)` over that of `work(n)`. */
export async function growthRatio(work: (n: number) => unknown, n: number): Promise<number> {
  await work(n); // warm-up
  const small = await fastest(() => work(n), 5);
  const large = await fastest(() => work(10 * n), 2);
  return large / Math.max(small, 0.01);
}

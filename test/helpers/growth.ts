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

/**
 * The cost of `work(10 * n)` over that of `work(n)`. Measured up to three times, the smallest ratio
 * kept: another process's load only ever makes a ratio larger (a 31 was seen for a linear operator
 * while CI shared the machine), and a quadratic cost stays near 100 in every try. A ratio of 12 or
 * less (plainly linear) is not measured again.
 */
export async function growthRatio(work: (n: number) => unknown, n: number): Promise<number> {
  await work(n); // warm-up
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best > 12; attempt += 1) {
    const small = await fastest(() => work(n), 5);
    const large = await fastest(() => work(10 * n), 2);
    best = Math.min(best, large / Math.max(small, 0.01));
  }
  return best;
}

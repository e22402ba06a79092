/** The statistics the benchmarks quote: medians, percentiles, ratios and a power-law fit. */

/** The value at quantile `q` (0..1) of `values`, interpolating linearly between ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Fits `y = c · x^k` by least squares on `log y = log c + k log x`, and returns `k` (the exponent:
 * 1 is linear) and the coefficient of determination of the fit in log space.
 */
export function powerFit(xs: readonly number[], ys: readonly number[]): { exponent: number; r2: number } {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const n = lx.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (lx[i] as number) - mx;
    const dy = (ly[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const exponent = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent, r2 };
}

/** Forces a full garbage collection when Node runs with `--expose-gc` (the benchmark parts do). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/**
 * `items` in a pseudo-random order that depends only on `round`: every contender goes first,
 * last, and after every other one about equally often, so neither a fixed position nor a fixed
 * predecessor (whose garbage, or whose TCP connection state, it would inherit) biases it.
 */
export function shuffled<T>(items: readonly T[], round: number): T[] {
  let seed = (round + 1) * 0x9e3779b9;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A number read from the environment, or `fallback`. */
export function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number; got '${value}'.`);
  return number;
}

/** Whether `BENCH_QUICK=1`: a smoke run with small sizes and few rounds. */
export const quick = process.env.BENCH_QUICK === '1';

/** Deterministic, token-sized text deltas (`'w17 '`, …), like a model's. */
export function makeDeltas(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `w${index % 100} `);
}

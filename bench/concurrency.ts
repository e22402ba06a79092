/**
 * Part 7 — many runs at once. R streamed runs started together on this process against the local
 * server in another, for the raw `openai` SDK's `for await` (the floor) and rxjs-agents
 * (`runStreamed` → `filterTextDeltas` through `OpenAIResponsesModel` on the same `openai` client):
 * does the CPU each delta costs stay what it costs one run alone (goal ≤ 1.2×), how late does the
 * event loop run while they stream, and what heap does each open run hold.
 *
 * Connections: the `openai` client calls the global `fetch` (undici), whose global dispatcher is an
 * `Agent` with no cap on connections per origin (`connections: null`), so all R runs get a socket of
 * their own at once; both contenders share that one client, hence that one pool.
 *
 *   BENCH_CONCURRENCY_RUNS (2000), BENCH_CONCURRENCY_DELTAS (200), BENCH_CONCURRENCY_ROUNDS (3),
 *   BENCH_CONCURRENCY_SINGLE (10: one-run repeats per round)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { log, runPart } from './lib/part.js';
import { startBenchServer, type BenchServer } from './lib/server.js';
import { heap, settledHeap, until } from './lib/heap.js';
import { collectGarbage, envNumber, makeDeltas, median, quick, shuffled } from './lib/stats.js';
import { wireContenders, type WireContender, type WireRun } from './lib/wireContenders.js';

export interface ConcurrencyRow {
  readonly name: string;
  /** One run alone: median over rounds of CPU µs per delta (each round: the median of its single runs). */
  readonly singleCpuUsPerDelta: number;
  /** R runs at once: median over rounds of this process's CPU µs per delta. */
  readonly concurrentCpuUsPerDelta: number;
  /** Median over rounds of concurrent ÷ single CPU per delta, both measured in the same round. */
  readonly cpuRatio: number;
  readonly cpuRatioMin: number;
  readonly cpuRatioMax: number;
  /** Median wall time from starting the R runs to the last one ending, ms. */
  readonly wallMs: number;
  /** Event-loop delay while the R runs stream, median over rounds, ms. */
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** Heap held per open run: R runs held after `heldDeltas` deltas (server stalling), bytes. */
  readonly heapPerRun: number;
}

export interface ConcurrencyResult {
  readonly runs: number;
  readonly deltas: number;
  readonly rounds: number;
  readonly singles: number;
  readonly heldDeltas: number;
  readonly rows: ConcurrencyRow[];
}

const runs = envNumber('BENCH_CONCURRENCY_RUNS', quick ? 200 : 2000);
const deltas = envNumber('BENCH_CONCURRENCY_DELTAS', quick ? 50 : 200);
const rounds = envNumber('BENCH_CONCURRENCY_ROUNDS', quick ? 1 : 3);
const singles = envNumber('BENCH_CONCURRENCY_SINGLE', quick ? 3 : 10);
const held = 20;
const settleMs = envNumber('BENCH_MEMORY_SETTLE_MS', 6_000);

/**
 * Waits out the server's keep-alive (Node's 5 s `keepAliveTimeout`), so that it has closed every
 * idle socket and this process has seen it. Without this, a run started just as the server closes
 * a pooled socket writes its request to it and fails with "other side closed": with the event loop
 * seconds late under 2,000 runs, undici's own timer (which retires a socket 1 s before the server's
 * hint) fires too late. So each phase opens its connections afresh, the same for both contenders.
 */
const drainPool = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5_500));

const idle = (server: BenchServer): Promise<void> =>
  until(async () => (await server.stats()).open === 0, 30_000, 'the server to close every request');

/** One run alone, `singles` times: the median CPU µs per delta. */
async function single(server: BenchServer, contender: WireContender): Promise<number> {
  await server.push({ text: makeDeltas(deltas) }, singles);
  await drainPool();
  const perDelta: number[] = [];
  for (let i = 0; i < singles; i++) {
    const run = await contender.run();
    if (run.deltas !== deltas) throw new Error(`${contender.name}: ${run.deltas} of ${deltas} deltas.`);
    perDelta.push((run.cpu * 1000) / run.deltas);
  }
  await idle(server);
  return median(perDelta);
}

interface Concurrent {
  readonly cpuUsPerDelta: number;
  readonly wallMs: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** `runs` runs started at once; CPU and event-loop delay measured over the whole of them. */
async function concurrent(server: BenchServer, contender: WireContender): Promise<Concurrent> {
  await server.push({ text: makeDeltas(deltas) }, runs);
  await drainPool();
  collectGarbage();
  // A 1 ms resolution: the histogram's own timer is then a small part of what it measures.
  const lag = monitorEventLoopDelay({ resolution: 1 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  lag.enable();
  const done: WireRun[] = await Promise.all(Array.from({ length: runs }, () => contender.run()));
  lag.disable();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const total = done.reduce((sum, run) => sum + run.deltas, 0);
  if (total !== runs * deltas) throw new Error(`${contender.name}: ${total} of ${runs * deltas} deltas.`);
  await idle(server);
  return {
    cpuUsPerDelta: (used.user + used.system) / total,
    wallMs,
    p50: lag.percentile(50) / 1e6,
    p99: lag.percentile(99) / 1e6,
    max: lag.max / 1e6,
  };
}

/**
 * `runs` runs held open after `held` deltas (the server stalls), the heap each holds over a settled
 * baseline — part 3's method, at this part's number of runs.
 */
async function heapPerRun(server: BenchServer, contender: WireContender): Promise<number> {
  await server.push({ text: makeDeltas(held + 80), stallAfter: 4 + held }, runs);
  await idle(server);
  await drainPool();
  const before = (await settledHeap(settleMs)).used;
  let cancels: (() => void)[] = [];
  let counts = new Array<number>(runs).fill(0);
  let pending: Promise<WireRun>[] = Array.from({ length: runs }, (_, i) =>
    contender.run({
      cancellable: (cancel) => cancels.push(cancel),
      onDelta: () => void (counts[i] = (counts[i] ?? 0) + 1),
    }),
  );
  await until(() => counts.every((count) => count >= held), 120_000, `${contender.name}: runs to reach delta ${held}`);
  const open = heap().used;
  for (const cancel of cancels) cancel();
  await Promise.all(pending);
  cancels = [];
  pending = [];
  counts = [];
  await idle(server);
  return (open - before) / runs;
}

await runPart('concurrency', async (): Promise<ConcurrencyResult> => {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
    throw new Error('Run this part with node --expose-gc.');
  const server = await startBenchServer();
  try {
    const { contenders: all } = wireContenders(server.url);
    const contenders = all.slice(0, 2); // the raw SDK's floor and rxjs-agents
    // Warm up: compile the hot paths, and open the pool's sockets once.
    await server.push({ text: makeDeltas(deltas) }, contenders.length * (5 + Math.min(runs, 200)));
    for (const contender of contenders) {
      for (let i = 0; i < 5; i++) await contender.run();
      await Promise.all(Array.from({ length: Math.min(runs, 200) }, () => contender.run()));
    }
    await idle(server);
    log('warmed up');

    const samples = new Map<WireContender, { single: number; many: Concurrent }[]>(contenders.map((c) => [c, []]));
    for (let round = 0; round < rounds; round++) {
      for (const contender of shuffled(contenders, round)) {
        const one = await single(server, contender);
        const many = await concurrent(server, contender);
        samples.get(contender)?.push({ single: one, many });
        log(
          `round ${round + 1}/${rounds}: ${contender.name}: one run ${one.toFixed(2)} µs/delta, ${runs} at once ` +
            `${many.cpuUsPerDelta.toFixed(2)} µs/delta (${(many.cpuUsPerDelta / one).toFixed(2)}×), ${many.wallMs.toFixed(0)} ms, ` +
            `lag p99 ${many.p99.toFixed(1)} ms`,
        );
      }
    }
    const heaps = new Map<WireContender, number>();
    for (const contender of contenders) {
      heaps.set(contender, await heapPerRun(server, contender));
      log(`${contender.name}: ${((heaps.get(contender) ?? 0) / 1024).toFixed(1)} kB per open run`);
    }
    return {
      runs,
      deltas,
      rounds,
      singles,
      heldDeltas: held,
      rows: contenders.map((contender) => {
        const s = samples.get(contender) ?? [];
        const ratios = s.map((x) => x.many.cpuUsPerDelta / x.single);
        return {
          name: contender.name,
          singleCpuUsPerDelta: median(s.map((x) => x.single)),
          concurrentCpuUsPerDelta: median(s.map((x) => x.many.cpuUsPerDelta)),
          cpuRatio: median(ratios),
          cpuRatioMin: Math.min(...ratios),
          cpuRatioMax: Math.max(...ratios),
          wallMs: median(s.map((x) => x.many.wallMs)),
          lagP50Ms: median(s.map((x) => x.many.p50)),
          lagP99Ms: median(s.map((x) => x.many.p99)),
          lagMaxMs: median(s.map((x) => x.many.max)),
          heapPerRun: heaps.get(contender) ?? Number.NaN,
        };
      }),
    };
  } finally {
    await server.close();
  }
});

/**
 * Part 3 — memory. R runs at once, each held open mid-stream by the server (it sends the first
 * deltas of an answer, then stalls with the socket open): the heap each run holds, for the raw
 * `openai` SDK (the floor: the HTTP request and the SDK's stream), rxjs-agents, `@openai/agents` and
 * the AI SDK. Needs `--expose-gc` (bench/index.ts starts this part with it).
 */
import { log, runPart } from './lib/part.js';
import { startBenchServer, type BenchServer } from './lib/server.js';
import { heap, settledHeap, until } from './lib/heap.js';
import { envNumber, makeDeltas, median, quick, shuffled } from './lib/stats.js';
import { wireContenders, type WireContender, type WireRun } from './lib/wireContenders.js';

export interface MemoryResult {
  readonly runs: number;
  readonly deltasBeforeStall: number;
  readonly repeats: number;
  readonly longRuns: number;
  readonly longDeltas: number;
  readonly results: {
    readonly name: string;
    /** Median over repeats of (heapUsed held open − heapUsed before) / runs, in bytes. */
    readonly heapPerRun: number;
    /** The same, minus the floor's in the same repeat. */
    readonly heapPerRunOverFloor: number;
    /** ArrayBuffers and other memory outside the JS heap (sockets' buffers), per run. */
    readonly externalPerRun: number;
    /** What is left once every run is cancelled and closed and the heap has settled, per run: a leak would show here. */
    readonly heapPerRunAfterAbort: number;
    /** How the heap per open run grows with the deltas received so far, bytes per delta (one repeat, fewer runs). */
    readonly bytesPerDeltaHeld: number | null;
  }[];
}

interface Sample {
  /** Heap per open run, bytes. */
  readonly perRun: number;
  readonly external: number;
  /** Heap per run left after cancelling, once settled (when asked), bytes. */
  readonly after: number;
}

/**
 * Opens `runs` runs of `contender` at once, waits until each has received `held` deltas (the server
 * then stalls, keeping them open), measures the heap, cancels them all and measures again.
 */
async function measure(
  server: BenchServer,
  contender: WireContender,
  runs: number,
  held: number,
  settleMs: number,
  checkLeak: boolean,
): Promise<Sample> {
  // created, in_progress, output_item.added, content_part.added, then `held` deltas; then a stall.
  await server.push({ text: makeDeltas(held + 80), stallAfter: 4 + held }, runs);
  await until(async () => (await server.stats()).open === 0, 10_000, 'the server to close the last requests');
  const before = await settledHeap(settleMs);
  // Each run is cancelled the way its users would: an AbortController per run for the SDKs,
  // unsubscribe for rxjs-agents (which needs no controller).
  let cancels: (() => void)[] = [];
  let counts = new Array<number>(runs).fill(0);
  let pending: Promise<WireRun>[] = [];
  for (let i = 0; i < runs; i++) {
    pending.push(
      contender.run({
        cancellable: (cancel) => cancels.push(cancel),
        onDelta: () => void (counts[i] = (counts[i] ?? 0) + 1),
      }),
    );
  }
  await until(
    () => counts.every((count) => count >= held),
    120_000,
    `${contender.name}: ${runs} runs to reach delta ${held}`,
  );
  const open = heap();
  for (const cancel of cancels) cancel();
  await Promise.all(pending);
  // Drop the harness's own references, so that what is left is what the library keeps.
  cancels = [];
  pending = [];
  counts = [];
  await until(async () => (await server.stats()).open === 0, 10_000, 'the server to see every run leave');
  // The next measurement's baseline waits for the heap to settle anyway; this one only when asked.
  const after = checkLeak ? await settledHeap(settleMs) : open;
  return {
    perRun: (open.used - before.used) / runs,
    external: (open.external - before.external) / runs,
    after: (after.used - before.used) / runs,
  };
}

async function main(): Promise<MemoryResult> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
    throw new Error('Run this part with node --expose-gc.');
  const runs = envNumber('BENCH_MEMORY_RUNS', quick ? 200 : 1_000);
  const repeats = envNumber('BENCH_MEMORY_REPEATS', quick ? 1 : 3);
  const held = envNumber('BENCH_MEMORY_DELTAS', 20);
  const settleMs = envNumber('BENCH_MEMORY_SETTLE_MS', 6_000);
  // The growth with the answer's length: fewer runs, further into the answer. 256 deltas further
  // by default, a multiple of 64: rxjs-agents joins the run's text 64 deltas at a time
  // (src/runner/runText.ts), so both counts leave the same unjoined remainder, which is bounded
  // and would otherwise be counted as growth (bench/README, finding 9). No other contender
  // keeps the deltas it has handed on.
  const longRuns = envNumber('BENCH_MEMORY_LONG_RUNS', quick ? 100 : 500);
  const longHeld = envNumber('BENCH_MEMORY_LONG_DELTAS', held + 256);
  const server = await startBenchServer();
  try {
    const { contenders, floor } = wireContenders(server.url);

    // Warm up: load every module and compile the hot paths, so the baseline already holds them.
    await server.push({ text: makeDeltas(100) }, contenders.length * 5);
    for (let i = 0; i < 5; i++) for (const contender of contenders) await contender.run();

    const samples = new Map<WireContender, Sample[]>(contenders.map((c) => [c, []]));
    const overFloor = new Map<WireContender, number[]>(contenders.map((c) => [c, []]));
    for (let repeat = 0; repeat < repeats; repeat++) {
      const inRepeat = new Map<WireContender, number>();
      for (const contender of shuffled(contenders, repeat)) {
        // The last repeat also checks what is left once every run is cancelled.
        const sample = await measure(server, contender, runs, held, settleMs, repeat === repeats - 1);
        samples.get(contender)?.push(sample);
        inRepeat.set(contender, sample.perRun);
        log(`repeat ${repeat + 1}/${repeats}: ${contender.name}: ${(sample.perRun / 1024).toFixed(1)} kB per run`);
      }
      for (const [contender, perRun] of inRepeat)
        overFloor.get(contender)?.push(perRun - (inRepeat.get(floor) as number));
    }
    // The AI SDK is left out here: it holds 250 kB per run already, and 100,000 more deltas
    // through it would take longer than the rest of this part.
    const growth = new Map<WireContender, number>();
    for (const contender of shuffled(
      contenders.filter((c) => !c.name.startsWith('ai ')),
      repeats,
    )) {
      const short = await measure(server, contender, longRuns, held, settleMs, false);
      const long = await measure(server, contender, longRuns, longHeld, settleMs, false);
      growth.set(contender, (long.perRun - short.perRun) / (longHeld - held));
      log(
        `${longRuns} runs after ${held} and ${longHeld} deltas: ${contender.name}: ${(short.perRun / 1024).toFixed(1)} and ${(long.perRun / 1024).toFixed(1)} kB per run`,
      );
    }
    return {
      runs,
      deltasBeforeStall: held,
      repeats,
      longRuns,
      longDeltas: longHeld,
      results: contenders.map((contender) => {
        const s = samples.get(contender) as Sample[];
        return {
          name: contender.name,
          heapPerRun: median(s.map((x) => x.perRun)),
          heapPerRunOverFloor: median(overFloor.get(contender) as number[]),
          externalPerRun: median(s.map((x) => x.external)),
          heapPerRunAfterAbort: (s.at(-1) as Sample).after,
          bytesPerDeltaHeld: growth.get(contender) ?? null,
        };
      }),
    };
  } finally {
    await server.close();
  }
}

await runPart('memory', main);

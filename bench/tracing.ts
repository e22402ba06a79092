/**
 * Part 5 — what tracing costs, in process. The same runs three ways in one process, in an order
 * shuffled per round: without `tracing` (the baseline), with `openTelemetry()` on a real SDK whose
 * spans and metrics go to exporters that drop them, and with `captureContent: true`. Two
 * workloads: part 2's pipeline (100,000 deltas from a synchronous synthetic model) and part 1's
 * replayed answer (20,000 deltas through the OpenAI Responses model, read from recorded bytes).
 * Each ratio is the median of per-round ratios to the baseline's run in the same round.
 */
import { log, runPart } from './lib/part.js';
import { recordEvents, replayFetch } from './lib/replay.js';
import { startBenchServer } from './lib/server.js';
import { collectGarbage, envNumber, makeDeltas, median, quick, shuffled } from './lib/stats.js';
import {
  pipelineTracingContenders,
  replayTracingContenders,
  startOtelSdk,
  type TracingContender,
} from './lib/tracingContenders.js';

export interface TracingRow {
  readonly name: string;
  readonly tracing: TracingContender['tracing'];
  readonly ms: number;
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  /** This process's CPU time (user + system), median, and its per-round ratio to the baseline's. */
  readonly cpuMs: number;
  readonly cpuRatio: number;
}

export interface TracingWorkload {
  readonly name: string;
  readonly deltas: number;
  readonly rounds: number;
  readonly rows: TracingRow[];
}

export interface TracingResult {
  readonly workloads: TracingWorkload[];
  /** Spans the no-op exporter was handed in all: proof that "on" traced. */
  readonly spansExported: number;
}

async function measure(
  name: string,
  contenders: TracingContender[],
  options: { deltas: number; rounds: number; warmups: number; expected: number; sync: boolean },
): Promise<TracingWorkload> {
  const baseline = contenders.find((c) => c.tracing === 'off') as TracingContender;
  const times = new Map<TracingContender, number[]>(contenders.map((c) => [c, []]));
  const ratios = new Map<TracingContender, number[]>(contenders.map((c) => [c, []]));
  const cpuTimes = new Map<TracingContender, number[]>(contenders.map((c) => [c, []]));
  const cpuRatios = new Map<TracingContender, number[]>(contenders.map((c) => [c, []]));
  for (let round = -options.warmups; round < options.rounds; round++) {
    const inRound = new Map<TracingContender, number>();
    const cpuInRound = new Map<TracingContender, number>();
    for (const contender of shuffled(contenders, round + options.warmups)) {
      // As in parts 1 and 2: a full GC first; the fast in-process pipeline then runs once untimed,
      // since the first run after a full GC pays for cold caches.
      collectGarbage();
      if (options.sync) await contender.run();
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const chars = await contender.run();
      const ms = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      cpuInRound.set(contender, (cpu.user + cpu.system) / 1000);
      if (chars !== options.expected)
        throw new Error(`${contender.name}: the sink got ${chars} characters, expected ${options.expected}.`);
      inRound.set(contender, ms);
    }
    if (round < 0) continue;
    for (const [contender, ms] of inRound) {
      times.get(contender)?.push(ms);
      ratios.get(contender)?.push(ms / (inRound.get(baseline) as number));
      const cpu = cpuInRound.get(contender) as number;
      cpuTimes.get(contender)?.push(cpu);
      cpuRatios.get(contender)?.push(cpu / (cpuInRound.get(baseline) as number));
    }
    log(`${name}: round ${round + 1}/${options.rounds}`);
  }
  return {
    name,
    deltas: options.deltas,
    rounds: options.rounds,
    rows: contenders.map((contender) => {
      const r = ratios.get(contender) as number[];
      return {
        name: contender.name,
        tracing: contender.tracing,
        ms: median(times.get(contender) as number[]),
        ratio: median(r),
        ratioMin: Math.min(...r),
        ratioMax: Math.max(...r),
        cpuMs: median(cpuTimes.get(contender) as number[]),
        cpuRatio: median(cpuRatios.get(contender) as number[]),
      };
    }),
  };
}

async function main(): Promise<TracingResult> {
  const pipelineDeltas = envNumber('BENCH_PIPELINE_DELTAS', quick ? 20_000 : 100_000);
  const replayDeltas = envNumber('BENCH_WIRE_DELTAS', quick ? 5_000 : 20_000);
  const rounds = envNumber('BENCH_TRACING_ROUNDS', quick ? 3 : 15);
  const warmups = quick ? 2 : 5;
  const sdk = startOtelSdk();
  try {
    const deltas = makeDeltas(pipelineDeltas);
    const pipeline = await measure('pipeline', pipelineTracingContenders(sdk, deltas, 16), {
      deltas: pipelineDeltas,
      rounds,
      warmups,
      expected: deltas.join('').length,
      sync: true,
    });

    const server = await startBenchServer();
    let chunks: Uint8Array[];
    const text = makeDeltas(replayDeltas);
    try {
      await server.push({ text }, 1);
      chunks = await recordEvents(server.url);
    } finally {
      await server.close();
    }
    const replay = await measure('replay', replayTracingContenders(sdk, server.url, replayFetch(chunks)), {
      deltas: replayDeltas,
      rounds,
      warmups,
      expected: text.join('').length,
      sync: false,
    });
    await sdk.shutdown();
    return { workloads: [pipeline, replay], spansExported: sdk.spansExported() };
  } catch (error) {
    await sdk.shutdown();
    throw error;
  }
}

await runPart('tracing', main);

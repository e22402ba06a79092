/**
 * Part 1 — over the wire, what users feel. The local server (in a child process) streams N
 * Responses API text deltas; in this one process, alternating round by round, each contender runs
 * the whole answer, and its time to the last delta is compared with the raw `openai` SDK's in the
 * same round. Then the time to the first delta of a short answer, over many runs. Then the same
 * answer replayed in process by a `fetch` that returns the recorded bytes (no server, no socket):
 * each client's own cost, without the server's pace or the other core's load in it.
 */
import { log, runPart } from './lib/part.js';
import { recordEvents, replayFetch } from './lib/replay.js';
import { startBenchServer, type BenchServer } from './lib/server.js';
import { collectGarbage, envNumber, makeDeltas, median, quantile, quick, shuffled } from './lib/stats.js';
import { wireContenders, type WireContender, type WireRun } from './lib/wireContenders.js';

export interface Throughput {
  readonly name: string;
  /** Median over rounds, ms. */
  readonly lastDeltaMs: number;
  readonly minLastDeltaMs: number;
  readonly maxLastDeltaMs: number;
  /** Median over rounds of (this run's time to last delta / the floor's in the same round). */
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  /** This process's CPU time during the run (all threads), median over rounds, ms. */
  readonly cpuMs: number;
  /** Median over rounds of the CPU time ratio to the floor's in the same round. */
  readonly cpuRatio: number;
}

export interface WireResult {
  readonly deltas: number;
  readonly rounds: number;
  readonly replayRounds: number;
  readonly throughput: Throughput[];
  readonly serverPaceMs: number;
  /**
   * Which server answered over the wire: `pre-encoded` (each answer sent from bytes encoded once,
   * the default) or `local` (the library's `startServer`, which builds and writes every event,
   * at about 25 µs an event; `BENCH_WIRE_SERVER=local`).
   */
  readonly server: 'pre-encoded' | 'local';
  readonly replay: Throughput[];
  readonly firstDelta: {
    readonly runs: number;
    readonly blocks: number;
    readonly deltas: number;
    readonly results: {
      readonly name: string;
      /** Medians over blocks of each block's p50, p90, p99, ms. */
      readonly p50: number;
      readonly p90: number;
      readonly p99: number;
      readonly p50Extra: number;
      readonly p99Extra: number;
      readonly p99ExtraPerBlock: number[];
      readonly pairedExtraP50: number;
    }[];
  };
}

/**
 * Rounds in which every contender runs once, in an order shuffled each round, after a full garbage
 * collection; the first `warmups` rounds are not counted. `before` scripts the servers for a round.
 */
async function rounds(
  contenders: readonly WireContender[],
  floor: WireContender,
  options: {
    rounds: number;
    warmups: number;
    deltas: number;
    label: string;
    before?: () => Promise<void>;
    skipCheck?: WireContender;
  },
): Promise<Map<WireContender, Throughput>> {
  const runs = new Map<WireContender, WireRun[]>(contenders.map((c) => [c, []]));
  const ratios = new Map<WireContender, { time: number; cpu: number }[]>(contenders.map((c) => [c, []]));
  for (let round = -options.warmups; round < options.rounds; round++) {
    await options.before?.();
    const inRound = new Map<WireContender, WireRun>();
    for (const contender of shuffled(contenders, round + options.warmups)) {
      collectGarbage();
      const run = await contender.run();
      if (contender !== options.skipCheck && run.deltas !== options.deltas) {
        throw new Error(`${contender.name} received ${run.deltas} deltas, expected ${options.deltas}.`);
      }
      inRound.set(contender, run);
    }
    if (round < 0) continue;
    const base = inRound.get(floor) as WireRun;
    for (const [contender, run] of inRound) {
      runs.get(contender)?.push(run);
      ratios.get(contender)?.push({ time: run.last / base.last, cpu: run.cpu / base.cpu });
    }
    log(
      `${options.label} round ${round + 1}/${options.rounds}: ${[...inRound].map(([c, r]) => `${c.name.split(' ')[0]} ${r.last.toFixed(0)} ms`).join(', ')}`,
    );
  }
  return new Map(
    contenders.map((contender) => {
      const r = runs.get(contender) as WireRun[];
      const q = ratios.get(contender) as { time: number; cpu: number }[];
      const last = r.map((x) => x.last);
      return [
        contender,
        {
          name: contender.name,
          lastDeltaMs: median(last),
          minLastDeltaMs: Math.min(...last),
          maxLastDeltaMs: Math.max(...last),
          ratio: median(q.map((x) => x.time)),
          ratioMin: Math.min(...q.map((x) => x.time)),
          ratioMax: Math.max(...q.map((x) => x.time)),
          cpuMs: median(r.map((x) => x.cpu)),
          cpuRatio: median(q.map((x) => x.cpu)),
        },
      ];
    }),
  );
}

/**
 * Time to the first delta of a 20-delta answer: `blocks` blocks of `runs` runs of every contender,
 * interleaved in a shuffled order. p50 and p99 are taken per block of `runs`, and the median over
 * blocks is quoted: a p99 of 200 runs is the 2nd or 3rd slowest, which one stray pause decides.
 */
async function firstDeltas(
  lanes: readonly Lane[],
  floor: WireContender,
  runs: number,
  blocks: number,
  warmups: number,
): Promise<WireResult['firstDelta']> {
  const deltas = 20;
  const shortTurn = { text: makeDeltas(deltas) };
  const contenders = lanes.map((lane) => lane.contender);
  const perBlock: Map<WireContender, number[]>[] = [];
  const batch = 50;
  for (let block = 0; block < blocks; block++) {
    const firsts = new Map<WireContender, number[]>(contenders.map((c) => [c, []]));
    for (let done = block === 0 ? -warmups : 0; done < runs;) {
      const size = done < 0 ? -done : Math.min(batch, runs - done);
      for (const lane of lanes) await lane.server.push(shortTurn, size);
      for (let i = 0; i < size; i++, done++) {
        // No forced collection before these runs: a full GC just before a request makes its first
        // delta about 2 ms later (cold caches), for every contender alike, which would hide what is
        // measured here.
        for (const contender of shuffled(contenders, block * runs + done + warmups)) {
          const run = await contender.run();
          if (run.deltas !== deltas)
            throw new Error(`${contender.name} received ${run.deltas} deltas, expected ${deltas}.`);
          if (done >= 0) firsts.get(contender)?.push(run.first);
        }
      }
      for (const lane of lanes) await lane.server.stats();
    }
    perBlock.push(firsts);
  }
  const stat = (contender: WireContender, q: number): number =>
    median(perBlock.map((firsts) => quantile(firsts.get(contender) as number[], q)));
  return {
    runs,
    blocks,
    deltas,
    results: contenders.map((contender) => ({
      name: contender.name,
      p50: stat(contender, 0.5),
      p90: stat(contender, 0.9),
      p99: stat(contender, 0.99),
      p50Extra: stat(contender, 0.5) - stat(floor, 0.5),
      p99Extra: stat(contender, 0.99) - stat(floor, 0.99),
      p99ExtraPerBlock: perBlock.map(
        (firsts) => quantile(firsts.get(contender) as number[], 0.99) - quantile(firsts.get(floor) as number[], 0.99),
      ),
      // Runs alternate, so run i of each contender is next to run i of the floor.
      pairedExtraP50: median(
        perBlock.flatMap((firsts) =>
          (firsts.get(contender) as number[]).map(
            (value, index) => value - ((firsts.get(floor) as number[])[index] as number),
          ),
        ),
      ),
    })),
  };
}

/**
 * A contender and its own server process. Each has its own port, so its own keep-alive connection:
 * one contender's run does not leave the TCP connection's state (its grown windows, which decide
 * how many events arrive per read) to the next contender.
 */
interface Lane {
  readonly contender: WireContender;
  readonly server: BenchServer;
}

async function main(): Promise<WireResult> {
  const deltas = envNumber('BENCH_WIRE_DELTAS', quick ? 5_000 : 20_000);
  const roundCount = envNumber('BENCH_WIRE_ROUNDS', quick ? 3 : 10);
  const replayRounds = envNumber('BENCH_REPLAY_ROUNDS', quick ? 3 : 8);
  const warmups = quick ? 1 : 2;
  const ttfdRuns = envNumber('BENCH_TTFD_RUNS', quick ? 30 : 200);
  const ttfdBlocks = envNumber('BENCH_TTFD_BLOCKS', quick ? 1 : 3);

  // The local server's own pace (about 25 µs an event) is slower than the clients: by default
  // each answer is sent from bytes encoded once, so the time over the wire is the clients' own.
  const preEncoded = process.env.BENCH_WIRE_SERVER !== 'local';
  const servers = await Promise.all(Array.from({ length: 5 }, () => startBenchServer({ preEncoded })));
  try {
    // Contender i of the i-th set talks to server i.
    const lanes: Lane[] = servers.map((server, index) => {
      const { contenders, bytes } = wireContenders(server.url);
      return { contender: [...contenders, bytes][index] as WireContender, server };
    });
    const [floorLane, ...otherLanes] = lanes as [Lane, ...Lane[]];
    const floor = floorLane.contender;
    const bytes = (lanes[4] as Lane).contender;
    const contenders = lanes.slice(0, 4).map((lane) => lane.contender);
    const longTurn = { text: makeDeltas(deltas) };
    const wire = await rounds([floor, ...otherLanes.map((lane) => lane.contender)], floor, {
      rounds: roundCount,
      warmups,
      deltas,
      label: 'wire',
      skipCheck: bytes,
      before: async () => {
        for (const lane of lanes) {
          await lane.server.stats();
          await lane.server.push(longTurn, 1);
        }
      },
    });

    const firstDelta = await firstDeltas(lanes.slice(0, 4), floor, ttfdRuns, ttfdBlocks, quick ? 5 : 20);
    log(`time to first delta: ${ttfdBlocks} × ${ttfdRuns} runs each`);

    await floorLane.server.push(longTurn, 1);
    const replayed = wireContenders(floorLane.server.url, replayFetch(await recordEvents(floorLane.server.url)));
    const replay = await rounds(replayed.contenders, replayed.floor, {
      rounds: replayRounds,
      warmups,
      deltas,
      label: 'replay',
    });

    return {
      deltas,
      rounds: roundCount,
      replayRounds,
      throughput: contenders.map((c) => wire.get(c) as Throughput),
      serverPaceMs: (wire.get(bytes) as Throughput).lastDeltaMs,
      server: preEncoded ? 'pre-encoded' : 'local',
      replay: replayed.contenders.map((c) => replay.get(c) as Throughput),
      firstDelta,
    };
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

await runPart('wire', main);

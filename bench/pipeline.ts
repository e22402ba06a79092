/**
 * Part 2 — pipeline cost, in process. N text deltas from a synthetic synchronous model through
 * `runStreamed` → `filterTextDeltas` → `bufferTokens(16)` → a sink, beside the same chain written
 * with bare RxJS operators over the same event objects (the floor for any RxJS design), a plain
 * loop, and both peers fed the same deltas by their own fake or mock models.
 */
import { log, runPart } from './lib/part.js';
import { pipelineContenders, type Contender } from './lib/pipelineContenders.js';
import { collectGarbage, envNumber, makeDeltas, median, quick, shuffled } from './lib/stats.js';

export interface PipelineResult {
  readonly deltas: number;
  readonly chunk: number;
  readonly rounds: number;
  readonly peerRounds: number;
  readonly results: {
    readonly name: string;
    readonly role: string;
    readonly runs: number;
    readonly ms: number;
    readonly nsPerDelta: number;
    readonly ratio: number;
    readonly ratioMin: number;
    readonly ratioMax: number;
  }[];
}

async function main(): Promise<PipelineResult> {
  const count = envNumber('BENCH_PIPELINE_DELTAS', quick ? 20_000 : 100_000);
  const rounds = envNumber('BENCH_PIPELINE_ROUNDS', quick ? 3 : 15);
  // The peers take 30 to 300 times as long as the rest, so they run in the first rounds only.
  const peerRounds = Math.min(rounds, envNumber('BENCH_PIPELINE_PEER_ROUNDS', 3));
  const warmups = quick ? 2 : 5;
  const size = 16;
  const deltas = makeDeltas(count);
  const expected = deltas.join('').length;
  const contenders = pipelineContenders(deltas, size);
  const floor = contenders.find((c) => c.role === 'floor') as Contender;
  // The peers warm up on a tenth of the deltas: the AI SDK takes seconds per 100,000.
  for (const peer of pipelineContenders(makeDeltas(Math.ceil(count / 10)), size).filter((c) => c.role === 'peer'))
    await peer.run();

  const times = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
  const ratios = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
  for (let round = -warmups; round < rounds; round++) {
    const inRound = new Map<Contender, number>();
    const withPeers = round >= 0 && round < peerRounds;
    for (const contender of shuffled(contenders, round + warmups)) {
      if (contender.role === 'peer' && !withPeers) continue;
      // A full GC first, so that no one pays for the previous contender's garbage. Right after a
      // full GC a run is slower (about 0.5 ms here: caches and compiled code to warm again), which
      // would weigh on the fastest pipelines, so those run once untimed in between; the peers,
      // which take seconds, do not need it.
      collectGarbage();
      if (contender.role !== 'peer') await contender.run();
      const start = performance.now();
      const chars = await contender.run();
      const ms = performance.now() - start;
      if (chars !== expected)
        throw new Error(`${contender.name}: the sink got ${chars} characters, expected ${expected}.`);
      inRound.set(contender, ms);
    }
    if (round < 0) continue;
    for (const [contender, ms] of inRound) {
      times.get(contender)?.push(ms);
      ratios.get(contender)?.push(ms / (inRound.get(floor) as number));
    }
    log(`round ${round + 1}/${rounds}`);
  }
  return {
    deltas: count,
    chunk: size,
    rounds,
    peerRounds,
    results: contenders.map((contender) => {
      const t = times.get(contender) as number[];
      const r = ratios.get(contender) as number[];
      return {
        name: contender.name,
        role: contender.role,
        runs: t.length,
        ms: median(t),
        nsPerDelta: (median(t) * 1e6) / count,
        ratio: median(r),
        ratioMin: Math.min(...r),
        ratioMax: Math.max(...r),
      };
    }),
  };
}

await runPart('pipeline', main);

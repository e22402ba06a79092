/**
 * Part 4 — how cost grows. The time of a run against the number of text deltas (1,000 to
 * 1,000,000 in process; 1,000 to 100,000 over the wire) and against the number of tool-loop turns
 * (1 to 50, in process, and over the wire beside the same loop written by hand on the openai SDK),
 * fitted to `time = c · n^k` by least squares on the logs:
 * `k` is 1 for linear cost. Fixed costs (subscription, the HTTP request) pull `k` below 1 at small
 * `n`, so the time per delta or per turn at each size is reported too.
 */
import type OpenAI from 'openai';
import type {
  ResponseFunctionToolCall,
  ResponseInputItem,
  ResponseOutputItem,
} from 'openai/resources/responses/responses';
import { bufferCount, filter, map, type Observable } from 'rxjs';
import { Agent, OpenAIResponsesModel, runStreamed, tool, type ModelEvent } from 'rxjs-agents';
import { bufferTokens, filterTextDeltas } from 'rxjs-agents/operators';
import type { ServerTurn } from 'rxjs-agents/testing/server';
import { z } from 'zod';
import { log, runPart } from './lib/part.js';
import { startBenchServer } from './lib/server.js';
import { collectGarbage, makeDeltas, median, powerFit, quick, shuffled } from './lib/stats.js';
import { emitAll, syncModel, textModelEvents, toolLoopModel } from './lib/syntheticModels.js';
import { wireContenders } from './lib/wireContenders.js';

export interface Series {
  readonly name: string;
  readonly unit: 'delta' | 'turn';
  readonly points: { readonly n: number; readonly runs: number; readonly ms: number; readonly perUnitUs: number }[];
  readonly exponent: number;
  readonly r2: number;
  /** The exponent fitted over the sizes of at least 10× the smallest, where fixed costs weigh least. */
  readonly exponentLargeN: number;
  /**
   * With a floor measured at the same sizes: the exponent of (this time / the floor's time), over
   * the same sizes as `exponentLargeN`. 0 when both grow alike: it takes out what the machine does
   * to any code as the data outgrows its caches.
   */
  readonly exponentOverFloor?: number;
}

export interface ScalingResult {
  readonly series: Series[];
}

function drain(chunks: Observable<string>): number {
  let chars = 0;
  chunks.subscribe((chunk) => (chars += chunk.length));
  return chars;
}

/**
 * Median time of `runs` runs of `once` (after a warm-up), in ms. A full GC runs before the batch,
 * and before each run too when `gcEach` (large runs, whose garbage would otherwise land in the next
 * one; a full GC of this heap takes longer than a small run).
 */
async function time(runs: number, once: () => unknown, gcEach = false): Promise<number> {
  await once();
  collectGarbage();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (gcEach) collectGarbage();
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return median(times);
}

function series(name: string, unit: Series['unit'], points: Series['points'], floor?: Series['points']): Series {
  const fit = powerFit(
    points.map((p) => p.n),
    points.map((p) => p.ms),
  );
  const tenfold = points.filter((p) => p.n >= 10 * (points[0]?.n ?? 0));
  // A fit needs two sizes: with fewer of them tenfold (a quick run), the last two.
  const large = tenfold.length >= 2 ? tenfold : points.slice(-2);
  const fitLarge = powerFit(
    large.map((p) => p.n),
    large.map((p) => p.ms),
  );
  const result: Series = { name, unit, points, exponent: fit.exponent, r2: fit.r2, exponentLargeN: fitLarge.exponent };
  if (floor === undefined) return result;
  const ratios = large.map((p) => p.ms / (floor.find((f) => f.n === p.n) as Series['points'][number]).ms);
  return {
    ...result,
    exponentOverFloor: powerFit(
      large.map((p) => p.n),
      ratios,
    ).exponent,
  };
}

/**
 * The floor of a tool loop: the same conversation by hand on the `openai` SDK — stream each turn,
 * take the output items from `response.completed`, answer each function call with its result
 * (arguments parsed, no validation), send the whole history again, until a turn has no call.
 */
async function rawToolLoop(client: OpenAI, maxTurns: number): Promise<void> {
  const history: ResponseInputItem[] = [{ type: 'message', role: 'user', content: 'Add it up.' }];
  for (let turn = 1; turn <= maxTurns; turn++) {
    const stream = await client.responses.create({
      model: 'gpt-4.1-mini',
      instructions: 'Add.',
      input: history,
      tools: [addSpec],
      stream: true,
    });
    let output: ResponseOutputItem[] = [];
    for await (const event of stream) if (event.type === 'response.completed') output = event.response.output;
    const calls = output.filter((item): item is ResponseFunctionToolCall => item.type === 'function_call');
    history.push(...(output as ResponseInputItem[]));
    if (calls.length === 0) return;
    for (const call of calls) {
      const { a, b } = JSON.parse(call.arguments) as { a: number; b: number };
      history.push({ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify(a + b) });
    }
  }
  throw new Error(`the tool loop did not end within ${maxTurns} turns`);
}

const addSpec = {
  type: 'function' as const,
  name: 'add',
  description: 'Adds two numbers.',
  parameters: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
    additionalProperties: false,
  },
  strict: true,
};

/** Fewer runs for larger sizes: about the same number of deltas at every size. */
const runsFor = (n: number, budget: number, most: number, least = 3): number =>
  Math.max(least, Math.min(most, Math.round(budget / n)));

async function main(): Promise<ScalingResult> {
  const out: Series[] = [];
  const join = (pieces: string[]): string => pieces.join('');
  const isDelta = (event: ModelEvent): event is Extract<ModelEvent, { type: 'text-delta' }> =>
    event.type === 'text-delta';

  // Deltas, in process.
  const sizes = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  const inProcess = { rxjs: [] as Series['points'][number][], floor: [] as Series['points'][number][] };
  {
    // Warm-up, so that the first size is not measured before the JIT has compiled the hot paths.
    const events = textModelEvents(makeDeltas(100_000));
    const agent = new Agent({ name: 'Assistant', model: syncModel(events) });
    for (let i = 0; i < 5; i++) {
      drain(runStreamed(agent, 'Hi').pipe(filterTextDeltas(), bufferTokens(16)));
      drain(
        emitAll(events).pipe(
          filter(isDelta),
          map((e) => e.delta),
          bufferCount(16),
          map(join),
        ),
      );
    }
  }
  for (const n of sizes) {
    const events = textModelEvents(makeDeltas(n));
    const agent = new Agent({ name: 'Assistant', model: syncModel(events) });
    const runs = runsFor(n, quick ? 300_000 : 2_000_000, 40, 7);
    const rxjs = await time(
      runs,
      () => drain(runStreamed(agent, 'Hi').pipe(filterTextDeltas(), bufferTokens(16))),
      n >= 100_000,
    );
    const floor = await time(
      runs,
      () =>
        drain(
          emitAll(events).pipe(
            filter(isDelta),
            map((e) => e.delta),
            bufferCount(16),
            map(join),
          ),
        ),
      n >= 100_000,
    );
    inProcess.rxjs.push({ n, runs, ms: rxjs, perUnitUs: (rxjs * 1000) / n });
    inProcess.floor.push({ n, runs, ms: floor, perUnitUs: (floor * 1000) / n });
    log(`in process, ${n} deltas: rxjs-agents ${rxjs.toFixed(2)} ms, bare RxJS ${floor.toFixed(2)} ms`);
  }
  out.push(
    series(
      'in process: rxjs-agents runStreamed → filterTextDeltas → bufferTokens(16)',
      'delta',
      inProcess.rxjs,
      inProcess.floor,
    ),
  );
  out.push(series('in process: bare RxJS filter → map → bufferCount(16) (floor)', 'delta', inProcess.floor));

  // Tool-loop turns, in process: each turn but the last calls a tool; the last answers in 10 deltas.
  const add = tool({
    name: 'add',
    description: 'Adds two numbers.',
    parameters: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => a + b,
  });
  const turnCounts = quick ? [1, 5, 20] : [1, 2, 5, 10, 20, 50];
  const loopPoints: Series['points'][number][] = [];
  {
    const agent = new Agent({ name: 'Calculator', model: toolLoopModel(20, makeDeltas(10)), tools: [add] });
    for (let i = 0; i < 20; i++) runStreamed(agent, 'Add it up.', { maxTurns: 20 }).subscribe();
  }
  for (const turns of turnCounts) {
    const agent = new Agent({ name: 'Calculator', model: toolLoopModel(turns, makeDeltas(10)), tools: [add] });
    const runs = quick ? 20 : 300;
    const ms = await time(
      runs,
      () =>
        new Promise<void>((resolve, reject) =>
          runStreamed(agent, 'Add it up.', { maxTurns: turns }).subscribe({ error: reject, complete: resolve }),
        ),
    );
    loopPoints.push({ n: turns, runs, ms, perUnitUs: (ms * 1000) / turns });
    log(`in process, ${turns} turns: ${ms.toFixed(3)} ms`);
  }
  out.push(series('in process: rxjs-agents tool loop (turns)', 'turn', loopPoints));

  // Over the wire: deltas and turns through the local server.
  const server = await startBenchServer();
  try {
    const { floor, contenders } = wireContenders(server.url);
    const rxjsAgents = contenders[1];
    if (rxjsAgents === undefined) throw new Error('no rxjs-agents contender');
    const wireSizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
    const wire = { rxjs: [] as Series['points'][number][], floor: [] as Series['points'][number][] };
    for (const n of wireSizes) {
      const runs = runsFor(n, quick ? 30_000 : 100_000, 9);
      const turn = { text: makeDeltas(n) };
      await server.push(turn, 2 * (runs + 1));
      const rxjs: number[] = [];
      const raw: number[] = [];
      for (let i = -1; i < runs; i++) {
        if (n >= 10_000) collectGarbage();
        const a = await floor.run();
        if (n >= 10_000) collectGarbage();
        const b = await rxjsAgents.run();
        if (i >= 0) {
          raw.push(a.last);
          rxjs.push(b.last);
        }
      }
      await server.stats();
      wire.floor.push({ n, runs, ms: median(raw), perUnitUs: (median(raw) * 1000) / n });
      wire.rxjs.push({ n, runs, ms: median(rxjs), perUnitUs: (median(rxjs) * 1000) / n });
      log(`over the wire, ${n} deltas: openai ${median(raw).toFixed(1)} ms, rxjs-agents ${median(rxjs).toFixed(1)} ms`);
    }
    out.push(series('over the wire: rxjs-agents runStreamed → filterTextDeltas', 'delta', wire.rxjs, wire.floor));
    out.push(series('over the wire: openai SDK for await (floor)', 'delta', wire.floor));

    const client = wireContenders(server.url).client;
    const wireTurns = quick ? [1, 5, 20] : [1, 2, 5, 10, 20, 50];
    const wireLoop = { rxjs: [] as Series['points'][number][], floor: [] as Series['points'][number][] };
    const agent = new Agent({
      name: 'Calculator',
      instructions: 'Add.',
      model: new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client }),
      tools: [add],
    });
    const rxjsLoop = (turns: number): Promise<void> =>
      new Promise<void>((resolve, reject) =>
        runStreamed(agent, 'Add it up.', { maxTurns: turns }).subscribe({ error: reject, complete: resolve }),
      );
    for (const turns of wireTurns) {
      const script: ServerTurn[] = [
        ...Array.from({ length: turns - 1 }, (_, i): ServerTurn => ({
          toolCalls: [{ name: 'add', arguments: { a: i, b: 1 } }],
        })),
        { text: makeDeltas(10) },
      ];
      const runs = quick ? 3 : 9;
      const times = { rxjs: [] as number[], floor: [] as number[] };
      collectGarbage();
      for (let i = -1; i < runs; i++) {
        for (const [name, loop] of shuffled(
          [
            ['floor', () => rawToolLoop(client, turns)],
            ['rxjs', () => rxjsLoop(turns)],
          ] as const,
          i + 1,
        )) {
          for (const turn of script) await server.push(turn, 1);
          const start = performance.now();
          await loop();
          if (i >= 0) times[name].push(performance.now() - start);
          await server.stats();
        }
      }
      for (const name of ['rxjs', 'floor'] as const) {
        const ms = median(times[name]);
        wireLoop[name].push({ n: turns, runs, ms, perUnitUs: (ms * 1000) / turns });
      }
      log(
        `over the wire, ${turns} turns: openai ${median(times.floor).toFixed(1)} ms, rxjs-agents ${median(times.rxjs).toFixed(1)} ms`,
      );
    }
    out.push(series('over the wire: rxjs-agents tool loop (turns)', 'turn', wireLoop.rxjs, wireLoop.floor));
    out.push(series('over the wire: the same tool loop by hand on the openai SDK (floor)', 'turn', wireLoop.floor));
  } finally {
    await server.close();
  }
  return { series: out };
}

await runPart('scaling', main);

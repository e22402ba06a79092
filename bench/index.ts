/**
 * `npm run bench`: every benchmark part, each in a process of its own (started with `--expose-gc`,
 * so that one part's heap and compiled code do not carry into the next), then the tables.
 *
 *   BENCH_QUICK=1 npm run bench           a smoke run: small sizes, few rounds (under a minute)
 *   BENCH_PARTS=wire,memory npm run bench  only some parts (wire, pipeline, memory, scaling, tracing, batch, concurrency)
 *
 * Sizes and rounds can be set one by one too (see each part: BENCH_WIRE_DELTAS, BENCH_WIRE_ROUNDS,
 * BENCH_TTFD_RUNS, BENCH_PIPELINE_DELTAS, BENCH_PIPELINE_ROUNDS, BENCH_MEMORY_RUNS, …).
 * The tables are printed and written to bench/results/latest.md, the numbers to latest.json.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MemoryResult } from './memory.js';
import type { PipelineResult } from './pipeline.js';
import type { ScalingResult, Series } from './scaling.js';
import type { TracingResult } from './tracing.js';
import type { BatchResult } from './batch.js';
import type { ConcurrencyResult } from './concurrency.js';
import type { Throughput, WireResult } from './wire.js';
import { quick } from './lib/stats.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const allParts = ['wire', 'pipeline', 'memory', 'scaling', 'tracing', 'batch', 'concurrency'] as const;
type Part = (typeof allParts)[number];
const requested = (process.env.BENCH_PARTS?.split(',') ?? allParts).map((p) => p.trim());
for (const part of requested)
  if (!(allParts as readonly string[]).includes(part))
    throw new Error(`Unknown part '${part}'; the parts are ${allParts.join(', ')}.`);
const parts = allParts.filter((part) => requested.includes(part));

function runChild<T>(part: Part): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(here(`./${part}.ts`), [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    child.on('message', (message: { type: string; result: T }) => {
      if (message.type === 'result') result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      result !== undefined
        ? resolve(result)
        : reject(new Error(`bench/${part}.ts exited with code ${code} and no result.`)),
    );
  });
}

function version(name: string): string {
  const path = name === 'rxjs-agents' ? here('../package.json') : here(`../node_modules/${name}/package.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

const ms = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
const x = (value: number): string => `${value.toFixed(2)}×`;
const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
const pass = (ok: boolean): string => (ok ? 'met' : '**not met**');

/** The commit measured, and whether the runtime sources differ from it. */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: here('..'), encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'operators') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/ or operators/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown';
  const versions = ['rxjs-agents', 'openai', '@openai/agents', 'ai', '@ai-sdk/openai', 'rxjs', 'zod', 'tsx']
    .map((name) => `${name} ${version(name)}`)
    .join(', ');
  return [
    `- Machine: ${cpu}, ${availableParallelism()} cores (nproc), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${process.platform} ${process.arch}`,
    `- Node ${process.version}; ${versions}; rxjs-agents built from ${revision()}`,
    `- Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' — BENCH_QUICK=1 (smoke run, small sizes)' : ''}; ` +
      `load average before the run ${loadBefore.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min), after ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
  ].join('\n');
}

function throughputRows(rows: readonly Throughput[]): string[] {
  return [
    '| contender | time to last delta, median (min–max) | × raw SDK: median of per-round ratios (min–max) | client CPU time | × raw SDK, CPU |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (t) =>
        `| ${t.name} | ${ms(t.lastDeltaMs)} ms (${ms(t.minLastDeltaMs)}–${ms(t.maxLastDeltaMs)}) | ${x(t.ratio)} (${x(t.ratioMin)}–${x(t.ratioMax)}) | ${ms(t.cpuMs)} ms | ${x(t.cpuRatio)} |`,
    ),
  ];
}

function wireTables(r: WireResult): string {
  const rx = r.throughput[1];
  const ttfdRx = r.firstDelta.results[1];
  const lines = [
    `### 1. Over the wire: ${r.deltas.toLocaleString('en')} text deltas from ${r.server === 'local' ? 'the local server' : 'the pre-encoded bench server'} (child process), ${r.rounds} alternating rounds`,
    '',
    ...throughputRows(r.throughput),
    `| _server pace: the same bytes read with no parsing_ | ${ms(r.serverPaceMs)} ms | | | |`,
    '',
    `Time to first delta of a ${r.firstDelta.deltas}-delta answer, interleaved; p50, p90 and p99 of each block of ${r.firstDelta.runs} runs, median of ${r.firstDelta.blocks} blocks:`,
    '',
    '| contender | p50 | p90 | p99 | p50 − raw p50 | p99 − raw p99 (each block) | median of paired differences |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...r.firstDelta.results.map(
      (t) =>
        `| ${t.name} | ${ms(t.p50)} ms | ${ms(t.p90)} ms | ${ms(t.p99)} ms | ${t.p50Extra.toFixed(2)} ms | ${t.p99Extra.toFixed(2)} ms (${t.p99ExtraPerBlock.map((v) => v.toFixed(1)).join(', ')}) | ${t.pairedExtraP50.toFixed(2)} ms |`,
    ),
    '',
    `The same ${r.deltas.toLocaleString('en')}-delta answer replayed in process (a \`fetch\` that returns the recorded bytes, one event per read; no server, no socket), ${r.replayRounds} alternating rounds:`,
    '',
    ...throughputRows(r.replay),
    '',
    `Goals (issue 18): replayed in process ≤ 0.85× the raw SDK — ${x(r.replay[1]?.ratio ?? NaN)}: ${pass((r.replay[1]?.ratio ?? Infinity) <= 0.85)}; ` +
      `over the wire ≤ 0.90× — ${x(rx?.ratio ?? NaN)}: ${pass((rx?.ratio ?? Infinity) <= 0.9)}; ` +
      `first delta p50 within +0.1 ms of the raw SDK's — ${ttfdRx?.p50Extra.toFixed(2)} ms: ${pass((ttfdRx?.p50Extra ?? Infinity) <= 0.1)} ` +
      `(p99 ${ttfdRx?.p99Extra.toFixed(2)} ms).`,
  ];
  return lines.join('\n');
}

function pipelineTable(r: PipelineResult): string {
  const rx = r.results.find((t) => t.role === 'rxjs-agents');
  const peers = r.results.filter((t) => t.role === 'peer');
  return [
    `### 2. Pipeline cost in process: ${r.deltas.toLocaleString('en')} deltas → chunks of ${r.chunk}, ${r.rounds} alternating rounds (peers: the first ${r.peerRounds})`,
    '',
    '| pipeline | median | per delta | × bare RxJS, median of per-round ratios (min–max) |',
    '| --- | --- | --- | --- |',
    ...r.results.map(
      (t) =>
        `| ${t.name} | ${ms(t.ms)} ms | ${t.nsPerDelta.toFixed(0)} ns | ${x(t.ratio)} (${x(t.ratioMin)}–${x(t.ratioMax)}) |`,
    ),
    '',
    `Goals: rxjs-agents ≤ 1.5× bare RxJS — ${x(rx?.ratio ?? NaN)}: ${pass((rx?.ratio ?? Infinity) <= 1.5)}. ` +
      `Ahead of both peers — ${peers.map((p) => `${p.name.split(':')[0]} ${x(p.ms / (rx?.ms ?? NaN))} rxjs-agents' time`).join(', ')}: ` +
      `${pass(peers.every((p) => p.ms > (rx?.ms ?? Infinity)))}.`,
  ].join('\n');
}

function memoryTable(r: MemoryResult): string {
  const rx = r.results[1];
  return [
    `### 3. Memory: ${r.runs.toLocaleString('en')} concurrent runs held open after ${r.deltasBeforeStall} deltas, median of ${r.repeats} alternating repeats`,
    '',
    '| contender | JS heap per open run | over the raw SDK | outside the heap (buffers) per run | heap left per run after cancelling (settled) | growth per delta held |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.results.map(
      (t) =>
        `| ${t.name} | ${kb(t.heapPerRun)} kB | ${kb(t.heapPerRunOverFloor)} kB | ${kb(t.externalPerRun)} kB | ${kb(t.heapPerRunAfterAbort)} kB | ${t.bytesPerDeltaHeld === null ? 'not measured' : `${t.bytesPerDeltaHeld.toFixed(0)} B`} |`,
    ),
    '',
    `Growth per delta: (heap per run with ${r.longRuns} runs held after ${r.longDeltas} deltas − with ${r.longRuns} runs held after ${r.deltasBeforeStall}) / ${r.longDeltas - r.deltasBeforeStall}.`,
    '',
    `Goals (issue 18): ≤ 40 kB per open run after ${r.deltasBeforeStall} deltas — rxjs-agents ${kb(rx?.heapPerRun ?? NaN)} kB ` +
      `(the raw SDK's own ${kb(r.results[0]?.heapPerRun ?? NaN)} kB, rxjs-agents ${kb(rx?.heapPerRunOverFloor ?? NaN)} kB over it): ${pass((rx?.heapPerRun ?? Infinity) <= 40 * 1024)}; ` +
      `≤ 8 B per delta held — ${rx?.bytesPerDeltaHeld?.toFixed(0)} B: ${pass((rx?.bytesPerDeltaHeld ?? Infinity) <= 8)}.`,
  ].join('\n');
}

function scalingTable(r: ScalingResult): string {
  const lines = ['### 4. How cost grows: time = c · n^k, k fitted by least squares on log–log', ''];
  lines.push(
    '| series | n | time per delta / per turn | k (all n) | k (n ≥ 10× the smallest) | k of the ratio to the floor (same n) |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const s of r.series) {
    const per = s.points
      .map(
        (p) =>
          `${p.n.toLocaleString('en')}: ${p.perUnitUs >= 100 ? p.perUnitUs.toFixed(0) : p.perUnitUs.toFixed(2)} µs`,
      )
      .join('; ');
    const over = s.exponentOverFloor === undefined ? '' : s.exponentOverFloor.toFixed(3);
    lines.push(
      `| ${s.name} | ${s.points[0]?.n.toLocaleString('en')}–${s.points.at(-1)?.n.toLocaleString('en')} | ${per} | ${s.exponent.toFixed(3)} | ${s.exponentLargeN.toFixed(3)} | ${over} |`,
    );
  }
  const rx = r.series.filter((s) => s.name.includes('rxjs-agents'));
  // Against a floor, rxjs-agents' own growth is the exponent of the ratio; without one, k itself.
  const own = (s: Series): number => (s.exponentOverFloor === undefined ? s.exponentLargeN - 1 : s.exponentOverFloor);
  lines.push(
    '',
    `Goal: linear — read as rxjs-agents' own growth (k − 1, or the k of the ratio to the floor where there is one, for n ≥ 10× the smallest) ≤ 0.10: ` +
      `${rx.map((s) => `${s.name.split(':')[0]} ${s.unit}s ${own(s) >= 0 ? '+' : ''}${own(s).toFixed(2)}`).join(', ')}: ${pass(rx.every((s) => own(s) <= 0.1))}.`,
  );
  return lines.join('\n');
}

function tracingTable(r: TracingResult): string {
  const lines = [
    '### 5. What tracing costs, in process: the same runs without `tracing`, with `openTelemetry()` and with `captureContent: true`',
    '',
    'Spans through a `BatchSpanProcessor` to an exporter that drops them, metrics to a reader that drops them, the `AsyncLocalStorage` context manager.',
    '',
    '| run | median | × tracing off, median of per-round ratios (min–max) | CPU time | × tracing off, CPU |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const w of r.workloads) {
    for (const t of w.rows)
      lines.push(
        `| ${t.name} (${w.deltas.toLocaleString('en')} deltas, ${w.rounds} rounds) | ${ms(t.ms)} ms | ${x(t.ratio)} (${x(t.ratioMin)}–${x(t.ratioMax)}) | ${ms(t.cpuMs)} ms | ${x(t.cpuRatio)} |`,
      );
  }
  const on = r.workloads.flatMap((w) => w.rows.filter((t) => t.tracing === 'on'));
  lines.push(
    '',
    `Spans exported: ${r.spansExported.toLocaleString('en')}. ` +
      `Goal: tracing on ≤ 1.2× tracing off in process — ${on.map((t) => `${t.name.split(',')[0]} ${x(t.ratio)} (CPU ${x(t.cpuRatio)})`).join(', ')}: ` +
      `${pass(on.every((t) => t.ratio <= 1.2))}.`,
  );
  return lines.join('\n');
}

function batchTable(r: BatchResult): string {
  return [
    `### 6. Batch jobs: ${r.items.toLocaleString('en')} single-turn items at concurrency ${r.concurrency}, over the wire (${r.rounds} rounds)`,
    '',
    '| run | median | × the loop, median of per-round ratios (min–max) | × the loop, CPU |',
    '| --- | --- | --- | --- |',
    `| p-limit + raw SDK \`responses.create\` stream, \`for await\` (baseline) | ${ms(r.loopMs)} ms | 1.00× | 1.00× |`,
    `| rxjs-agents \`runBatch\` | ${ms(r.rxjsAgentsMs)} ms | ${x(r.ratio)} (${x(r.ratioMin)}–${x(r.ratioMax)}) | ${x(r.cpuRatio)} |`,
    '',
    `Goal: runBatch ≤ 1.10× the p-limit loop — ${x(r.ratio)}: ${pass(r.ratio <= 1.1)}.`,
  ].join('\n');
}

function concurrencyTable(r: ConcurrencyResult): string {
  const rx = r.rows[1];
  return [
    `### 7. Many runs at once: ${r.runs.toLocaleString('en')} streamed runs of ${r.deltas} deltas started together, against the server in another process (${r.rounds} rounds)`,
    '',
    '| contender | one run alone, CPU per delta | all at once, CPU per delta | × one run, median of per-round ratios (min–max) | wall, all at once | event-loop lag p50 / p99 / max | heap per open run after ' +
      `${r.heldDeltas} deltas |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...r.rows.map(
      (t) =>
        `| ${t.name} | ${t.singleCpuUsPerDelta.toFixed(2)} µs | ${t.concurrentCpuUsPerDelta.toFixed(2)} µs | ${x(t.cpuRatio)} (${x(t.cpuRatioMin)}–${x(t.cpuRatioMax)}) | ${ms(t.wallMs)} ms | ${ms(t.lagP50Ms)} / ${ms(t.lagP99Ms)} / ${ms(t.lagMaxMs)} ms | ${kb(t.heapPerRun)} kB |`,
    ),
    '',
    `Goals (issue 18): CPU per delta with ${r.runs.toLocaleString('en')} at once within 1.2× of one run's — rxjs-agents ${x(rx?.cpuRatio ?? NaN)} ` +
      `(the raw SDK's own ${x(r.rows[0]?.cpuRatio ?? NaN)}): ${pass((rx?.cpuRatio ?? Infinity) <= 1.2)}; event-loop lag p99 ${ms(rx?.lagP99Ms ?? NaN)} ms (reported); ` +
      `≤ 40 kB per open run — ${kb(rx?.heapPerRun ?? NaN)} kB: ${pass((rx?.heapPerRun ?? Infinity) <= 40 * 1024)}.`,
  ].join('\n');
}

const loadBefore = loadavg();
const sections: string[] = ['## Results'];
const results: Partial<Record<Part, unknown>> = {};
const started = performance.now();
for (const part of parts) {
  const partStart = performance.now();
  process.stderr.write(`bench/${part}.ts …\n`);
  const result = await runChild<unknown>(part);
  results[part] = result;
  process.stderr.write(`bench/${part}.ts: ${((performance.now() - partStart) / 1000).toFixed(0)} s\n`);
  if (part === 'wire') sections.push(wireTables(result as WireResult));
  if (part === 'pipeline') sections.push(pipelineTable(result as PipelineResult));
  if (part === 'memory') sections.push(memoryTable(result as MemoryResult));
  if (part === 'scaling') sections.push(scalingTable(result as ScalingResult));
  if (part === 'tracing') sections.push(tracingTable(result as TracingResult));
  if (part === 'batch') sections.push(batchTable(result as BatchResult));
  if (part === 'concurrency') sections.push(concurrencyTable(result as ConcurrencyResult));
}
sections.splice(1, 0, machine());
sections.push(`Total: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
const markdown = `${sections.join('\n\n')}\n`;
mkdirSync(here('./results'), { recursive: true });
writeFileSync(here('./results/latest.md'), markdown);
const numbers = `${JSON.stringify({ node: process.version, machine: machine(), results }, null, 2)}\n`;
writeFileSync(here('./results/latest.json'), numbers);
// Every run is kept too, so that bench/summary.ts can give the medians over runs.
mkdirSync(here('./results/runs'), { recursive: true });
writeFileSync(
  here(`./results/runs/${new Date().toISOString().replace(/[:.]/g, '-')}-node${process.versions.node}.json`),
  numbers,
);
console.log(markdown);

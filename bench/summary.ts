/**
 * Medians over full runs: every `npm run bench` keeps its numbers in bench/results/runs/; this
 * prints, for each measure and contender, the median over the chosen runs and its range.
 *
 *   npx tsx bench/summary.ts                 every kept run
 *   npx tsx bench/summary.ts --node 24       the runs on Node 24 only
 *   npx tsx bench/summary.ts --last 5        the last 5 runs (with --node: of that Node)
 *
 * A run that lacks a part (BENCH_PARTS) counts only for the parts it has; BENCH_QUICK runs are left out.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.js';

interface Kept {
  readonly node: string;
  readonly machine: string;
  readonly results: Record<string, unknown>;
}
interface Named {
  readonly name: string;
}

const dir = fileURLToPath(new URL('./results/runs/', import.meta.url));
const args = process.argv.slice(2);
const option = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
};
const node = option('--node');
const last = option('--last');

let files = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort();
if (node !== undefined) files = files.filter((file) => file.includes(`-node${node}.`));
let runs = files
  .map((file) => JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as Kept)
  .filter((run) => !run.machine.includes('BENCH_QUICK'));
if (last !== undefined) runs = runs.slice(-Number(last));
if (runs.length === 0) throw new Error(`No kept full runs in ${dir}${node === undefined ? '' : ` on Node ${node}`}.`);

/** measure → contender → one value per run. */
const table = new Map<string, Map<string, number[]>>();
const add = (measure: string, name: string, value: number | null | undefined): void => {
  if (value === null || value === undefined || !Number.isFinite(value)) return;
  const byName = table.get(measure) ?? new Map<string, number[]>();
  byName.set(name, [...(byName.get(name) ?? []), value]);
  table.set(measure, byName);
};

for (const { results } of runs) {
  const wire = results['wire'] as
    | {
        throughput: (Named & { ratio: number; cpuRatio: number })[];
        replay: (Named & { ratio: number; cpuRatio: number })[];
        firstDelta: { results: (Named & { p50Extra: number; p99Extra: number })[] };
        /** Missing in runs before the pre-encoded server, which were all on the local one. */
        server?: 'pre-encoded' | 'local';
      }
    | undefined;
  // Runs over different servers are not pooled: the local server's pace hides the clients' cost.
  const over = `over the wire (${wire?.server ?? 'local'} server)`;
  for (const t of wire?.throughput ?? []) add(`${over}, × raw SDK`, t.name, t.ratio);
  for (const t of wire?.throughput ?? []) add(`${over}, client CPU, × raw SDK`, t.name, t.cpuRatio);
  for (const t of wire?.replay ?? []) add('replayed in process, × raw SDK', t.name, t.ratio);
  for (const t of wire?.firstDelta.results ?? [])
    add(`first delta ${over}, p50 − raw SDK p50 (ms)`, t.name, t.p50Extra);
  for (const t of wire?.firstDelta.results ?? [])
    add(`first delta ${over}, p99 − raw SDK p99 (ms)`, t.name, t.p99Extra);
  const pipeline = results['pipeline'] as { results: (Named & { ratio: number })[] } | undefined;
  for (const t of pipeline?.results ?? []) add('pipeline, × bare RxJS', t.name, t.ratio);
  const memory = results['memory'] as
    { results: (Named & { heapPerRun: number; bytesPerDeltaHeld: number | null })[] } | undefined;
  for (const t of memory?.results ?? []) add('heap per open run (kB)', t.name, t.heapPerRun / 1024);
  for (const t of memory?.results ?? []) add('heap growth per delta held (B)', t.name, t.bytesPerDeltaHeld);
  const tracing = results['tracing'] as
    { workloads: { rows: (Named & { ratio: number; cpuRatio: number })[] }[] } | undefined;
  for (const t of tracing?.workloads.flatMap((w) => w.rows) ?? []) add('tracing, × tracing off', t.name, t.ratio);
  for (const t of tracing?.workloads.flatMap((w) => w.rows) ?? [])
    add('tracing, CPU × tracing off', t.name, t.cpuRatio);
  const concurrency = results['concurrency'] as
    { rows: (Named & { cpuRatio: number; lagP99Ms: number; heapPerRun: number })[] } | undefined;
  for (const t of concurrency?.rows ?? []) add('many runs at once, CPU per delta × one run', t.name, t.cpuRatio);
  for (const t of concurrency?.rows ?? []) add('many runs at once, event-loop lag p99 (ms)', t.name, t.lagP99Ms);
  for (const t of concurrency?.rows ?? [])
    add('many runs at once, heap per open run (kB)', t.name, t.heapPerRun / 1024);
  const batch = results['batch'] as { ratio: number; cpuRatio: number } | undefined;
  add('batch, × p-limit loop', 'rxjs-agents runBatch', batch?.ratio);
  add('batch, CPU × p-limit loop', 'rxjs-agents runBatch', batch?.cpuRatio);
}

const fixed = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));
console.log(`Medians over ${runs.length} full runs (${[...new Set(runs.map((run) => run.node))].join(', ')}):\n`);
console.log('| measure | contender | median (min–max) | runs |');
console.log('| --- | --- | --- | --- |');
for (const [measure, byName] of table) {
  for (const [name, values] of byName) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `| ${measure} | ${name} | ${fixed(median(values))} (${fixed(sorted[0] ?? NaN)}–${fixed(sorted.at(-1) ?? NaN)}) | ${values.length} |`,
    );
  }
}

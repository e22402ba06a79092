/**
 * Where the heap of open runs goes: holds `BENCH_HEAP_RUNS` runs of one contender open after `BENCH_HEAP_DELTAS` (20)
 * deltas (the server stalls them, as in part 3), with V8's sampling heap profiler on, and prints the
 * live bytes per run by allocating function, largest first.
 *
 *   npm run build && TSX_TSCONFIG_PATH=bench/tsconfig.json node --expose-gc --import tsx bench/heapProfile.ts rxjs-agents
 *   npm run build && TSX_TSCONFIG_PATH=bench/tsconfig.json node --expose-gc --import tsx bench/heapProfile.ts floor
 *
 * (`bench/tsconfig.json`, so that `rxjs-agents` is the built package, as in the other parts.)
 */
import { Session } from 'node:inspector/promises';
import { startBenchServer } from './lib/server.js';
import { envNumber, makeDeltas } from './lib/stats.js';
import { wireContenders } from './lib/wireContenders.js';

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

const which = process.argv[2] ?? 'rxjs-agents';
const runs = envNumber('BENCH_HEAP_RUNS', 500);
const held = envNumber('BENCH_HEAP_DELTAS', 20);
const server = await startBenchServer();
const { floor, contenders } = wireContenders(server.url);
const contender = which === 'floor' ? floor : contenders.find((c) => c.name.startsWith(which));
if (contender === undefined) throw new Error(`No contender named ${which}.`);

// Warm up once, so that compiled code and module state are not counted.
await server.push({ text: makeDeltas(10) }, 1);
await contender.run();

const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 256 });
await server.push({ text: makeDeltas(held + 80), stallAfter: 4 + held }, runs);
const cancels: (() => void)[] = [];
const counts = new Array<number>(runs).fill(0);
const pending = Array.from({ length: runs }, (_, i) =>
  contender.run({
    cancellable: (cancel) => cancels.push(cancel),
    onDelta: () => void (counts[i] = (counts[i] ?? 0) + 1),
  }),
);
while (!counts.every((count) => count >= held)) await new Promise((resolve) => setTimeout(resolve, 5));
(globalThis as { gc?: () => void }).gc?.();
const { profile } = (await session.post('HeapProfiler.getSamplingProfile')) as unknown as {
  profile: { head: ProfileNode };
};
await session.post('HeapProfiler.stopSampling');
for (const cancel of cancels) cancel();
await Promise.all(pending);
await server.close();

const bySite = new Map<string, number>();
const byArea = new Map<string, number>();
/** Node's internals, a package of node_modules, rxjs-agents itself, the bench, or V8's builtins. */
function areaOf(url: string): string {
  if (url === '') return '(builtins: Map, Promise, arrays, …)';
  if (url.startsWith('node:')) return 'node (undici, web streams, …)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules !== null) return inModules[1] ?? url;
  if (/\/(dist|src)\//.test(url)) return 'rxjs-agents';
  return 'bench harness';
}
const visit = (node: ProfileNode): void => {
  const { functionName, url, lineNumber } = node.callFrame;
  byArea.set(areaOf(url), (byArea.get(areaOf(url)) ?? 0) + node.selfSize);
  const file = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|src)\//, '$1/');
  const site = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  node.children.forEach(visit);
};
visit(profile.head);
const total = [...bySite.values()].reduce((sum, size) => sum + size, 0);
console.log(
  `${contender.name}: ${runs} runs held after ${held} deltas; sampled live heap ${(total / runs / 1024).toFixed(1)} kB per run`,
);
for (const [area, size] of [...byArea].sort((a, b) => b[1] - a[1])) {
  console.log(`${(size / runs / 1024).toFixed(1).padStart(6)} kB  ${area}`);
}
for (const [site, size] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
  console.log(`${(size / runs).toFixed(0).padStart(7)} B  ${site}`);
}

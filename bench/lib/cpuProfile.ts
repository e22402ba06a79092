/** Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and sums self and total time by function and package. */
import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function and by package, from a `.cpuprofile`. */
export function summarize(path: string, top = 25): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = (byId.get(id) as CpuProfile['nodes'][number]).callFrame;
    const file = url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/node_modules\//, '')
      .replace(/^.*\/work\/main\//, '');
    const key = `${functionName || '(anonymous)'}  ${file ? `${file}:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
    const pkg = !url
      ? functionName
      : url.startsWith('node:')
        ? 'node internals'
        : url.includes('/node_modules/')
          ? (url.split('/node_modules/').pop() as string)
              .split('/')
              .slice(0, url.split('/node_modules/').pop()?.startsWith('@') ? 2 : 1)
              .join('/')
          : url.includes('/dist/')
            ? 'rxjs-agents (dist)'
            : 'bench';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + time);
  }
  // Total (inclusive) time of rxjs-agents' own functions: each sample counts once for every
  // distinct function on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = (byId.get(at) as CpuProfile['nodes'][number]).callFrame;
      if (!url.includes('/dist/')) continue;
      seen.add(`${functionName || '(anonymous)'}  ${url.replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}`);
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const pct = (time: number): string => `${((100 * time) / total).toFixed(1).padStart(5)}%`;
  const sorted = (map: Map<string, number>, n: number): string[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, time]) => `${pct(time)}  ${(time / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  return [
    `${path}: ${(total / 1000).toFixed(0)} ms sampled`,
    '',
    'Self time by package:',
    ...sorted(byPackage, 12),
    '',
    'Top functions by self time:',
    ...sorted(byFunction, top),
    '',
    "rxjs-agents' functions by total time (self and callees):",
    ...sorted(inclusive, 15),
  ].join('\n');
}

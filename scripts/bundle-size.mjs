#!/usr/bin/env node
// The size a browser app pays for rxjs-agents: a bundle of a minimal entry that uses `runStreamed`
// and `filterTextDeltas`, built from the built package (dist/, through package.json `exports`, as
// a user's bundler sees it) with esbuild for the browser, minified, and gzipped with node:zlib.
// `rxjs`, `zod` and `openai` are left out: an app has them anyway (rxjs, zod) or they are counted
// on their own (openai). Needs `npm run build` first.
//
//   node scripts/bundle-size.mjs           prints the size
//   node scripts/bundle-size.mjs --json    prints it as JSON, with the bytes of each input
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const external = ['rxjs', 'zod', 'openai'].flatMap((name) => [name, `${name}/*`]);

const entry = `
import { runStreamed } from 'rxjs-agents';
import { filterTextDeltas } from 'rxjs-agents/operators';

export function answerText(agent, question) {
  return runStreamed(agent, question).pipe(filterTextDeltas());
}
`;

const result = await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'bundle-size-entry.js', loader: 'js' },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  external,
  metafile: true,
  // Not the root tsconfig.json, whose `paths` point rxjs-agents at the sources: the built package.
  tsconfigRaw: {},
  logLevel: 'warning',
});

const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
  .map(([path, { bytesInOutput }]) => ({ path, bytesInOutput }))
  .filter(({ bytesInOutput }) => bytesInOutput > 0)
  .sort((a, b) => b.bytesInOutput - a.bytesInOutput);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ minifiedBytes: code.length, gzippedBytes: gzipped, external, inputs }, null, 2));
} else {
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
  console.log(`runStreamed + filterTextDeltas, browser bundle without ${['rxjs', 'zod', 'openai'].join(', ')}:`);
  console.log(`  minified ${kB(code.length)}, minified + gzipped ${kB(gzipped)} (${gzipped} bytes)`);
  console.log('  largest inputs (minified bytes):');
  for (const { path, bytesInOutput } of inputs.slice(0, 8))
    console.log(`    ${String(bytesInOutput).padStart(7)}  ${path}`);
}

// Builds the browser page into examples/browser/dist with esbuild: main.ts bundled for browsers
// (rxjs-agents resolved from the built package, as a user's bundler would), index.html and
// style.css copied. The example server serves that directory at `/`.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here('./dist');

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [here('./main.ts')],
  outfile: `${outdir}/main.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await Promise.all(['index.html', 'style.css'].map((file) => copyFile(here(`./${file}`), `${outdir}/${file}`)));
console.log(`Built the browser page into ${outdir}`);

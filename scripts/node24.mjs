#!/usr/bin/env node
// Node 24 from npm, for what needs a newer Node than the one running: CI's second pass of the
// whole suite (`.ci/run`), and the Angular example's build (Angular 22 needs Node 22.22+ or
// 24.15+; see scripts/build-examples.mjs). The binary is the `node` package pinned by
// scripts/node24/package-lock.json, installed there with `npm ci` on first use. It is a project of
// its own on purpose: as a devDependency of the library, `npm run` would put it first on PATH and
// silently run every script on 24.
//
//   node scripts/node24.mjs <command> [args…]   runs the command with Node 24 first on PATH
//                                               (so `npm`, `npx` and `#!/usr/bin/env node` scripts
//                                               run on it), e.g. `node scripts/node24.mjs npm test`
//
// As a module: `node24Env()` is an environment with Node 24 first on PATH, `nodeAtLeast(...)`
// tells whether the running Node is new enough.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const project = fileURLToPath(new URL('node24/', import.meta.url));
const bin = join(project, 'node_modules', '.bin');
const node = join(bin, process.platform === 'win32' ? 'node.cmd' : 'node');

/** The directory of Node 24's `node`, installed (`npm ci` in scripts/node24) if it is not yet. */
export function node24BinDir() {
  if (!existsSync(node) || !works()) {
    console.log('— Node 24 from npm (npm ci in scripts/node24)');
    execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project,
      stdio: 'inherit',
    });
    if (!works()) throw new Error(`scripts/node24: ${node} does not run after npm ci.`);
  }
  return bin;
}

/** `env` (default: this process's) with Node 24 first on PATH. */
export function node24Env(env = process.env) {
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  return { ...env, [key]: `${node24BinDir()}${delimiter}${env[key] ?? ''}` };
}

/**
 * Whether the running Node satisfies one of `ranges`, each `[major, minor, patch]` meaning "that
 * version or a later one of the same major"; a major past every range's counts too. Angular 22's
 * `^22.22.3 || ^24.15.0 || >=26` is `[[22, 22, 3], [24, 15, 0], [26, 0, 0]]`.
 */
export function nodeAtLeast(ranges, version = process.versions.node) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (major > Math.max(...ranges.map(([rangeMajor]) => rangeMajor))) return true;
  return ranges.some(
    ([rangeMajor, rangeMinor, rangePatch]) =>
      major === rangeMajor && (minor > rangeMinor || (minor === rangeMinor && patch >= rangePatch)),
  );
}

function works() {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.startsWith('v24.');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined) {
    console.error('usage: node scripts/node24.mjs <command> [args…]');
    process.exit(2);
  }
  const result = spawnSync(command, args, { stdio: 'inherit', env: node24Env() });
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}

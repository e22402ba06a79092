#!/usr/bin/env node
// Builds what the example server (examples/node-server) serves, from the built library (run
// `npm run build` first):
//   - the browser page (examples/browser, esbuild) into examples/browser/dist;
//   - the Angular app (examples/angular, Angular CLI) into examples/angular/dist/browser;
//   - the React chat (examples/react-chat, Vite) into examples/react-chat/dist, which its own
//     server.ts serves.
// The Angular and React examples are npm projects of their own, so that Angular and React stay
// out of the library's lock. Each gets the library packed from this repository (`file:../..` with
// install-links), so it is (re)installed with `npm ci` whenever its lock, or the built library,
// changed. Angular 22 needs Node ^22.22.3 || ^24.15.0 || >=26: on an older Node (20), the Angular
// example is installed and built with the Node 24 from npm (scripts/node24.mjs).
//
//   node scripts/build-examples.mjs [--browser] [--angular] [--react]     (all when none is given)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24Env, nodeAtLeast } from './node24.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const angular = join(root, 'examples', 'angular');
const react = join(root, 'examples', 'react-chat');
const args = process.argv.slice(2);
const all = !['--browser', '--angular', '--react'].some((flag) => args.includes(flag));

if (!existsSync(join(root, 'dist', 'src', 'index.js'))) {
  console.error('The library is not built: run `npm run build` first.');
  process.exit(1);
}

if (all || args.includes('--browser')) {
  timed('browser page (esbuild)', () => run('node', [join(root, 'examples', 'browser', 'build.mjs')], root));
}

if (all || args.includes('--angular')) {
  // What @angular/cli 22 declares in `engines`.
  const angularNode = [
    [22, 22, 3],
    [24, 15, 0],
    [26, 0, 0],
  ];
  let env = { ...process.env, NG_CLI_ANALYTICS: 'false' };
  if (!nodeAtLeast(angularNode)) {
    console.log(
      `— Node ${process.versions.node} is too old for Angular 22: the example is built with Node 24 from npm`,
    );
    env = node24Env(env);
  }
  install('Angular', angular, env);
  timed('Angular app (ng build)', () => run(join(angular, 'node_modules', '.bin', 'ng'), ['build'], angular, env));
}

if (all || args.includes('--react')) {
  install('React', react);
  timed('React chat (tsc, vite build)', () => run('npm', ['run', 'build'], react));
}

/** `npm ci` in an example, unless it is installed already from the same lock and library. */
function install(name, dir, env = process.env) {
  const stampFile = join(dir, 'node_modules', '.rxjs-agents-example-stamp');
  const stamp = installStamp(dir);
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    timed(`${name} example install (npm ci)`, () =>
      run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], dir, env),
    );
    writeFileSync(stampFile, stamp);
  }
}

/** What an example's installation depends on: its lock, and the library it packs. */
function installStamp(dir) {
  const hash = createHash('sha256');
  for (const file of [join(dir, 'package-lock.json'), join(root, 'package.json'), ...files(join(root, 'dist'))]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function run(command, commandArgs, cwd, env = process.env) {
  execFileSync(command, commandArgs, { cwd, stdio: 'inherit', env });
}

function timed(title, action) {
  const start = performance.now();
  console.log(`— ${title}`);
  action();
  console.log(`— ${title}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

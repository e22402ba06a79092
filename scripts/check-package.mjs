#!/usr/bin/env node
// The package as the ecosystem checks it: packs the tarball a user would install (`npm pack`, so
// `files` and `exports` are what is published) and runs on it
//   - publint (--strict: warnings fail too), and
//   - @arethetypeswrong/cli with the `esm-only` profile: rxjs-agents is ESM-only ("type":
//     "module", no `require` condition), so CommonJS `require()` and node10 resolution are out of
//     scope; every entry point must resolve, with types, under node16 (ESM) and bundler.
// It also checks that the packed package.json says `"sideEffects": false`, and that each `bin`
// is in the tarball with its `#!/usr/bin/env node` line. Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'rxjs-agents-pack-'));
let failed = false;

function step(title, command, args) {
  console.log(`\n— ${title}: ${[command, ...args].map((arg) => arg.replace(dir, '<tmp>')).join(' ')}`);
  try {
    execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  } catch {
    failed = true;
    console.error(`✗ ${title} failed`);
  }
}

try {
  execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  const packed = join(dir, tarball);
  console.log(`Packed ${tarball}`);

  step('publint', bin('publint'), ['run', packed, '--strict']);
  step('are the types wrong', bin('attw'), [
    packed,
    '--profile',
    'esm-only',
    '--format',
    'table-flipped',
    '--no-emoji',
  ]);

  const manifest = JSON.parse(execFileSync('tar', ['-xOzf', packed, 'package/package.json'], { encoding: 'utf8' }));
  console.log('\n— package.json as packed');
  for (const [field, expected] of [
    ['type', 'module'],
    ['sideEffects', false],
  ]) {
    const ok = manifest[field] === expected;
    failed ||= !ok;
    console.log(
      `${ok ? '✓' : '✗'} "${field}": ${JSON.stringify(manifest[field])}${ok ? '' : ` (expected ${JSON.stringify(expected)})`}`,
    );
  }

  console.log('\n— bin as packed');
  for (const [name, target] of Object.entries(manifest.bin ?? {})) {
    let head = '';
    try {
      head = execFileSync('tar', ['-xOzf', packed, `package/${target.replace(/^\.\//, '')}`], { encoding: 'utf8' });
    } catch {
      // Not in the tarball: reported below.
    }
    const ok = head.startsWith('#!/usr/bin/env node\n');
    failed ||= !ok;
    console.log(
      `${ok ? '✓' : '✗'} ${name} → ${target}${ok ? '' : ' (missing from the tarball, or without its shebang)'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (failed) {
  console.error('\nThe package checks failed.');
  process.exit(1);
}
console.log('\nThe package checks passed.');

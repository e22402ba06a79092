/**
 * Which Chromium the end-to-end tests drive, in this order:
 *
 * 1. `CHROMIUM_PATH`, when set (it must exist);
 * 2. Debian's `/usr/bin/chromium` (`apt-get install chromium`), when installed;
 * 3. otherwise the Chromium inside the `@sparticuz/chromium` devDependency, so that a machine with
 *    only Node and npm runs them: its brotli-compressed build is extracted once per version into
 *    `node_modules/.cache/rxjs-agents-chromium/<version>/` (a few seconds, ~200 MB).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A Chromium to launch: the executable, the flags it needs, the environment it needs. */
export interface ChromiumBinary {
  readonly executablePath: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Where it came from, for error messages. */
  readonly source: string;
}

const debianChromium = '/usr/bin/chromium';

/**
 * The flags of `@sparticuz/chromium` that are for AWS Lambda, not for a test: one process for
 * everything (which breaks the separate browser contexts each test opens), no same-origin policy,
 * mixed content allowed, and its own headless mode (playwright-core picks the headless mode).
 */
const lambdaOnlyFlags = [
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
  "--headless='shell'",
];

/** The Chromium to drive; see the module comment. */
export function findChromium(): ChromiumBinary {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist.`);
    return { executablePath: fromEnv, args: [], source: 'CHROMIUM_PATH' };
  }
  if (existsSync(debianChromium)) return { executablePath: debianChromium, args: [], source: debianChromium };
  return sparticuzChromium();
}

/**
 * A fontconfig file for the extracted Chromium. The package's own `fonts/fonts.conf` names the
 * directories of AWS Lambda (`/tmp/fonts`, `/opt/fonts`), not where its fonts were extracted: on a
 * machine without them, Chromium finds no font at all, and its renderer dies (`FATAL:
 * SkFontMgr_FontConfigInterface.cpp … Not implemented`) on the first character it must find a
 * font for. This one names the extracted fonts (Open Sans) and the system's, with a cache of its own.
 */
function fontConfig(dir: string): string {
  const file = join(dir, 'fontconfig.conf');
  const dirs = [join(dir, 'fonts', 'fonts'), '/usr/share/fonts', '/usr/local/share/fonts'];
  writeFileSync(
    file,
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' +
      dirs.map((path) => `  <dir>${path}</dir>\n`).join('') +
      `  <cachedir>${join(dir, 'fontconfig-cache')}</cachedir>\n</fontconfig>\n`,
  );
  return file;
}

/** Whether `marker` says a complete extraction is there (and its executable still is). */
function extractedIn(marker: string): boolean {
  if (!existsSync(marker)) return false;
  try {
    return existsSync((JSON.parse(readFileSync(marker, 'utf8')) as { executablePath: string }).executablePath);
  } catch {
    return false;
  }
}

/**
 * The Chromium of `@sparticuz/chromium`, extracted into the project's cache. The package extracts
 * into `os.tmpdir()` and trusts whatever it finds there, so it runs in a child process whose
 * `TMPDIR` is a directory of this version's own; a marker file written after a complete
 * extraction tells a finished cache from one an interrupted run left.
 */
function sparticuzChromium(): ChromiumBinary {
  const require = createRequire(join(root, 'package.json'));
  let version: string;
  try {
    // `exports` hides its package.json: find it beside the entry (build/index.js).
    const manifest = join(dirname(require.resolve('@sparticuz/chromium')), '..', 'package.json');
    version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    throw new Error(
      `No Chromium: CHROMIUM_PATH is not set, ${debianChromium} does not exist, and @sparticuz/chromium is not installed (npm ci).`,
    );
  }
  const dir = join(root, 'node_modules', '.cache', 'rxjs-agents-chromium', version);
  const marker = join(dir, 'extracted.json');
  if (!extractedIn(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const script = `import chromium from '@sparticuz/chromium';
      const executablePath = await chromium.executablePath();
      process.stdout.write(JSON.stringify({ executablePath, args: chromium.args }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, TMPDIR: dir, TMP: dir, TEMP: dir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 120_000,
    });
    writeFileSync(marker, out);
  }
  const extracted = JSON.parse(readFileSync(marker, 'utf8')) as { executablePath: string; args: string[] };
  return {
    executablePath: extracted.executablePath,
    args: extracted.args.filter((flag) => !lambdaOnlyFlags.includes(flag)),
    env: { FONTCONFIG_FILE: fontConfig(dir) },
    source: `@sparticuz/chromium ${version}`,
  };
}

/**
 * The code users read — the README and the user guides (`docs/guides/*.md`) — checked the way a
 * reader would use it. Each of those documents is a "guide" below; the rules are the same for all.
 *
 * - Every ```ts block type-checks against the public API: each is written to
 *   `test-output/guides/<guide>-<n>.ts`, under a tsconfig that extends the root one (whose `paths`
 *   map `rxjs-agents*` to the sources), and compiled with `tsc --noEmit`. Errors are reported at
 *   their line in the document. `angular.md` compiles with the Angular example's own packages
 *   (`examples/angular/node_modules`): `npm test` installs them first; without them that test
 *   fails and says how to install them (`npm run example:angular:build`).
 * - A guide may declare placeholders for what its blocks use but do not define (an `agent`, a
 *   `model`), in one or more comments `<!-- prelude: declare const agent: … -->`. Only `declare`
 *   lines are allowed, and a placeholder is left out of a block that defines the name itself.
 * - A block preceded by `<!-- run -->` runs offline (on `fakeModel` or the local server), its
 *   `rxjs-agents*` imports pointed at the sources. A block that calls vitest's `describe`/`it`
 *   has those tests collected and run. A ```text block preceded by `<!-- output -->` is what the
 *   run block before it must print with `console.log`, line for line.
 * - Every relative link of a guide points at a file (and a heading, for an anchor) that exists, and
 *   the README's "Guides" section links every guide.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const guidesDir = join(root, 'docs', 'guides');
const readmePath = join(root, 'README.md');
const angularModules = join(root, 'examples', 'angular', 'node_modules');
const angularInstalled = existsSync(join(angularModules, '@angular', 'core', 'package.json'));

/** The guides the README promises, in reading order. */
const expectedGuides = [
  'three-modes',
  'operators',
  'testing',
  'angular',
  'node-servers',
  'ai-sdk-ui-and-ag-ui',
  'compatible-servers',
  'approval',
  'sessions',
  'guardrails-tools-mcp',
  'tracing',
  'batch-jobs',
];

interface Block {
  /** The guide's name: `README`, or a guide's file name without `.md`. */
  readonly guide: string;
  /** The document's path from the repository's root (`docs/guides/testing.md`, `README.md`). */
  readonly doc: string;
  /** 1-based, among the guide's ts blocks. */
  readonly index: number;
  /** The guide's line of the block's first line of code (1-based). */
  readonly line: number;
  readonly code: string;
  readonly run: boolean;
  /** What the block prints, when the guide shows it. */
  output?: string[];
}

interface Guide {
  readonly name: string;
  readonly path: string;
  /** `path` from the repository's root. */
  readonly doc: string;
  readonly text: string;
  readonly prelude: readonly string[];
  readonly blocks: readonly Block[];
}

function parseGuide(path: string): Guide {
  const doc = relative(root, path);
  const name = path === readmePath ? 'README' : relative(guidesDir, path).replace(/\.md$/, '');
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const prelude: string[] = [];
  const blocks: Block[] = [];
  let pending: 'run' | 'output' | undefined;
  let pendingLine = 0;
  let lastBlock: Block | undefined;
  const fail = (line: number, message: string): never => {
    throw new Error(`${doc}:${line}: ${message}`);
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const preludeStart = /^<!--\s*prelude:(.*)$/.exec(line);
    if (preludeStart) {
      let body = preludeStart[1]!;
      while (!body.includes('-->')) {
        if (++i >= lines.length) fail(i, 'a prelude comment that never closes');
        body += `\n${lines[i]}`;
      }
      for (const declaration of body
        .replace(/-->[\s\S]*$/, '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)) {
        if (!declaration.startsWith('declare '))
          fail(i + 1, `a prelude holds only 'declare' lines; got: ${declaration}`);
        prelude.push(declaration);
      }
      continue;
    }
    if (/^<!--\s*run\s*-->$/.test(line.trim())) {
      pending = 'run';
      pendingLine = i + 1;
      continue;
    }
    if (/^<!--\s*output\s*-->$/.test(line.trim())) {
      pending = 'output';
      pendingLine = i + 1;
      continue;
    }
    const fence = /^```(\S*)/.exec(line);
    if (!fence) {
      if (pending && line.trim() !== '') fail(pendingLine, `<!-- ${pending} --> must be followed by a code block`);
      continue;
    }
    const language = fence[1]!;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (end >= lines.length) fail(i + 1, 'a code block that never closes');
    const code = lines.slice(start, end).join('\n');
    if (language === 'ts' || language === 'typescript') {
      if (pending === 'output') fail(pendingLine, '<!-- output --> must be followed by a ```text block');
      lastBlock = { guide: name, doc, index: blocks.length + 1, line: start + 1, code, run: pending === 'run' };
      blocks.push(lastBlock);
    } else if (pending === 'output') {
      if (language !== 'text') fail(pendingLine, '<!-- output --> must be followed by a ```text block');
      if (!lastBlock?.run) fail(pendingLine, '<!-- output --> must follow a <!-- run --> block');
      if (lastBlock!.output) fail(pendingLine, 'a run block has one <!-- output --> at most');
      lastBlock!.output = code.split('\n');
    } else if (pending === 'run') {
      fail(pendingLine, '<!-- run --> must be followed by a ```ts block');
    }
    pending = undefined;
    i = end;
  }
  return { name, path, doc, text, prelude, blocks };
}

/** The user guides, by file name. */
const guides: Guide[] = readdirSync(guidesDir)
  .filter((file) => file.endsWith('.md'))
  .sort()
  .map((file) => parseGuide(join(guidesDir, file)));
/** The README, and then the guides: every document whose code users read. */
const documents: Guide[] = [parseGuide(readmePath), ...guides];

/** The name a prelude line declares: `declare const agent: …` → `agent`. */
function declaredName(declaration: string): string | undefined {
  return /^declare\s+(?:const|let|var|function|class|namespace|interface|type|enum)\s+([A-Za-z_$][\w$]*)/.exec(
    declaration,
  )?.[1];
}

/** The prelude lines a block needs: those whose name the block does not define or import itself. */
function preludeFor(guide: Guide, block: Block): string[] {
  return guide.prelude.filter((declaration) => {
    const name = declaredName(declaration);
    if (name === undefined) return true;
    const defines = new RegExp(
      `(?:\\b(?:const|let|var|function|class|interface|type|enum)\\s+|import\\s+)${name.replace(/\$/g, '\\$')}\\b`,
    );
    const imports = new RegExp(`^import[^;]*[{,\\s]${name.replace(/\$/g, '\\$')}[\\s,}][^;]*from`, 'm');
    return !defines.test(block.code) && !imports.test(block.code);
  });
}

/** Where a block's generated file puts its code: line k of the file is line `k - offset` of the block. */
interface Written {
  readonly block: Block;
  readonly file: string;
  readonly offset: number;
}

function writeBlocks(dir: string, selected: readonly Guide[]): Written[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const written: Written[] = [];
  for (const guide of selected) {
    for (const block of guide.blocks) {
      const header = [
        `// ${guide.doc}, ts block ${block.index} (line ${block.line}); generated by test/guides.spec.ts`,
        ...preludeFor(guide, block),
      ];
      const file = join(dir, `${guide.name}-${block.index}.ts`);
      writeFileSync(file, `${header.join('\n')}\n${block.code}\nexport {};\n`);
      written.push({ block, file, offset: header.length });
    }
  }
  return written;
}

interface TscRun {
  /** The exit code: 0 only when the project compiled without an error. */
  readonly code: number;
  readonly output: string;
}

function tsc(project: string): Promise<TscRun> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--noEmit', '--pretty', 'false'],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolvePromise({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/**
 * tsc's errors, each at its place in its document (`docs/guides/x.md:12:5 error TS…`), by guide;
 * under `(tsc)` what belongs to no block, including a failure that printed no error at all.
 */
function diagnosticsByGuide({ code, output }: TscRun, written: readonly Written[]): Map<string, string[]> {
  const byFile = new Map(written.map((entry) => [resolve(entry.file), entry]));
  const result = new Map<string, string[]>();
  const add = (guide: string, message: string) => result.set(guide, [...(result.get(guide) ?? []), message]);
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (!match) {
      // A continuation line of the previous message (an elaboration), or tsc's own failure.
      if (current && line.startsWith(' ')) current[current.length - 1] += `\n${line}`;
      else if (line.trim() !== '') add('(tsc)', line);
      continue;
    }
    const entry = byFile.get(resolve(root, match[1]!));
    if (!entry) {
      add('(tsc)', line);
      current = undefined;
      continue;
    }
    const fileLine = Number(match[2]);
    const where =
      fileLine <= entry.offset
        ? `${entry.block.doc} (prelude of ts block ${entry.block.index})`
        : `${entry.block.doc}:${entry.block.line + fileLine - entry.offset - 1}:${match[3]}`;
    add(entry.block.guide, `${where} ${match[4]}`);
    current = result.get(entry.block.guide);
  }
  if (code !== 0 && result.size === 0) add('(tsc)', `tsc exited with code ${code} and reported no error`);
  return result;
}

/** The root tsconfig's `paths`, re-rooted for a tsconfig in `dir` (a child's `paths` replace the parent's). */
function rootPaths(dir: string): Record<string, string[]> {
  const text = readFileSync(join(root, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const { compilerOptions } = JSON.parse(text) as { compilerOptions: { paths: Record<string, string[]> } };
  return Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([key, targets]) => [
      key,
      targets.map((target) => relative(dir, join(root, target))),
    ]),
  );
}

/** The anchors GitHub gives a Markdown file's headings (code blocks skipped). */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const heading = inCode ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let slug = base;
    for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
  }
  return slugs;
}

describe('docs/guides', () => {
  it('has every guide the README links, each linked with one line', () => {
    expect(guides.map((guide) => guide.name).sort()).toEqual([...expectedGuides].sort());
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = /\n## Guides\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const linked = [...section.matchAll(/\]\(docs\/guides\/([\w-]+)\.md\)/g)].map((match) => match[1]);
    expect(linked).toEqual(expectedGuides);
  });

  it.each(documents.map((guide) => [guide.doc, guide] as const))(
    '%s: every relative link points at a file (and heading) that exists',
    (_name, guide) => {
      const broken = [...guide.text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => {
          const [path = '', anchor] = target.split('#');
          const file = path === '' ? guide.path : resolve(dirname(guide.path), path);
          if (!existsSync(file)) return true;
          return anchor !== undefined && file.endsWith('.md') && !headingSlugs(readFileSync(file, 'utf8')).has(anchor);
        });
      expect(broken).toEqual([]);
      expect(guide.blocks.length).toBeGreaterThan(0);
    },
  );
});

describe('README and docs/guides: every ts block type-checks against the public API', () => {
  const plain = documents.filter((guide) => guide.name !== 'angular');
  let errors = new Map<string, string[]>();

  beforeAll(async () => {
    const dir = join(root, 'test-output', 'guides');
    const written = writeBlocks(dir, plain);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['*.ts'] }, null, 2),
    );
    errors = diagnosticsByGuide(await tsc(join(dir, 'tsconfig.json')), written);
  }, 180_000);

  it.each(plain.map((guide) => [guide.doc, guide.name] as const))('%s', (_doc, name) => {
    expect(errors.get(name) ?? []).toEqual([]);
    expect(errors.get('(tsc)') ?? []).toEqual([]);
  });
});

describe("docs/guides/angular.md type-checks with the Angular example's packages", () => {
  it('angular.md', async () => {
    // `npm test` installs the Angular example before it runs the tests; a bare `vitest run` may not have.
    if (!angularInstalled)
      throw new Error(
        'examples/angular/node_modules is missing: run `npm run example:angular:build` (npm test does) and try again.',
      );
    const guide = guides.find((candidate) => candidate.name === 'angular');
    expect(guide).toBeDefined();
    const dir = join(root, 'test-output', 'guides-angular');
    const written = writeBlocks(dir, [guide!]);
    // The Angular packages resolve from the example's own node_modules, as in the example.
    symlinkSync(angularModules, join(dir, 'node_modules'), 'dir');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify(
        {
          extends: '../../tsconfig.json',
          compilerOptions: { noEmit: true, experimentalDecorators: true, paths: rootPaths(dir) },
          include: ['*.ts'],
        },
        null,
        2,
      ),
    );
    const errors = diagnosticsByGuide(await tsc(join(dir, 'tsconfig.json')), written);
    expect([...errors.values()].flat()).toEqual([]);
  }, 180_000);
});

/** What a run block's `describe`/`it`/hooks register, through the `vitest` stand-in below. */
interface Collected {
  tests: { name: string; fn: () => unknown }[];
  beforeEach: (() => unknown)[];
  afterEach: (() => unknown)[];
  beforeAll: (() => unknown)[];
  afterAll: (() => unknown)[];
}

const registryKey = '__rxjsAgentsGuideTests';

/** Stands in for `vitest` in a run block: `expect` and `vi` are vitest's, tests and hooks are collected. */
const vitestStandIn = `// generated by test/guides.spec.ts
export { expect, vi } from 'vitest';
const registry = () => (globalThis as Record<string, any>)['${registryKey}'];
export const describe = (_name: string, body: () => void): void => body();
export const it = (name: string, fn: () => unknown): void => void registry().tests.push({ name, fn });
export const test = it;
export const beforeEach = (fn: () => unknown): void => void registry().beforeEach.push(fn);
export const afterEach = (fn: () => unknown): void => void registry().afterEach.push(fn);
export const beforeAll = (fn: () => unknown): void => void registry().beforeAll.push(fn);
export const afterAll = (fn: () => unknown): void => void registry().afterAll.push(fn);
`;

/** The block with its imports of the package pointed at the sources, and of `vitest` at the stand-in. */
function runnable(code: string, dir: string): string {
  const entries: Record<string, string> = {
    'rxjs-agents': 'src/index.ts',
    'rxjs-agents/operators': 'operators/index.ts',
    'rxjs-agents/testing': 'src/testing/index.ts',
    'rxjs-agents/testing/server': 'src/testing/server/index.ts',
    'rxjs-agents/node': 'src/node/index.ts',
    'rxjs-agents/sessions': 'src/sessions/index.ts',
    'rxjs-agents/mcp': 'src/mcp/index.ts',
    'rxjs-agents/otel': 'src/otel/index.ts',
  };
  return code.replace(/(from\s+|import\(\s*)'([^']+)'/g, (whole, prefix: string, specifier: string) => {
    if (specifier === 'vitest') return `${prefix}'./vitest-stand-in.ts'`;
    const target = entries[specifier];
    return target === undefined ? whole : `${prefix}'${relative(dir, join(root, target))}'`;
  });
}

describe('README and docs/guides: the blocks marked <!-- run --> run offline', () => {
  const dir = join(root, 'test-output', 'guides-run');
  const runBlocks = documents.flatMap((guide) =>
    guide.blocks.filter((block) => block.run).map((block) => [guide, block] as const),
  );

  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'vitest-stand-in.ts'), vitestStandIn);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('there are some, in the README and in the guides', () => {
    expect(runBlocks.filter(([guide]) => guide.name === 'README').length).toBeGreaterThan(0);
    expect(runBlocks.filter(([guide]) => guide.name !== 'README').length).toBeGreaterThan(0);
  });

  it.each(runBlocks.map(([guide, block]) => [`${guide.doc}:${block.line}`, guide, block] as const))(
    '%s',
    async (_where, guide, block) => {
      const file = join(dir, `${guide.name}-${block.index}.ts`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${preludeFor(guide, block).join('\n')}\n${runnable(block.code, dir)}\nexport {};\n`);
      const printed: string[] = [];
      vi.spyOn(console, 'log').mockImplementation(
        (...args: unknown[]) => void printed.push(...format(...args).split('\n')),
      );
      const collected: Collected = { tests: [], beforeEach: [], afterEach: [], beforeAll: [], afterAll: [] };
      (globalThis as Record<string, unknown>)[registryKey] = collected;
      try {
        await import(file);
        for (const hook of collected.beforeAll) await hook();
        try {
          for (const test of collected.tests) {
            try {
              for (const hook of collected.beforeEach) await hook();
              await test.fn();
            } catch (error) {
              throw new Error(
                `the guide's test '${test.name}' failed: ${error instanceof Error ? error.message : String(error)}`,
                { cause: error },
              );
            } finally {
              for (const hook of collected.afterEach) await hook();
            }
          }
        } finally {
          for (const hook of collected.afterAll) await hook();
        }
      } finally {
        delete (globalThis as Record<string, unknown>)[registryKey];
      }
      if (block.output)
        expect(printed.map((line) => line.trimEnd())).toEqual(block.output.map((line) => line.trimEnd()));
    },
    60_000,
  );
});

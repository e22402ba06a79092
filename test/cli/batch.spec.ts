/**
 * `rxjs-agents batch` as a user runs it: the built command (dist/src/cli/main.js) in a process of
 * its own, an agent module of the user's (a .mjs importing the built package), its default
 * OpenAIProvider pointed at the local OpenAI-compatible server by OPENAI_BASE_URL, and the
 * process killed for real (SIGKILL) in the middle of a batch, then resumed.
 *
 * Needs `npm run build` first (`npm test` builds before it runs the tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BatchRecord } from '../../src/index.js';
import { startServer, type LocalServer, type Responder } from '../../src/testing/server/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'rxjs-agents-batch-'));
const agentModule = join(dir, 'agent.mjs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run 'npm run build' first.`);
  const index = pathToFileURL(join(root, 'dist', 'src', 'index.js')).href;
  writeFileSync(
    agentModule,
    `import { Agent } from ${JSON.stringify(index)};\n` +
      "export default new Agent({ name: 'Answerer', model: 'gpt-test', instructions: (context) => `Answer for ${context?.who}.` });\n",
  );
});

let server: LocalServer | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server?.close();
  server = undefined;
});

/** The server, answering each question with `answer to <question>`, and how often each was asked. */
async function answering(
  options: { delayMs?: number; fail?: (question: string) => boolean; batches?: { stepMs: number } } = {},
) {
  const asked = new Map<string, number>();
  const respond: Responder = async (request) => {
    const question = request.lastUserText ?? '';
    asked.set(question, (asked.get(question) ?? 0) + 1);
    if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (options.fail?.(question)) {
      return { status: 400, body: { error: { message: `no answer to ${question}`, type: 'invalid_request_error' } } };
    }
    return { text: `answer to ${question}` };
  };
  server = await startServer({ respond, ...(options.batches ? { batches: options.batches } : {}) });
  return { server, asked };
}

interface Batch {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `rxjs-agents batch <args>` in `dir`, its model calls going to `server`. */
function batch(args: readonly string[]): Batch {
  const env = { ...process.env, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server?.url ?? 'http://127.0.0.1:9/v1' };
  const child = spawn(process.execPath, [main, 'batch', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => stderr, exited };
}

async function finished(args: readonly string[]) {
  const run = batch(args);
  const { code } = await run.exited;
  return { code, stderr: run.stderr() };
}

function questions(name: string, lines: readonly unknown[]): string {
  writeFileSync(
    join(dir, name),
    lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n',
  );
  return name;
}

/** The whole records in a results file (a line a kill cut short is not one). */
function records(name: string): BatchRecord[] {
  const path = join(dir, name);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as BatchRecord];
      } catch {
        return [];
      }
    });
}

const ids = (list: readonly BatchRecord[]) => list.map((record) => record.id).sort();

describe('rxjs-agents batch', () => {
  it('answers every line once into --out, prints progress and the summary, and exits 0', async () => {
    await answering();
    const lines = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0
        ? JSON.stringify(`q${i}`)
        : { id: `id-${i}`, input: `q${i}`, ...(i === 2 ? { context: { who: 'line 2' } } : {}) },
    );
    const input = questions('good.jsonl', lines);

    const result = await finished([
      './agent.mjs',
      input,
      '--out',
      'good-answers.jsonl',
      '--concurrency',
      '4',
      '--context',
      '{"who":"cli"}',
    ]);

    expect(result.code).toBe(0);
    const saved = records('good-answers.jsonl');
    const expected = lines.map((line, i) => (typeof line === 'string' ? String(i) : line.id));
    expect(ids(saved)).toEqual([...expected].sort());
    expect(saved.find((record) => record.id === 'id-4')).toMatchObject({
      status: 'completed',
      finalOutput: 'answer to q4',
    });
    expect(saved.find((record) => record.id === '3')).toMatchObject({
      status: 'completed',
      finalOutput: 'answer to q3',
    });
    // --context reaches every run; a line's own context wins.
    const instructions = (id: string) =>
      JSON.stringify(server?.requests.find((request) => JSON.stringify(request.body).includes(`"q${id}"`))?.body);
    expect(instructions('1')).toContain('Answer for cli.');
    expect(instructions('2')).toContain('Answer for line 2.');
    expect(result.stderr).toMatch(/^30\/30 done, 0 failed, 0 in flight, [\d,]+ tokens, [\d,]+ req\/min$/m);
    expect(result.stderr).toMatch(/^30 completed, 0 failed, 0 skipped; [1-9][\d,]* tokens\n$/m);
  });

  it('some items failing (a refused request, a line that is not JSON): the others complete, exit 1', async () => {
    await answering({ fail: (question) => question.endsWith('7') });
    const input = questions('some-fail.jsonl', ['"q0"', '"q7"', 'not json', '', '"q3"', '"q17"']);

    const result = await finished(['./agent.mjs', input, '--out', 'some-fail.out.jsonl']);

    expect(result.code).toBe(1);
    const saved = records('some-fail.out.jsonl');
    expect(ids(saved)).toEqual(['0', '1', '2', '3', '4']);
    expect(
      saved
        .filter((record) => record.status === 'failed')
        .map((record) => record.id)
        .sort(),
    ).toEqual(['1', '2', '4']);
    expect(saved.find((record) => record.id === '1')).toMatchObject({
      error: { name: 'ModelProviderError', status: 400 },
    });
    expect(result.stderr).toContain('rxjs-agents batch: some-fail.jsonl line 3 is not JSON (SyntaxError:');
    expect(result.stderr).toContain(
      '2 completed, 3 failed (see some-fail.out.jsonl: lines with "status":"failed"), 0 skipped;',
    );
  });

  const badArgs: [string[], string][] = [
    [['./agent.mjs', 'missing.jsonl', '--out', 'x.jsonl'], 'batch: cannot read missing.jsonl: ENOENT'],
    [
      ['./not-agent.mjs', 'bad-args.jsonl', '--out', 'x.jsonl'],
      "the agent module ./not-agent.mjs exports no Agent: its default export is an object that is not an Agent, its export 'agent' is a string",
    ],
    [['./agent.mjs', 'bad-args.jsonl', '--out', 'x.jsonl', '--bogus'], "batch: Unknown option '--bogus'"],
    [
      ['./agent.mjs', 'bad-args.jsonl', '--out', 'x.jsonl', '--engine', 'openai-batch', '--rpm', '10'],
      'batch: --rpm paces calls made here; the Batch API has limits of its own.',
    ],
    [
      ['./agent.mjs', 'bad-args.jsonl', '--out', 'x.jsonl', '--poll', '5'],
      'batch: --poll goes with --engine openai-batch.',
    ],
    [
      ['./agent.mjs', 'bad-args.jsonl', '--out', 'x.jsonl', '--engine', 'openai-batch', '--endpoint', 'embeddings'],
      "batch: --endpoint takes responses or chat; got 'embeddings'.",
    ],
    [
      ['./agent.mjs', 'bad-args.jsonl', '--out', 'taken.jsonl'],
      'batch: taken.jsonl exists; pass --resume to go on, or remove it.',
    ],
    [['./agent.mjs', 'bad-args.jsonl'], 'batch: --out <answers.jsonl> is required'],
    [
      ['./agent.mjs', 'bad-args.jsonl', '--out', 'x.jsonl', '--concurrency', '0'],
      '--concurrency takes a whole number from 1 to 10000',
    ],
  ];
  it('bad arguments, files or modules: exit code 2 each, saying what is wrong, and nothing runs', async () => {
    writeFileSync(join(dir, 'not-agent.mjs'), 'export default { name: "A" };\nexport const agent = "A";\n');
    questions('bad-args.jsonl', ['"q0"']);
    writeFileSync(join(dir, 'taken.jsonl'), '{"id":"0","status":"completed","finalOutput":"kept","usage":{}}\n');

    // In parallel: each is a process start, and none talks to a server.
    const results = await Promise.all(badArgs.map(([args]) => finished(args)));

    results.forEach((result, i) => {
      expect(result.code, badArgs[i]![0].join(' ')).toBe(2);
      expect(result.stderr).toContain(badArgs[i]![1]);
    });
    expect(readFileSync(join(dir, 'taken.jsonl'), 'utf8')).toContain('"kept"');
    expect(records('x.jsonl')).toEqual([]);
  });

  it('--help says how to use it, the openai-batch engine included', async () => {
    const run = batch(['--help']);
    let stdout = '';
    run.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    expect((await run.exited).code).toBe(0);
    expect(stdout).toContain('Usage: rxjs-agents batch <agent-module> <input.jsonl> --out <answers.jsonl>');
    expect(stdout).toContain('--engine openai-batch  make the model calls as jobs');
  });

  it('killed with SIGKILL mid-batch, then --resume: every item once, only those in flight asked twice', async () => {
    const { asked } = await answering({ delayMs: 40 });
    const count = 40;
    const input = questions(
      'killed.jsonl',
      Array.from({ length: count }, (_, i) => ({ id: `k${i}`, input: `q${i}` })),
    );
    const args = ['./agent.mjs', input, '--out', 'killed.out.jsonl', '--concurrency', '4'];

    const first = batch(args);
    // Watch the file the way a user would; kill as soon as some items are in it.
    const seen = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        const done = records('killed.out.jsonl').length;
        if (done < 8) return;
        clearInterval(poll);
        first.child.kill('SIGKILL');
        resolve(done);
      }, 5);
    });
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const afterKill = records('killed.out.jsonl');
    expect(seen).toBeLessThan(count);
    expect(afterKill.length).toBeLessThan(count);

    const second = await finished([...args, '--resume']);

    expect(second.code).toBe(0);
    const saved = records('killed.out.jsonl');
    expect(ids(saved)).toEqual(Array.from({ length: count }, (_, i) => `k${i}`).sort());
    expect(second.stderr).toMatch(
      new RegExp(`^${count - afterKill.length} completed, 0 failed, ${afterKill.length} skipped;`, 'm'),
    );
    const counts = [...asked.values()];
    expect(asked.size).toBe(count);
    expect(counts.every((n) => n <= 2)).toBe(true);
    expect(counts.filter((n) => n === 2).length).toBeLessThanOrEqual(4);
  });

  it('--engine openai-batch, killed with SIGKILL while it polls, then --resume: polls the same job, pays once', async () => {
    const { server: local, asked } = await answering({ batches: { stepMs: 60 } });
    const count = 12;
    const input = questions(
      'engine.jsonl',
      Array.from({ length: count }, (_, i) => ({ id: `e${i}`, input: `q${i}` })),
    );
    const args = ['./agent.mjs', input, '--out', 'engine.out.jsonl', '--engine', 'openai-batch', '--poll', '0.01'];
    const polls = () =>
      local.requests.filter((request) => request.method === 'GET' && /^\/v1\/batches\/./.test(request.path));
    const jobs = () => local.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches');

    const first = batch(args);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (polls().length < 2) return;
        clearInterval(poll);
        first.child.kill('SIGKILL');
        resolve();
      }, 2);
    });
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Killed mid-poll: the job is recorded, no item is.
    expect(records('engine.out.jsonl')).toEqual([
      { type: 'batch-job', job: expect.any(String), inputFileId: expect.any(String) },
    ]);
    expect(jobs()).toHaveLength(1);

    const second = await finished([...args, '--resume']);
    expect(second.code).toBe(0);
    // The same job was polled to its end and read: no second job, every question asked once.
    expect(jobs()).toHaveLength(1);
    const saved = records('engine.out.jsonl').filter((record) => 'id' in record);
    expect(ids(saved)).toEqual(Array.from({ length: count }, (_, i) => `e${i}`).sort());
    expect(saved.find((record) => record.id === 'e3')).toMatchObject({
      status: 'completed',
      finalOutput: 'answer to q3',
    });
    expect([...asked.values()].every((n) => n === 1)).toBe(true);
    expect(asked.size).toBe(count);
  });

  it('SIGINT mid-batch: the runs in flight are cancelled, the summary printed, exit 130', async () => {
    await answering({ delayMs: 40 });
    const input = questions(
      'stopped.jsonl',
      Array.from({ length: 40 }, (_, i) => JSON.stringify(`q${i}`)),
    );
    const run = batch(['./agent.mjs', input, '--out', 'stopped.out.jsonl', '--concurrency', '2']);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (records('stopped.out.jsonl').length < 2) return;
        clearInterval(poll);
        run.child.kill('SIGINT');
        resolve();
      }, 5);
    });

    expect(await run.exited).toEqual({ code: 130, signal: null });
    const saved = records('stopped.out.jsonl');
    expect(saved.length).toBeLessThan(40);
    expect(run.stderr()).toContain('rxjs-agents batch: stopped by SIGINT; the runs in flight were cancelled');
    expect(run.stderr()).toMatch(/^\d+ completed, 0 failed, 0 skipped; [\d,]+ tokens$/m);
    expect(new Set(ids(saved)).size).toBe(saved.length);
  });
});

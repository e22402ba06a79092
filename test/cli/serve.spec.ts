/**
 * `rxjs-agents serve` as a user runs it: a process of its own (src/cli/main.ts through tsx's
 * loader), talked to with the real `openai` client, stopped with a signal. The packed `bin` is
 * run with npx in test/package.spec.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, run, runStreamed } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'src', 'cli', 'main.ts');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const nodeArgs = (args: readonly string[]) => ['--import', tsx, main, ...args];
const fixture = (name: string) => join(root, 'test', 'fixtures', 'openai', name);
const dir = mkdtempSync(join(tmpdir(), 'rxjs-agents-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Running[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
});

/** Starts `rxjs-agents serve <args>` and waits for the base URL it prints. */
function serve(...args: string[]): Promise<Running> {
  const child = spawn(process.execPath, nodeArgs(['serve', ...args]), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^OPENAI_BASE_URL=(\S+)$/m.exec(stdout)?.[1];
      if (url === undefined) return;
      const server: Running = { child, url, stdout: () => stdout, stderr: () => stderr, exited };
      running.push(server);
      resolve(server);
    });
    void exited.then(({ code }) => reject(new Error(`serve exited (${code}) before it was ready: ${stderr}`)));
  });
}

/** Runs `rxjs-agents <args>` to its end. */
function command(...args: string[]) {
  const result = spawnSync(process.execPath, nodeArgs(args), { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const client = (url: string) => new OpenAI({ apiKey: 'any-key', baseURL: url, maxRetries: 0, logLevel: 'off' });

describe('rxjs-agents serve', () => {
  it('--echo: prints OPENAI_BASE_URL, echoes on both APIs, and exits 0 on SIGINT', async () => {
    const server = await serve('--echo', '--port', '0');

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(server.stdout()).toBe(`OPENAI_BASE_URL=${server.url}\n`);
    expect(server.stderr()).toContain(`rxjs-agents local server at ${server.url}, answering with echo.`);

    const chat = new OpenAIChatCompletionsModel({ model: 'gpt-test', client: client(server.url) });
    expect((await run(new Agent({ name: 'Echo', model: chat }), 'Hello from the front end.')).finalOutput).toBe(
      'Hello from the front end.',
    );
    const responses = new OpenAIResponsesModel({ model: 'gpt-test', client: client(server.url) });
    const events = await lastValueFrom(
      runStreamed(new Agent({ name: 'Echo', model: responses }), 'Word by word').pipe(toArray()),
    );
    expect(events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))).toEqual([
      'Word',
      ' by',
      ' word',
    ]);

    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('--script with --echo: the script first, then echo; exits 0 on SIGTERM', async () => {
    const script = join(dir, 'script.json');
    writeFileSync(script, JSON.stringify([{ text: 'Scripted hello.' }, { status: 429 }]));
    const server = await serve('--script', script, '--echo', '--delay', '1');
    const model = new OpenAIChatCompletionsModel({ model: 'gpt-test', client: client(server.url) });
    const answer = () => run(new Agent({ name: 'A', model }), 'Then echo.');

    expect((await answer()).finalOutput).toBe('Scripted hello.');
    await expect(answer()).rejects.toMatchObject({ status: 429 });
    expect((await answer()).finalOutput).toBe('Then echo.');
    expect(server.stderr()).toContain(`answering with the script ${script}, then echo.`);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('--fixture: replays recordings, and prints what a request it could not answer got', async () => {
    const server = await serve('--fixture', fixture('responses/text-two-messages.jsonl'));
    const openai = client(server.url);

    for (let round = 0; round < 2; round += 1) {
      const response = await openai.responses.create({ model: 'm', input: 'Hi' });
      expect(response.output.filter((item) => item.type === 'message')).toHaveLength(2);
    }
    await expect(openai.chat.completions.create({ model: 'm', messages: [] })).rejects.toMatchObject({
      status: 500,
      code: 'respond_failed',
    });
    expect(server.stderr()).toContain(
      'rxjs-agents serve: request 3 answered 500: Error: No recording for the Chat Completions',
    );

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('--help prints the usage and exits 0', () => {
    const help = command('serve', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'Usage: rxjs-agents serve (--echo | --fixture <file.jsonl>... | --script <file.json>)',
    );
    expect(help.stdout).toContain('--port <n>');
    expect(command('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('serve    run the local') });
  });

  it.each([
    [['serve', '--bogus'], "serve: Unknown option '--bogus'"],
    [['serve', '--echo', '--port', 'eighty'], "serve: --port takes a whole number from 0 to 65535; got 'eighty'."],
    [['serve', '--echo', '--port', '70000'], '--port takes a whole number from 0 to 65535'],
    [['serve', '--echo', '--delay', '-5'], '--delay'],
    [['serve', '--echo', 'extra'], "Unexpected argument 'extra'"],
    [['serve'], 'serve: say how to answer: --echo, --fixture <file.jsonl> or --script <file.json>.'],
    [['serve', '--echo', '--fixture', 'a.jsonl'], 'serve: give --echo or --fixture, not both.'],
    [['serve', '--fixture'], "Option '--fixture <value>' argument missing"],
  ])('%j is a usage error: exit code 2, and it says what is wrong', (args, message) => {
    const result = command(...args);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Run 'rxjs-agents serve --help' for usage.");
  });

  it('an unknown command or none: exit code 2 with the commands', () => {
    for (const args of [['launch'], []]) {
      const result = command(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /rxjs-agents: (unknown command 'launch'|no command given)\.\nUsage: rxjs-agents <command>/,
      );
    }
  });

  it('a file it cannot use, or a port it cannot have: exit code 1, naming the problem', async () => {
    const notArray = join(dir, 'object.json');
    writeFileSync(notArray, '{"text":"Hi"}');
    const badTurn = join(dir, 'bad-turn.json');
    writeFileSync(badTurn, '[{"txt":"Hi"}]');

    expect(command('serve', '--fixture', '/no/such/file.jsonl')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Invalid argument `--fixture`: /no/such/file.jsonl: ENOENT'),
    });
    expect(command('serve', '--script', notArray)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`--script ${notArray}: a JSON array of turns`),
    });
    expect(command('serve', '--script', join(dir, 'missing.json'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ENOENT'),
    });
    expect(command('serve', '--script', badTurn)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Invalid argument `options.turns[0]`: unknown field `txt`'),
    });

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      expect(command('serve', '--echo', '--port', String(port))).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('EADDRINUSE'),
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

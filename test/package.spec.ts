/**
 * The package as a user gets it: packed, installed into an empty project with its peers, imported
 * from plain Node ESM, and used from TypeScript with the user's own `OpenAI` client.
 *
 * The Node and the `openai` major are those of the pass that runs this file: `node` on PATH (CI
 * puts Node 24 first on PATH for its second pass) and the version of `openai` installed here (7
 * from the lock; 6 in CI's pass with `npm install --no-save openai@6`). The user's project gets
 * that same `openai`, and, under another name, a client of the other major, as a project does
 * when one of its dependencies brings its own copy of the SDK.
 *
 * Needs `npm run build` first (`npm test` builds before it runs the tests).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageExports } from './packageExports.js';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  devDependencies: Record<string, string>;
};
/** The `openai` these tests run with, and so the user's. */
const openai = (
  JSON.parse(readFileSync(join(root, 'node_modules', 'openai', 'package.json'), 'utf8')) as { version: string }
).version;
const openaiMajor = Number.parseInt(openai, 10);
/** The other supported major, for the client of "another copy of the SDK" (CI's openai 6 pass uses the same 6). */
const otherOpenai = openaiMajor === 6 ? manifest.devDependencies.openai! : '6.49.0';
let project: string;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'rxjs-agents-install-'));
  npm(['pack', '--pack-destination', project, '--silent'], root);
  const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  const dev = manifest.devDependencies;
  npm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `./${tarball}`,
      `rxjs@${dev.rxjs}`,
      `zod@${dev.zod}`,
      `openai@${openai}`,
      `openai-other@npm:openai@${otherOpenai}`,
      `@types/node@${dev['@types/node']}`,
      // rxjs-agents/otel's optional peer: the API alone, no SDK (a user's own tracer below).
      `@opentelemetry/api@${dev['@opentelemetry/api']}`,
      // rxjs-agents/angular's optional peer (npm adds its own peer, @angular/compiler).
      `@angular/core@${dev['@angular/core']}`,
    ],
    project,
  );
}, 240_000);

// Removing the installed project (its node_modules) can take longer than the default hook timeout.
afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
}, 60_000);

function runModule(source: string): string {
  const file = join(project, `check-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  return execFileSync('node', [file], { cwd: project, encoding: 'utf8' }).trim();
}

describe('the packed package', () => {
  it('has exactly the entry points and exports of test/packageExports.ts', () => {
    const entries = Object.keys(manifest.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => `rxjs-agents${subpath.slice(1)}`);
    expect(entries.sort()).toEqual(Object.keys(packageExports).sort());

    const out = runModule(`
      const entries = ${JSON.stringify(Object.keys(packageExports))};
      const found = {};
      for (const entry of entries) found[entry] = Object.keys(await import(entry)).sort();
      console.log(JSON.stringify(found));
    `);
    const found = JSON.parse(out) as Record<string, string[]>;
    for (const [entry, names] of Object.entries(packageExports)) {
      expect({ entry, exports: found[entry] }).toEqual({ entry, exports: [...names].sort() });
    }
  });

  it('runs an agent in all three modes with fakeModel', () => {
    const out = runModule(`
      import { z } from 'zod';
      import { lastValueFrom } from 'rxjs';
      import { Agent, run, runSync, runStreamed } from 'rxjs-agents';
      import { filterTextDeltas, toFinalOutput } from 'rxjs-agents/operators';
      import { fakeModel } from 'rxjs-agents/testing';
      const agent = (model) => new Agent({ name: 'Travel', model, outputType: z.object({ city: z.string() }) });
      const script = () => fakeModel([{ output: { city: 'Lisbon' } }]);
      const sync = runSync(agent(script()), 'Where?').finalOutput;
      const asyncResult = (await run(agent(script()), 'Where?')).finalOutput;
      const streamed = await lastValueFrom(runStreamed(agent(script()), 'Where?').pipe(toFinalOutput()));
      console.log(JSON.stringify([sync, asyncResult, streamed]));
    `);
    expect(JSON.parse(out)).toEqual([{ city: 'Lisbon' }, { city: 'Lisbon' }, { city: 'Lisbon' }]);
  });

  it('traces a run with rxjs-agents/otel over @opentelemetry/api: invoke_agent, chat, execute_tool, in their parents', () => {
    // A tracer of the user's own, on the API alone: it records each span's name and its parent's.
    const out = runModule(`
      import { trace } from '@opentelemetry/api';
      import { z } from 'zod';
      import { Agent, Runner, tool } from 'rxjs-agents';
      import { openTelemetry } from 'rxjs-agents/otel';
      import { fakeModel } from 'rxjs-agents/testing';
      const names = new Map();
      const started = [];
      const tracer = {
        startSpan(name, _options, parentContext) {
          const spanId = String(names.size + 1).padStart(16, '0');
          names.set(spanId, name);
          const parent = parentContext && trace.getSpan(parentContext)?.spanContext().spanId;
          started.push([name, names.get(parent) ?? null]);
          return trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId, traceFlags: 1 });
        },
      };
      const getWeather = tool({
        name: 'get_weather',
        description: 'The weather in a city.',
        parameters: z.object({ city: z.string() }),
        execute: ({ city }) => 'Sunny in ' + city,
      });
      const model = fakeModel([{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }] }, 'Sunny.']);
      const runner = new Runner({ tracing: openTelemetry({ tracer }) });
      const result = await runner.run(new Agent({ name: 'Weather', model, tools: [getWeather] }), 'Lisbon?');
      console.log(JSON.stringify({ output: result.finalOutput, started }));
    `);
    expect(JSON.parse(out)).toEqual({
      output: 'Sunny.',
      started: [
        ['invoke_agent Weather', null],
        ['chat fake', 'invoke_agent Weather'],
        ['execute_tool get_weather', 'invoke_agent Weather'],
        ['chat fake', 'invoke_agent Weather'],
      ],
    });
  });
});

describe('the packed `rxjs-agents` command', () => {
  it('is linked as a bin with a shebang: `rxjs-agents serve --help`', () => {
    const out = execFileSync(join(project, 'node_modules', '.bin', 'rxjs-agents'), ['serve', '--help'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(out).toContain('Usage: rxjs-agents serve');
  });

  it('`npx rxjs-agents serve --echo --port 0` answers the openai client until it is stopped', async () => {
    // A process group of its own, so that stopping it stops npx's children too.
    const child = spawn('npx', ['--no', 'rxjs-agents', 'serve', '--echo', '--port', '0'], {
      cwd: project,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const found = /^OPENAI_BASE_URL=(\S+)$/m.exec(stdout)?.[1];
          if (found !== undefined) resolve(found);
        });
        void exited.then(() => reject(new Error(`npx rxjs-agents serve exited: ${stderr}`)));
      });
      const out = runModule(`
        import OpenAI from 'openai';
        import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, run } from 'rxjs-agents';
        const client = new OpenAI({ apiKey: 'any', baseURL: ${JSON.stringify(url)}, maxRetries: 0 });
        const chat = await run(new Agent({ name: 'Echo', model: new OpenAIChatCompletionsModel({ model: 'm', client }) }), 'Hello, chat.');
        const responses = await run(new Agent({ name: 'Echo', model: new OpenAIResponsesModel({ model: 'm', client }) }), 'Hello, responses.');
        console.log(JSON.stringify([chat.finalOutput, responses.finalOutput]));
      `);
      expect(JSON.parse(out)).toEqual(['Hello, chat.', 'Hello, responses.']);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }, 60_000);
});

/**
 * What a user writes: their own `OpenAI` clients (the project's `openai`, and one of the other
 * major as another copy of the SDK) given to both models and the provider, and the three modes
 * over loopback HTTP against the local server in a child process (`runSync` blocks this thread).
 */
const userCode = `
import OpenAI from 'openai';
import { VERSION } from 'openai/version';
import OtherOpenAI from 'openai-other';
import { VERSION as OTHER_VERSION } from 'openai-other/version';
import { lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import {
  Agent,
  ModelProviderError,
  OutputGuardrailTripwireTriggered,
  OpenAIChatCompletionsModel,
  OpenAIProvider,
  OpenAIResponsesModel,
  Runner,
  run,
  runStreamed,
  RunState,
  tool,
  type Model,
} from 'rxjs-agents';
import { toFinalOutput } from 'rxjs-agents/operators';
import { openTelemetry } from 'rxjs-agents/otel';
import { MemorySession } from 'rxjs-agents/sessions';
import { startServerProcess } from 'rxjs-agents/testing/server';
import { trace } from '@opentelemetry/api';

const Answer = z.object({ city: z.string() });
const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => \`Sunny in \${city}\`,
});

/** A 429 from the model as the run reports it. */
async function limited(model: Model): Promise<unknown> {
  try {
    await run(new Agent({ name: 'Limited', model }), 'Hi');
    return 'no error';
  } catch (error) {
    if (!(error instanceof ModelProviderError)) return String(error);
    return { name: error.name, status: error.status, retryable: error.retryable };
  }
}

const server = await startServerProcess({
  turns: [
    { toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }] },
    { output: { city: 'Lisbon' } },
    { text: 'Hello from Chat Completions.' },
    { output: { city: 'Porto' } },
    { status: 429 },
    { status: 429 },
    { text: 'Hello from the other SDK.' },
    { toolCalls: [{ name: 'refund', arguments: { order: 7 }, callId: 'call_refund' }] },
    { text: 'Refunded.' },
    { text: 'Hello Ada.' },
    { text: 'You are Ada.' },
    { text: 'Use the code SAVE50 for half off.' },
    { toolCalls: [{ name: 'translator', arguments: { input: 'Hello' } }] },
    { text: 'Bonjour' },
    { text: 'In French: Bonjour.' },
  ],
});
try {
  const client = new OpenAI({ apiKey: 'sk-user-key', baseURL: server.url, maxRetries: 0 });
  const other = new OtherOpenAI({ apiKey: 'sk-user-key', baseURL: server.url, maxRetries: 0 });
  const responses = new OpenAIResponsesModel({ model: 'gpt-test', client });
  const chat = new OpenAIChatCompletionsModel({ model: 'gpt-test', client });
  const runner = new Runner({ modelProvider: new OpenAIProvider({ client }) });

  const streamed: { city: string } = await lastValueFrom(
    runStreamed(new Agent({ name: 'Streamed', model: responses, outputType: Answer, tools: [getWeather] }), 'Where?').pipe(
      toFinalOutput(),
    ),
  );
  // A result is completed or interrupted: narrowing on status gives the typed answer.
  const asyncResult = await run(new Agent({ name: 'Async', model: chat }), 'Hi');
  const asyncText: string = asyncResult.status === 'completed' ? asyncResult.finalOutput : 'interrupted';
  const syncResult = runner.runSync(new Agent({ name: 'Sync', model: 'gpt-test', outputType: Answer }), 'Where?');
  const sync: { city: string } = syncResult.status === 'completed' ? syncResult.finalOutput : { city: 'interrupted' };
  const limitedOwn = await limited(responses);
  const limitedOther = await limited(new OpenAIResponsesModel({ model: 'gpt-test', client: other }));
  const otherChat = new OpenAIChatCompletionsModel({ model: 'gpt-test', client: other });
  const otherText = (await new Runner({ modelProvider: new OpenAIProvider({ client: other }) }).run(
    new Agent({ name: 'Other', model: otherChat }),
    'Hi',
  )).finalOutput;

  // A tool that needs approval: the run is interrupted, its state stored as JSON, and resumed.
  const refunded: number[] = [];
  const refund = tool({
    name: 'refund',
    description: 'Refunds an order.',
    parameters: z.object({ order: z.number() }),
    needsApproval: true,
    execute: ({ order }) => void refunded.push(order),
  });
  const support = new Agent({ name: 'Support', model: responses, tools: [refund] });
  const interrupted = await run(support, 'Refund order 7');
  const stored = interrupted.status === 'interrupted' ? JSON.stringify(interrupted.state) : '';
  const resumed = await run(support, RunState.fromJSON(support, stored).approve('call_refund'));
  const approval = [interrupted.status, resumed.status, resumed.finalOutput, refunded];

  // A session remembers across runs.
  const session = new MemorySession();
  const chatAgent = new Agent({ name: 'Chat', model: responses });
  // Traced, on the API's no-op tracer (no SDK registered): the run is the same.
  const tracing = openTelemetry({ tracer: trace.getTracer('user-project'), captureContent: true });
  await run(chatAgent, 'I am Ada.', { session, tracing });
  const remembered = await run(chatAgent, 'Who am I?', { session });
  const sessionItems = [remembered.finalOutput, (await session.getItems()).length];

  // A stream guardrail cuts the answer where it trips.
  const guarded = new Agent({
    name: 'Sales',
    model: responses,
    streamGuardrails: [{ name: 'no-codes', every: { characters: 1 }, execute: (text) => ({ tripwireTriggered: /SAVE\\d+/.test(text) }) }],
  });
  const tripped = await run(guarded, 'Deals?').catch((error: unknown) =>
    OutputGuardrailTripwireTriggered.isInstance(error) ? [error.guardrail.kind, error.partial?.text] : String(error),
  );

  // An agent as a tool: its text reaches the parent's stream marked with the call.
  const translator = new Agent({ name: 'Translator', model: responses });
  const writer = new Agent({ name: 'Writer', model: responses, tools: [translator.asTool()] });
  const writerEvents = await lastValueFrom(runStreamed(writer, 'Greet in French').pipe(toArray()));
  const nested = writerEvents.filter((event) => event.parentCallId !== undefined && event.type === 'text-delta').length;
  const last = writerEvents.at(-1);
  const asTool = [last?.type === 'final-output' ? last.output : last?.type, nested > 0, last?.type === 'final-output' ? last.usage.requests : 0];

  console.log(
    JSON.stringify({
      node: process.versions.node,
      openai: VERSION,
      otherOpenai: OTHER_VERSION,
      streamed,
      asyncText,
      sync,
      limitedOwn,
      limitedOther,
      otherText,
      approval,
      sessionItems,
      tripped,
      asTool,
    }),
  );
} finally {
  await server.close();
}
`;

describe(`a user's project on Node ${process.versions.node} with openai ${openai}`, () => {
  let compiled: string;

  beforeAll(() => {
    const src = join(project, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'main.ts'), userCode);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          skipLibCheck: true,
          outDir: 'out',
          rootDir: 'src',
        },
        include: ['src'],
      }),
    );
    compiled = join(project, 'out', 'main.js');
  });

  it('type-checks with tsc --strict, both SDK copies’ clients included', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      output = execFileSync('node', [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
        cwd: project,
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output.trim()).toBe('');
  }, 120_000);

  it('runs streamed, run and runSync over loopback HTTP, a 429 is a retryable ModelProviderError, an approval resumes from JSON, a session remembers, a stream guardrail trips, an agent is a tool', () => {
    const out = execFileSync('node', [compiled], { cwd: project, encoding: 'utf8', timeout: 60_000 }).trim();
    const result = JSON.parse(out) as Record<string, unknown>;
    const node = execFileSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    expect(result).toEqual({
      node,
      openai,
      otherOpenai,
      streamed: { city: 'Lisbon' },
      asyncText: 'Hello from Chat Completions.',
      sync: { city: 'Porto' },
      limitedOwn: { name: 'ModelProviderError', status: 429, retryable: true },
      limitedOther: { name: 'ModelProviderError', status: 429, retryable: true },
      otherText: 'Hello from the other SDK.',
      approval: ['interrupted', 'completed', 'Refunded.', [7]],
      sessionItems: ['You are Ada.', 4],
      tripped: ['stream', 'Use the code SAVE50'],
      asTool: ['In French: Bonjour.', true, 3],
    });
  }, 90_000);
});

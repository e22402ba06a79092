/**
 * CPU profiles of one contender at a time, and their top functions by self time.
 *
 *   npm run build && tsx --tsconfig bench/tsconfig.json bench/profile.ts <target> [runs]
 *
 * Targets: wire:rxjs-agents, wire:openai (the raw SDK), wire:agents, wire:ai (20,000 deltas from the
 * pre-encoded bench server, or the local server with BENCH_WIRE_SERVER=local, per run); replay:… (the same, replayed in process by a fetch of the recorded bytes);
 * pipeline:rxjs-agents, pipeline:bare (100,000 deltas in process, per run); tracing:pipeline and
 * tracing:replay (part 5's pipeline and replayed answer with `openTelemetry()` on a no-op SDK);
 * batch:rxjs-agents (part 6's runBatch of 2,000 single-turn items at concurrency 64, per run);
 * concurrency:rxjs-agents, concurrency:openai (part 7's 2,000 runs of 200 deltas at once, per run).
 * The profile (`node --cpu-prof`) is written to bench/results/profiles/, for Chrome DevTools or
 * VS Code; the summary groups self time by function and by package.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './lib/cpuProfile.js';
import { startBenchServer } from './lib/server.js';
import { makeDeltas } from './lib/stats.js';

const targets = [
  'wire:rxjs-agents',
  'wire:openai',
  'wire:agents',
  'wire:ai',
  'replay:rxjs-agents',
  'replay:openai',
  'replay:agents',
  'replay:ai',
  'pipeline:rxjs-agents',
  'pipeline:bare',
  'tracing:pipeline',
  'tracing:replay',
  'batch:rxjs-agents',
  'concurrency:rxjs-agents',
  'concurrency:openai',
];
const [target = 'wire:rxjs-agents', runsArg] = process.argv.slice(2);
if (!targets.includes(target)) throw new Error(`Unknown target '${target}'; one of ${targets.join(', ')}.`);
const profiles = fileURLToPath(new URL('./results/profiles/', import.meta.url));

async function child(): Promise<void> {
  const runs = Number(runsArg ?? (target.startsWith('wire') ? 15 : 30));
  if (target.startsWith('tracing')) {
    const { pipelineTracingContenders, replayTracingContenders, startOtelSdk } =
      await import('./lib/tracingContenders.js');
    const sdk = startOtelSdk();
    let contenders;
    if (target === 'tracing:pipeline') {
      contenders = pipelineTracingContenders(sdk, makeDeltas(100_000), 16);
    } else {
      const { recordEvents, replayFetch } = await import('./lib/replay.js');
      const server = await startBenchServer();
      await server.push({ text: makeDeltas(20_000) }, 1);
      const chunks = await recordEvents(server.url);
      await server.close();
      contenders = replayTracingContenders(sdk, server.url, replayFetch(chunks));
    }
    const contender = contenders.find((c) => c.tracing === 'on');
    if (!contender) throw new Error(target);
    for (let i = 0; i < runs; i++) await contender.run();
    await sdk.shutdown();
  } else if (target === 'batch:rxjs-agents') {
    const { default: OpenAI } = await import('openai');
    const { lastValueFrom } = await import('rxjs');
    const { Agent, OpenAIResponsesModel, Runner } = await import('rxjs-agents');
    const server = await startBenchServer();
    const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0 });
    const agent = new Agent({ name: 'Batch', model: new OpenAIResponsesModel({ model: 'bench-model', client }) });
    const questions = Array.from({ length: 2000 }, (_, i) => `Question ${i}?`);
    for (let i = 0; i < Math.min(runs, 5); i++) {
      await server.push({ text: ['The', ' answer', ' is', ' forty', '-two', '.'] }, questions.length);
      await lastValueFrom(new Runner().runBatch(agent, questions, { concurrency: 64, progressIntervalMs: 60_000 }));
    }
    await server.close();
  } else if (target.startsWith('concurrency')) {
    const { wireContenders } = await import('./lib/wireContenders.js');
    const server = await startBenchServer();
    const { contenders } = wireContenders(server.url);
    const contender = contenders[target === 'concurrency:openai' ? 0 : 1];
    if (!contender) throw new Error(target);
    for (let i = 0; i < Math.min(runs, 5); i++) {
      await server.push({ text: makeDeltas(200) }, 2000);
      await Promise.all(Array.from({ length: 2000 }, () => contender.run()));
    }
    await server.close();
  } else if (target.startsWith('wire') || target.startsWith('replay')) {
    const { wireContenders } = await import('./lib/wireContenders.js');
    const { recordEvents, replayFetch } = await import('./lib/replay.js');
    // As in part 1: over the wire from the pre-encoded server unless BENCH_WIRE_SERVER=local.
    const server = await startBenchServer({ preEncoded: process.env.BENCH_WIRE_SERVER !== 'local' });
    const replay = target.startsWith('replay');
    await server.push({ text: makeDeltas(20_000) }, replay ? 1 : runs);
    const { contenders } = wireContenders(server.url, replay ? replayFetch(await recordEvents(server.url)) : undefined);
    const contender = contenders[['openai', 'rxjs-agents', 'agents', 'ai'].indexOf(target.split(':')[1] as string)];
    if (!contender) throw new Error(target);
    for (let i = 0; i < runs; i++) await contender.run();
    await server.close();
  } else {
    const { pipelineContenders } = await import('./lib/pipelineContenders.js');
    const contenders = pipelineContenders(makeDeltas(100_000), 16);
    const contender = contenders.find((c) => c.role === (target === 'pipeline:bare' ? 'floor' : 'rxjs-agents'));
    if (!contender) throw new Error(target);
    for (let i = 0; i < runs; i++) await contender.run();
  }
}

if (process.env.BENCH_PROFILE_CHILD === '1') {
  await child();
} else {
  mkdirSync(profiles, { recursive: true });
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const name = target.replace(':', '-');
    const run = fork(fileURLToPath(import.meta.url), process.argv.slice(2), {
      execArgv: [
        '--cpu-prof',
        `--cpu-prof-dir=${profiles}`,
        `--cpu-prof-name=${name}-${started}.cpuprofile`,
        '--import',
        'tsx',
      ],
      env: { ...process.env, BENCH_PROFILE_CHILD: '1' },
    });
    run.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`profile run exited with ${code}`))));
  });
  const latest = readdirSync(profiles)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => join(profiles, file))
    .filter((file) => statSync(file).mtimeMs >= started)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const file of latest) console.log(summarize(file));
}

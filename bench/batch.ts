/**
 * Part — batch jobs: many single-turn items at once against the local server in another process.
 * `runBatch(agent, items, { concurrency })` beside what a script would write without it: `p-limit`
 * around the raw `openai` SDK's streamed `responses.create` and a `for await` over its events,
 * keeping the answers. Rounds alternate the two; each round's ratio is rxjs-agents' wall time over
 * the loop's in the same round (goal ≤ 1.10×), with the CPU time of this process beside it.
 *
 *   BENCH_BATCH_ITEMS (default 2000), BENCH_BATCH_CONCURRENCY (64), BENCH_BATCH_ROUNDS (5)
 */
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { lastValueFrom } from 'rxjs';
import { Agent, OpenAIResponsesModel, Runner } from 'rxjs-agents';
import { log, runPart } from './lib/part.js';
import { startBenchServer } from './lib/server.js';
import { collectGarbage, envNumber, median, quick } from './lib/stats.js';
import { apiKey } from './lib/wireContenders.js';

export interface BatchResult {
  readonly items: number;
  readonly concurrency: number;
  readonly rounds: number;
  /** Median wall time of a whole batch, ms. */
  readonly loopMs: number;
  readonly rxjsAgentsMs: number;
  /** Median over rounds of rxjs-agents' wall time over the loop's in the same round. */
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  /** Median over rounds of the CPU time ratio (this process), in the same round. */
  readonly cpuRatio: number;
}

const items = envNumber('BENCH_BATCH_ITEMS', quick ? 200 : 2000);
const concurrency = envNumber('BENCH_BATCH_CONCURRENCY', 64);
const rounds = envNumber('BENCH_BATCH_ROUNDS', quick ? 2 : 5);
const answer = ['The', ' answer', ' is', ' forty', '-two', '.'];
const questions = Array.from({ length: items }, (_, i) => `Question ${i}?`);

async function measure(run: () => Promise<number>): Promise<{ ms: number; cpuMs: number; answers: number }> {
  collectGarbage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const answers = await run();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, answers };
}

await runPart('batch', async (): Promise<BatchResult> => {
  const server = await startBenchServer();
  const client = new OpenAI({ baseURL: server.url, apiKey, maxRetries: 0 });
  const agent = new Agent({ name: 'Batch', model: new OpenAIResponsesModel({ model: 'bench-model', client }) });
  const runner = new Runner();

  const loop = async (): Promise<number> => {
    const limit = pLimit(concurrency);
    const answers = await Promise.all(
      questions.map((question) =>
        limit(async () => {
          try {
            const stream = await client.responses.create({ model: 'bench-model', input: question, stream: true });
            let text = '';
            for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
            return text;
          } catch {
            return undefined;
          }
        }),
      ),
    );
    return answers.filter((text) => text !== undefined).length;
  };
  const batch = async (): Promise<number> => {
    let completed = 0;
    await lastValueFrom(runner.runBatch(agent, questions, { concurrency, progressIntervalMs: 60_000 }), {
      defaultValue: undefined,
    }).then((last) => {
      if (last?.type === 'batch-completed') completed = last.completed;
    });
    return completed;
  };

  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const loopTimes: number[] = [];
  const batchTimes: number[] = [];
  // A warm-up round of each, not counted.
  for (let round = -1; round < rounds; round++) {
    const order = round % 2 === 0 ? (['loop', 'batch'] as const) : (['batch', 'loop'] as const);
    const results: Partial<Record<'loop' | 'batch', { ms: number; cpuMs: number; answers: number }>> = {};
    for (const name of order) {
      await server.push({ text: answer }, items);
      results[name] = await measure(name === 'loop' ? loop : batch);
      await server.stats();
    }
    const { loop: looped, batch: batched } = results as Record<
      'loop' | 'batch',
      { ms: number; cpuMs: number; answers: number }
    >;
    if (looped.answers !== items || batched.answers !== items) {
      throw new Error(
        `A round lost answers: the loop got ${looped.answers}, the batch ${batched.answers} of ${items}.`,
      );
    }
    if (round < 0) continue;
    ratios.push(batched.ms / looped.ms);
    cpuRatios.push(batched.cpuMs / looped.cpuMs);
    loopTimes.push(looped.ms);
    batchTimes.push(batched.ms);
    log(
      `round ${round + 1}/${rounds}: loop ${looped.ms.toFixed(0)} ms, runBatch ${batched.ms.toFixed(0)} ms (${(batched.ms / looped.ms).toFixed(2)}×)`,
    );
  }
  await server.close();
  return {
    items,
    concurrency,
    rounds,
    loopMs: median(loopTimes),
    rxjsAgentsMs: median(batchTimes),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    cpuRatio: median(cpuRatios),
  };
});

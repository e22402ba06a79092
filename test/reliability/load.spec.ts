/**
 * Load: 500 concurrent streamed runs in one process against the local server, half on each API,
 * all runs of an API sharing one client. All 500 start at once; the server gives each request the
 * next scripted turn, each turn its own text, usage and id. Every run must end with exactly the
 * text and usage of the one turn its own request was answered with — the response echoes the
 * request's model id, which is the run's own — and every turn must reach exactly one run: no
 * cross-talk, nothing dropped or duplicated. The peak RSS is printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Agent, Runner, type RunEvent } from '../../src/index.js';
import { startServer, type LocalServer } from '../../src/testing/server/index.js';
import { apis, clientFor } from './helpers.js';

const runCount = 500;
const deltasPerRun = 30;

let server: LocalServer | undefined;
afterAll(async () => server?.close());

const deltasOf = (turn: number): string[] => Array.from({ length: deltasPerRun }, (_, index) => `t${turn}w${index} `);
const usageOf = (turn: number) => ({ inputTokens: 1_000 + turn, outputTokens: 2 * turn + 1 });

describe('500 concurrent streamed runs', () => {
  it('each ends with exactly its own text and usage', { timeout: 60_000 }, async () => {
    server = await startServer({
      turns: Array.from({ length: runCount }, (_, turn) => ({
        text: deltasOf(turn),
        delayMs: 20,
        usage: usageOf(turn),
        id: `resp_turn_${turn}`,
      })),
    });
    const runner = new Runner();
    const clients = apis.map(() => clientFor(server!.url));

    let peakRss = process.memoryUsage().rss;
    const startRss = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
    let active = 0;
    let peakActive = 0;
    const started = performance.now();

    const finished = await Promise.all(
      Array.from({ length: runCount }, (_, run) => {
        const api = apis[run % 2]!;
        // The model id goes in the request, and the server's response echoes it.
        const agent = new Agent({ name: 'A', model: api.model(clients[run % 2]!, `model-run-${run}`) });
        return new Promise<{ run: number; events: RunEvent<string>[]; error?: unknown }>((resolve) => {
          const events: RunEvent<string>[] = [];
          active += 1;
          peakActive = Math.max(peakActive, active);
          runner.runStreamed(agent, `run ${run}`).subscribe({
            next: (event) => events.push(event),
            error: (error: unknown) => {
              active -= 1;
              resolve({ run, events, error });
            },
            complete: () => {
              active -= 1;
              resolve({ run, events });
            },
          });
        });
      }),
    );
    clearInterval(sampler);
    const elapsed = performance.now() - started;

    const wrong: string[] = [];
    const turnsSeen = new Set<number>();
    for (const { run, events, error } of finished) {
      const completed = events.find((event) => event.type === 'turn-completed');
      const turn = Number(
        completed?.type === 'turn-completed' ? completed.responseId?.replace('resp_turn_', '') : Number.NaN,
      );
      if (error !== undefined || !Number.isInteger(turn)) {
        wrong.push(`run ${run} failed or has no response id: ${String(error)}`);
        continue;
      }
      turnsSeen.add(turn);
      const { inputTokens, outputTokens } = usageOf(turn);
      const usage = { requests: 1, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
      const deltas = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []));
      const echoed = new Set(
        events.flatMap((event) =>
          event.type === 'raw'
            ? (JSON.stringify(event.data)
                .match(/"model":"([^"]+)"/)
                ?.slice(1) ?? [])
            : [],
        ),
      );
      const last = events.at(-1);
      if (JSON.stringify(deltas) !== JSON.stringify(deltasOf(turn)))
        wrong.push(`run ${run} (turn ${turn}): deltas ${JSON.stringify(deltas).slice(0, 120)}`);
      if (
        last?.type !== 'final-output' ||
        last.output !== deltasOf(turn).join('') ||
        JSON.stringify(last.usage) !== JSON.stringify(usage)
      ) {
        wrong.push(`run ${run} (turn ${turn}): final output ${JSON.stringify(last).slice(0, 200)}`);
      }
      if (echoed.size !== 1 || !echoed.has(`model-run-${run}`))
        wrong.push(`run ${run}: streamed a response to ${[...echoed].join(', ')}`);
    }

    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    console.info(
      `500 concurrent streamed runs (${runCount * deltasPerRun} text deltas) in ${Math.round(elapsed)} ms; at most ${peakActive} at once; ` +
        `peak RSS ${mb(peakRss)} MB (${mb(startRss)} MB before, +${mb(peakRss - startRss)} MB); process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
    );
    expect(wrong).toEqual([]);
    expect(turnsSeen.size).toBe(runCount);
    expect(server.requests).toHaveLength(runCount);
    expect(peakActive).toBe(runCount);
  });
});

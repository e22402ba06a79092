/**
 * Cancellation leaves nothing behind: 1,000 runs against the local server, each cancelled at a
 * random point of a chosen phase — while the model streams, while a tool runs, during a retry
 * backoff of the run or of the `openai` SDK — by unsubscribing, by aborting the run's `signal`, or by aborting `run()`'s signal.
 * Afterwards the process holds no more resources than before, the server no open socket, and
 * nothing was reported as an unhandled rejection or error.
 */
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Agent, RunAbortedError, Runner, tool, type RunEvent } from '../../src/index.js';
import { startServer, type LocalServer, type ServerTurn } from '../../src/testing/server/index.js';
import { apis, clientFor, words } from './helpers.js';

const runCount = 1_000;
const concurrency = 50;

/** `backoff`: the run's own retry waits; `sdk-backoff`: the `openai` SDK's own retry waits. */
type Phase = 'streaming' | 'tool' | 'backoff' | 'sdk-backoff';
const phases = ['streaming', 'tool', 'backoff', 'sdk-backoff'] as const;
type How = 'unsubscribe' | 'signal' | 'run() signal';

/** A seeded PRNG (mulberry32), so that a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Active handles and requests of the process, by type. */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** The types of which there are more now than in `baseline`, and how many more. */
function excess(baseline: Map<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [type, count] of resources()) {
    const more = count - (baseline.get(type) ?? 0);
    if (more > 0) extra[type] = more;
  }
  return extra;
}

/** What one run's phases are doing right now; `entered` is called when a phase starts. */
interface Live {
  streaming: boolean;
  toolsRunning: number;
  backoffs: number;
  /** A request was answered (429) and no next one has been sent yet: the SDK is waiting to retry. */
  sdkWaiting: boolean;
  entered(phase: Phase): void;
}

/** `asyncScheduler`, counting pending timers: the run's only timers are retry backoffs here. */
function trackingScheduler(live: Live): SchedulerLike {
  return {
    now: () => asyncScheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay = 0, state?: T): Subscription {
      live.backoffs += 1;
      live.entered('backoff');
      let pending = true;
      const done = (): void => {
        if (pending) live.backoffs -= 1;
        pending = false;
      };
      const subscription = asyncScheduler.schedule(
        function (this: SchedulerAction<T>, inner?: T) {
          done();
          work.call(this, inner as T);
        },
        delay,
        state,
      );
      subscription.add(done);
      return subscription;
    },
  };
}

describe('1,000 runs cancelled at random points', () => {
  const servers: Partial<Record<Phase, LocalServer>> = {};
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(async () => {
    // One server per phase, each answering every request with the same kind of turn, so that
    // concurrent runs may take turns in any order.
    servers.streaming = await startServer();
    servers.tool = await startServer();
    servers.backoff = await startServer();
    servers['sdk-backoff'] = await startServer();
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  it('leaves no resource, no open socket, no unhandled rejection or error behind', { timeout: 60_000 }, async () => {
    const seed = 0x5eed;
    const random = prng(seed);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const turnsFor: Record<Phase, () => ServerTurn[]> = {
      streaming: () => [{ text: words(40), delayMs: 2 }],
      // Every turn calls the tool again (maxTurns 3 ends a run that is never cancelled).
      tool: () => Array.from({ length: 3 }, () => ({ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] })),
      backoff: () =>
        Array.from({ length: 4 }, () => ({
          status: 429,
          body: { error: { message: 'Slow down.', type: 'requests', code: 'rate_limit_exceeded' } },
        })),
      'sdk-backoff': () =>
        Array.from({ length: 3 }, () => ({
          status: 429,
          headers: { 'retry-after-ms': '30' },
          body: { error: { message: 'Slow down.', type: 'requests', code: 'rate_limit_exceeded' } },
        })),
    };
    const runner = new Runner({ maxTurns: 3 });
    const toolsStarted = { count: 0, aborted: 0, finished: 0 };
    const tally = Object.fromEntries(phases.map((phase) => [phase, { runs: 0, inPhase: 0 }])) as Record<
      Phase,
      { runs: number; inPhase: number }
    >;
    const hows: Record<How, number> = { unsubscribe: 0, signal: 0, 'run() signal': 0 };
    let eventsAfterCancel = 0;
    const cancelledAt: number[] = [];
    const fetchedAt: number[][] = [];
    const leftovers: string[] = [];
    const wrongOutcomes: string[] = [];

    const baseline = resources();
    const started = performance.now();

    const oneRun = (index: number): Promise<void> => {
      const phase: Phase = phases[index % phases.length]!;
      const api = apis[Math.floor(index / phases.length) % 2]!;
      const server = servers[phase]!;
      server.push(...turnsFor[phase]());
      const how: How =
        phase === 'streaming'
          ? random() < 0.5
            ? 'unsubscribe'
            : 'signal'
          : (['unsubscribe', 'signal', 'run() signal'] as const)[Math.floor(random() * 3)]!;
      // A random point inside the phase: streams last about 80 ms, tools 40 ms, backoffs 20 to 40 ms
      // (the run's) or 30 ms (the SDK's, as Retry-After asks).
      const offset = random() * { streaming: 40, tool: 20, backoff: 12, 'sdk-backoff': 15 }[phase];
      let arm = (): void => undefined; // set below, once the run's promise exists
      const live: Live = {
        streaming: false,
        toolsRunning: 0,
        backoffs: 0,
        sdkWaiting: false,
        entered: (entered) => (entered === phase ? arm() : undefined),
      };
      const lookup = tool({
        name: 'lookup',
        description: 'Takes 40 ms; honours its signal.',
        parameters: z.object({ q: z.string() }),
        execute: (_args, { signal }) =>
          new Promise<string>((resolve, reject) => {
            toolsStarted.count += 1;
            live.toolsRunning += 1;
            live.entered('tool');
            const timer = setTimeout(() => {
              live.toolsRunning -= 1;
              toolsStarted.finished += 1;
              resolve('found');
            }, 40);
            signal.addEventListener(
              'abort',
              () => {
                clearTimeout(timer);
                live.toolsRunning -= 1;
                toolsStarted.aborted += 1;
                reject(signal.reason);
              },
              { once: true },
            );
          }),
      });
      // SDK retries off for the backoff runs, so that the run's own retry is what waits.
      // Every request the SDK sends goes through this fetch, so that one sent after its run was cancelled shows.
      const sent: number[] = (fetchedAt[index] = []);
      const countingFetch: typeof fetch = async (input, init) => {
        sent.push(performance.now());
        live.sdkWaiting = false;
        const response = await fetch(input, init);
        if (response.status === 429 && phase === 'sdk-backoff') {
          live.sdkWaiting = true;
          live.entered('sdk-backoff');
        }
        return response;
      };
      const client = clientFor(server.url, { fetch: countingFetch, ...(phase === 'backoff' ? { maxRetries: 0 } : {}) });
      const agent = new Agent({ name: 'A', model: api.model(client), tools: [lookup] });
      const controller = new AbortController();
      // (The SDK's own retries are off for `backoff` runs, on with its defaults for the others.)
      const options = {
        retry: { maxRetries: 3, initialDelayMs: 40, maxDelayMs: 40 },
        scheduler: trackingScheduler(live),
        signal: controller.signal,
      };
      hows[how] += 1;
      tally[phase].runs += 1;

      return new Promise<void>((resolve) => {
        let cancelled = false;
        let armed = false;
        let cancelTimer: ReturnType<typeof setTimeout> | undefined;
        arm = (): void => {
          if (armed) return;
          armed = true;
          cancelTimer = setTimeout(cancel, offset);
        };
        // Declared before `cancel`, which may run while `subscribe()` has not returned yet.
        // eslint-disable-next-line prefer-const
        let subscription: Subscription | undefined;
        const inPhase = (): boolean =>
          ({
            streaming: live.streaming,
            tool: live.toolsRunning > 0,
            backoff: live.backoffs > 0,
            'sdk-backoff': live.sdkWaiting,
          })[phase];
        const cancel = (): void => {
          if (cancelled) return;
          cancelled = true;
          cancelledAt[index] = performance.now();
          if (inPhase()) tally[phase].inPhase += 1;
          if (how === 'unsubscribe') subscription?.unsubscribe();
          else controller.abort(new Error(`cancelled run ${index}`));
          // Cancelling is synchronous: by now no backoff timer is pending and every tool was signalled.
          if (live.backoffs !== 0 || live.toolsRunning !== 0)
            leftovers.push(`run ${index} (${phase}, ${how}): ${JSON.stringify(live)}`);
          if (how === 'unsubscribe') resolve();
        };
        const settle = (outcome: 'error' | 'complete', error?: unknown): void => {
          clearTimeout(cancelTimer);
          if (!cancelled)
            wrongOutcomes.push(`run ${index} (${phase}) ended before it was cancelled: ${outcome} ${String(error)}`);
          else if (!(error instanceof RunAbortedError))
            wrongOutcomes.push(`run ${index} (${phase}, ${how}) ended with ${outcome} ${String(error)}`);
          resolve();
        };
        if (how === 'run() signal') {
          runner.run(agent, 'Go', options).then(
            () => settle('complete'),
            (error: unknown) => settle('error', error),
          );
          return;
        }
        subscription = runner.runStreamed(agent, 'Go', options).subscribe({
          next: (event: RunEvent<string>) => {
            if (cancelled) eventsAfterCancel += 1;
            if (event.type === 'text-delta' && !live.streaming) {
              live.streaming = true;
              live.entered('streaming');
            }
            if (event.type === 'turn-completed') live.streaming = false;
          },
          error: (error: unknown) => settle('error', error),
          complete: () => settle('complete'),
        });
      });
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < runCount) await oneRun(next++);
      }),
    );
    const cancelledIn = performance.now() - started;

    // Quiescence: every response closed, then the process back to its baseline (idle keep-alive
    // sockets of the client's pool close on their own after a few seconds).
    const requests = Object.values(servers).flatMap((server) => server.requests);
    const deadline = performance.now() + 20_000;
    while (
      performance.now() < deadline &&
      (requests.some((request) => request.closedAt === undefined) || Object.keys(excess(baseline)).length > 0)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const settledIn = performance.now() - started;
    const requestCount = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150)); // longer than any backoff: no late request
    console.info(
      `1,000 cancellations (seed ${seed}): all cancelled in ${Math.round(cancelledIn)} ms, back to baseline after ${Math.round(settledIn)} ms; ` +
        `in phase: ${JSON.stringify(tally)}; how: ${JSON.stringify(hows)}; tools: ${JSON.stringify(toolsStarted)}; requests: ${requestCount}`,
    );

    expect(wrongOutcomes).toEqual([]);
    expect(leftovers).toEqual([]);
    expect(eventsAfterCancel).toBe(0);
    // No request is sent after its run was cancelled: no retry backoff, tool or turn outlives it.
    const late = fetchedAt.flatMap((times, index) =>
      times
        .filter((time) => time > cancelledAt[index]!)
        .map((time) => `run ${index}: a request ${Math.round(time - cancelledAt[index]!)} ms after cancelling`),
    );
    expect(late).toEqual([]);
    expect(fetchedAt.flat().length).toBeGreaterThanOrEqual(requestCount); // a few are aborted before they connect
    expect(toolsStarted.count).toBe(toolsStarted.aborted + toolsStarted.finished);
    expect(toolsStarted.aborted).toBeGreaterThanOrEqual(tally.tool.inPhase);
    expect(requests.filter((request) => request.closedAt === undefined)).toEqual([]);
    expect(Object.values(servers).flatMap((server) => server.requests)).toHaveLength(requestCount);
    expect(excess(baseline)).toEqual({});
    expect(unhandled).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
    for (const phase of phases) {
      expect(tally[phase].inPhase, `${phase} runs cancelled in their phase`).toBeGreaterThan(tally[phase].runs * 0.8);
    }
    consoleError.mockRestore();
  });
});

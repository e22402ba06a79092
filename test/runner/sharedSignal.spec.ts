/**
 * One `AbortSignal` shared by many concurrent runs (a server's requests on one shutdown signal):
 * the signal gets a single listener, so Node prints no `MaxListenersExceededWarning`; aborting it
 * still cancels every run and its tools; runs that end leave no listener behind.
 */
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, run, RunAbortedError, tool } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';

const runs = 50;
let warnings: Error[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

/** Lets Node deliver what it queued (a warning is emitted on a later tick). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** `runs` runs on `signal`, each held in a tool until `release` is called (or the signal aborts). */
function concurrentRuns(signal: AbortSignal) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const toolSignals: AbortSignal[] = [];
  let started = 0;
  const wait = tool({
    name: 'wait',
    description: '',
    parameters: z.object({}),
    execute: async (_, { signal: toolSignal }) => {
      toolSignals.push(toolSignal);
      started += 1;
      await Promise.race([gate, new Promise((resolve) => toolSignal.addEventListener('abort', resolve))]);
      return 'done';
    },
  });
  const results = Array.from({ length: runs }, () => {
    const model = fakeModel([{ toolCalls: [{ name: 'wait', arguments: {} }] }, 'Finished.']);
    return run(new Agent({ name: 'A', model, tools: [wait] }), 'Go', { signal }).then(
      (result) => ({ ok: true as const, output: result.finalOutput }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  });
  return { results, release, toolSignals, started: () => started };
}

const leakWarnings = () => warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning');

describe(`one AbortSignal shared by ${runs} concurrent runs`, () => {
  it('has one abort listener while they run, none after they complete, and no MaxListenersExceededWarning', async () => {
    const controller = new AbortController();
    const { results, release, started } = concurrentRuns(controller.signal);
    while (started() < runs) await settle();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    release();
    const outcomes = await Promise.all(results);
    expect(outcomes.every((outcome) => outcome.ok && outcome.output === 'Finished.')).toBe(true);
    await settle();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(leakWarnings()).toEqual([]);
  });

  it('aborting cancels every run (RunAbortedError) and aborts every running tool', async () => {
    const controller = new AbortController();
    const { results, toolSignals, started } = concurrentRuns(controller.signal);
    while (started() < runs) await settle();
    controller.abort(new Error('shutting down'));
    const outcomes = await Promise.all(results);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.error instanceof RunAbortedError)).toHaveLength(runs);
    expect(toolSignals).toHaveLength(runs);
    expect(toolSignals.every((toolSignal) => toolSignal.aborted)).toBe(true);
    await settle();
    expect(leakWarnings()).toEqual([]);
  });

  it('runs that end one by one each take their callback off, and later runs still abort', async () => {
    const controller = new AbortController();
    for (let index = 0; index < 20; index += 1) {
      await run(new Agent({ name: 'A', model: fakeModel(['Hi.']) }), 'Go', { signal: controller.signal });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const { results, started } = concurrentRuns(controller.signal);
    while (started() < runs) await settle();
    controller.abort();
    expect((await Promise.all(results)).every((outcome) => !outcome.ok)).toBe(true);
  });
});

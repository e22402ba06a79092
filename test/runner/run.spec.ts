import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  run,
  runSync,
  Runner,
  RunAbortedError,
  runStreamed,
  SyncRunError,
  tool,
  InvalidArgumentError,
  type ModelProvider,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';

const add = tool({
  name: 'add',
  description: 'Adds.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

function script() {
  return fakeModel([
    {
      toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 }, callId: 'c1' }],
      usage: { inputTokens: 10, outputTokens: 5 },
      id: 'r1',
    },
    { text: 'It is 5.', usage: { inputTokens: 20, outputTokens: 3 }, id: 'r2' },
  ]);
}

describe('run (async mode)', () => {
  it('resolves with the final output, the items, the history, the last agent, summed usage and raw responses', async () => {
    const agent = new Agent({ name: 'Calc', model: script(), tools: [add] });
    const result = await run(agent, 'What is 2+3?');
    expect(result.finalOutput).toBe('It is 5.');
    expect(result.lastAgent).toBe(agent);
    expect(result.usage).toEqual({ requests: 2, inputTokens: 30, outputTokens: 8, totalTokens: 38 });
    expect(result.rawResponses.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(result.newItems.map((i) => i.type)).toEqual(['function_call', 'function_call_output', 'message']);
    expect(result.history).toEqual([{ type: 'message', role: 'user', content: 'What is 2+3?' }, ...result.newItems]);
  });

  it("takes a previous run's history as the next run's input", async () => {
    const model = fakeModel(['First.', 'Second.']);
    const agent = new Agent({ name: 'A', model });
    const first = await run(agent, 'One');
    await run(agent, [...first.history, { type: 'message', role: 'user', content: 'Two' }]);
    expect(model.requests[1]!.input).toEqual([...first.history, { type: 'message', role: 'user', content: 'Two' }]);
  });

  it('rejects with RunAbortedError when the signal aborts, aborting the running tool', async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const hang = tool({
      name: 'hang',
      description: '',
      parameters: z.object({}),
      execute: (_args, { signal }) => {
        toolSignal = signal;
        queueMicrotask(() => controller.abort());
        return new Promise(() => {});
      },
    });
    const agent = new Agent({
      name: 'A',
      model: fakeModel([{ toolCalls: [{ name: 'hang' }], text: 'Waiting' }]),
      tools: [hang],
    });
    const error = await run(agent, 'Go', { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect((error as RunAbortedError).partial?.text).toBe('Waiting');
    expect(toolSignal?.aborted).toBe(true);
  });

  it('rejects at once for a signal that is already aborted, without calling the model', async () => {
    const model = fakeModel(['never']);
    const error = await run(new Agent({ name: 'A', model }), 'Go', { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(model.requests).toHaveLength(0);
  });

  it('resolves model names through the runner’s model provider, with its default model', async () => {
    const asked: string[] = [];
    const provider: ModelProvider = { getModel: (name) => (asked.push(name), fakeModel(['ok'])) };
    const runner = new Runner({ modelProvider: provider, model: 'house-model' });
    await runner.run(new Agent({ name: 'Named', model: 'gpt-4.1' }), 'Hi');
    await runner.run(new Agent({ name: 'Unnamed' }), 'Hi');
    expect(asked).toEqual(['gpt-4.1', 'house-model']);
  });

  it('uses the runner’s maxTurns and toolErrors unless the run overrides them', async () => {
    const loop = { toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] };
    const runner = new Runner({ maxTurns: 1 });
    await expect(
      runner.run(new Agent({ name: 'A', model: fakeModel([loop, 'done']), tools: [add] }), 'Go'),
    ).rejects.toThrow(/maxTurns \(1\)/);
    await expect(
      runner.run(new Agent({ name: 'A', model: fakeModel([loop, 'done']), tools: [add] }), 'Go', { maxTurns: 2 }),
    ).resolves.toMatchObject({ finalOutput: 'done' });
  });
});

describe('runSync (sync mode)', () => {
  it('returns the RunResult itself for a model whose stream completes synchronously', () => {
    const result = runSync(new Agent({ name: 'Calc', model: script(), tools: [add] }), 'What is 2+3?');
    expect(result).not.toBeInstanceOf(Promise);
    expect(result.finalOutput).toBe('It is 5.');
    expect(result.usage.requests).toBe(2);
  });

  it('throws the error that ended the run', () => {
    const agent = new Agent({ name: 'A', model: fakeModel(['not json']), outputType: z.object({ a: z.string() }) });
    expect(() => runSync(agent, 'Go')).toThrow(/not valid JSON/);
  });

  it('throws a SyncRunError naming run() for an asynchronous tool', () => {
    const slow = tool({ name: 'slow', description: '', parameters: z.object({}), execute: async () => 'late' });
    const agent = new Agent({
      name: 'A',
      model: fakeModel([{ toolCalls: [{ name: 'slow' }] }, 'done']),
      tools: [slow],
    });
    expect(() => runSync(agent, 'Go')).toThrow(SyncRunError);
    expect(() =>
      runSync(
        new Agent({ name: 'A', model: fakeModel([{ toolCalls: [{ name: 'slow' }] }, 'done']), tools: [slow] }),
        'Go',
      ),
    ).toThrow(/use run\(\)/i);
  });

  it('throws a SyncRunError naming run() for a model that answers asynchronously, and stops it', () => {
    const model = fakeModel(['later'], { scheduler: asyncScheduler, interval: 5 });
    expect(() => runSync(new Agent({ name: 'A', model }), 'Go')).toThrow(/Use run\(\)/);
  });
});

describe('bad input is reported where it is given', () => {
  const agent = new Agent({ name: 'A', model: fakeModel([]) });

  it.each([
    ['agent', () => runStreamed({} as Agent, 'Hi')],
    ['input', () => runStreamed(agent, 42 as unknown as string)],
    ['input[0]', () => runStreamed(agent, [{ role: 'user' }] as never)],
    ['options.maxTurns', () => runStreamed(agent, 'Hi', { maxTurns: 0 })],
    ['options.toolErrors', () => runStreamed(agent, 'Hi', { toolErrors: 'ignore' as never })],
    ['options.modelProvider', () => runStreamed(agent, 'Hi', { modelProvider: {} as ModelProvider })],
    ['maxTurns', () => new Runner({ maxTurns: 1.5 })],
  ])('%s', (argument, call) => {
    expect(call).toThrow(InvalidArgumentError);
    try {
      call();
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect((error as Error).message).toContain(argument);
    }
  });
});

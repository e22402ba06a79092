/** toolUseBehavior: which tool results end the run, with no further model call (the Agents SDKs' semantics). */
import { lastValueFrom, map, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  Runner,
  RunState,
  SyncRunError,
  tool,
  ToolCallError,
  type ToolCallResult,
  type ToolUseBehavior,
} from '../../src/index.js';
import { fakeModel, type FakeTurn } from '../../src/testing/index.js';
import { runMarbles } from '../helpers/marbles.js';

const runner = new Runner();
const weather = tool({
  name: 'weather',
  description: 'The weather.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'sunny' }),
});
const clock = tool({
  name: 'clock',
  description: 'The time.',
  parameters: z.object({}),
  execute: () => '12:00',
});
const broken = tool({
  name: 'broken',
  description: 'Fails.',
  parameters: z.object({}),
  execute: () => {
    throw new Error('out of order');
  },
});
const bothCalls: FakeTurn = {
  toolCalls: [
    { callId: 'w', name: 'weather', arguments: { city: 'Lisbon' } },
    { callId: 'c', name: 'clock', arguments: {} },
  ],
};

function agentWith<TOutput = string>(
  toolUseBehavior: ToolUseBehavior<TOutput> | undefined,
  turns: FakeTurn[],
  outputType?: z.ZodType<TOutput>,
) {
  const model = fakeModel(turns);
  const agent = new Agent<TOutput>({
    name: 'A',
    model,
    tools: [weather, clock, broken],
    ...(toolUseBehavior === undefined ? {} : { toolUseBehavior }),
    ...(outputType === undefined ? {} : { outputType }),
  });
  return { agent, model };
}

describe('toolUseBehavior', () => {
  it("'run_llm_again' (the default) calls the model with the outputs", async () => {
    const { agent, model } = agentWith(undefined, [bothCalls, 'Sunny.']);
    expect(agent.toolUseBehavior).toBe('run_llm_again');
    expect((await runner.run(agent, 'Weather?')).finalOutput).toBe('Sunny.');
    expect(model.requests).toHaveLength(2);
  });

  it("'stop_on_first_tool': the first call's output is the final output, as text; no further model call", async () => {
    const { agent, model } = agentWith('stop_on_first_tool', [bothCalls, 'never']);
    const events = await lastValueFrom(runner.runStreamed(agent, 'Weather?').pipe(toArray()));
    expect(model.requests).toHaveLength(1);
    expect(events.map((event) => event.type).slice(-4)).toEqual([
      'tool-call',
      'tool-output',
      'tool-output',
      'final-output',
    ]);
    const final = events.at(-1);
    expect(final).toMatchObject({ type: 'final-output', output: '{"city":"Lisbon","sky":"sunny"}', turn: 1 });
    // The outputs join the history, so it can be the next run's input.
    expect(final?.type === 'final-output' && final.history.slice(-2)).toEqual([
      { type: 'function_call_output', call_id: 'w', output: '{"city":"Lisbon","sky":"sunny"}' },
      { type: 'function_call_output', call_id: 'c', output: '12:00' },
    ]);
  });

  it("with an outputType, the tool's own value, validated by it", async () => {
    const Weather = z.object({ city: z.string(), sky: z.string() });
    const { agent } = agentWith('stop_on_first_tool', [bothCalls], Weather);
    const result = await runner.run(agent, 'Weather?');
    expect(result.finalOutput).toEqual({ city: 'Lisbon', sky: 'sunny' });

    const wrong = agentWith('stop_on_first_tool', [bothCalls], z.object({ temperature: z.number() }));
    const error = await runner.run(wrong.agent, 'Weather?').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ toolName: 'weather', callId: 'w', message: expect.stringMatching(/outputType/) });
  });

  it('a failed first call: its error text is the final output, as the Agents SDKs do', async () => {
    const { agent } = agentWith('stop_on_first_tool', [{ toolCalls: [{ callId: 'b', name: 'broken' }] }]);
    const result = await runner.run(agent, 'Go');
    expect(result.finalOutput).toMatch(/An error occurred while running the tool 'broken'.*out of order/);
  });

  it('{ stopAtToolNames }: the run goes on until one of them is called; that call is the final output', async () => {
    const { agent, model } = agentWith({ stopAtToolNames: ['clock'] }, [
      { toolCalls: [{ callId: 'w', name: 'weather', arguments: { city: 'Porto' } }] },
      bothCalls,
      'never',
    ]);
    const result = await runner.run(agent, 'Weather, then time');
    expect(result.finalOutput).toBe('12:00');
    expect(model.requests).toHaveLength(2);
  });

  it('a function sees the context and each call (in call order), and decides', async () => {
    const seen: unknown[] = [];
    const decide = (context: unknown, results: readonly ToolCallResult[]) => {
      seen.push(context, results);
      return Promise.resolve({ isFinalOutput: true, finalOutput: `${results.length} calls` });
    };
    const { agent, model } = agentWith(decide, [
      {
        toolCalls: [
          { callId: 'c', name: 'clock' },
          { callId: 'b', name: 'broken' },
        ],
      },
    ]);
    const result = await runner.run(agent, 'Go', { context: { user: 1 } });
    expect(result.finalOutput).toBe('2 calls');
    expect(model.requests).toHaveLength(1);
    expect(seen[0]).toEqual({ user: 1 });
    expect(seen[1]).toEqual([
      { callId: 'c', name: 'clock', arguments: {}, output: '12:00' },
      {
        callId: 'b',
        name: 'broken',
        arguments: {},
        output: undefined,
        error: { name: 'Error', message: 'out of order' },
      },
    ]);
  });

  it('a function that answers isFinalOutput: false lets the model run again', async () => {
    const { agent, model } = agentWith(() => ({ isFinalOutput: false }), [bothCalls, 'Sunny.']);
    expect((await runner.run(agent, 'Weather?')).finalOutput).toBe('Sunny.');
    expect(model.requests).toHaveLength(2);
  });

  it('a handoff in the same turn wins: the new agent is called', async () => {
    const target = new Agent({ name: 'B', model: fakeModel(['From B.']) });
    const model = fakeModel([
      {
        toolCalls: [
          { callId: 'c', name: 'clock' },
          { callId: 'h', name: 'transfer_to_b' },
        ],
      },
    ]);
    const agent = new Agent({
      name: 'A',
      model,
      tools: [clock],
      handoffs: [target],
      toolUseBehavior: 'stop_on_first_tool',
    });
    const result = await runner.run(agent, 'Go');
    expect(result.finalOutput).toBe('From B.');
    expect(result.lastAgent).toBe(target);
  });

  it('a rejected call offers its message; a pending one interrupts first, and a resumed run keeps the value', async () => {
    const refund = tool({
      name: 'refund',
      description: 'Refunds.',
      parameters: z.object({}),
      needsApproval: true,
      execute: () => ({ refunded: true }),
    });
    const Lookup = z.object({ city: z.string(), sky: z.string() });
    const make = () =>
      new Agent({
        name: 'A',
        model: fakeModel([
          {
            toolCalls: [
              { callId: 'w', name: 'weather', arguments: { city: 'Faro' } },
              { callId: 'r', name: 'refund' },
            ],
          },
        ]),
        tools: [weather, refund],
        outputType: Lookup,
        toolUseBehavior: 'stop_on_first_tool',
      });
    const first = await runner.run(make(), 'Go');
    expect(first.status).toBe('interrupted');
    // Another process: the state from its JSON, the agents made again.
    const agent = make();
    const state = RunState.fromJSON(agent, JSON.stringify(first.state)).approve('r');
    const resumed = await runner.run(agent, state);
    expect(resumed.finalOutput).toEqual({ city: 'Faro', sky: 'sunny' });
    // The kept value is checked data like the rest of the state.
    const stored = JSON.parse(JSON.stringify(first.state)) as { toolOutputs: Record<string, unknown>[] };
    expect(stored.toolOutputs).toEqual([
      { callId: 'w', output: '{"city":"Faro","sky":"sunny"}', value: { city: 'Faro', sky: 'sunny' } },
    ]);
    stored.toolOutputs[0]!.rejected = 'yes';
    expect(() => RunState.fromJSON(make(), stored)).toThrow(/json\.toolOutputs\[0\]\.rejected/);
    stored.toolOutputs[0]!.rejected = undefined;
    stored.toolOutputs[0]!.error = 'bad';
    expect(() => RunState.fromJSON(make(), stored)).toThrow(/json\.toolOutputs\[0\]\.error/);

    const text = new Agent({
      name: 'A',
      model: fakeModel([{ toolCalls: [{ callId: 'r', name: 'refund' }] }]),
      tools: [refund],
      toolUseBehavior: 'stop_on_first_tool',
    });
    const rejected = await runner.run(text, 'Go', { approve: () => ({ approved: false, message: 'Not today.' }) });
    expect(rejected.finalOutput).toBe('Not today.');
  });

  it('runSync(): a rule stops the run; a function that answers with a Promise is refused', () => {
    const { agent, model } = agentWith('stop_on_first_tool', [bothCalls, 'never']);
    expect(runner.runSync(agent, 'Weather?').finalOutput).toBe('{"city":"Lisbon","sky":"sunny"}');
    expect(model.requests).toHaveLength(1);
    const later = agentWith(() => Promise.resolve({ isFinalOutput: false }), [bothCalls, 'never']);
    expect(() => runner.runSync(later.agent, 'Weather?')).toThrow(SyncRunError);
  });

  it('a function that answers isFinalOutput: true without a finalOutput fails the run, naming the option', async () => {
    const { agent } = agentWith(() => ({ isFinalOutput: true }), [bothCalls]);
    await expect(runner.run(agent, 'Weather?')).rejects.toThrow(/toolUseBehavior answered isFinalOutput: true without/);
  });

  it('is checked where the agent is made', () => {
    expect(() => new Agent({ name: 'A', toolUseBehavior: 'stop' as never })).toThrow(InvalidArgumentError);
    expect(() => new Agent({ name: 'A', toolUseBehavior: { stopAtToolNames: [1] } as never })).toThrow(
      /stopAtToolNames\[0\]|tool names/,
    );
  });

  it('resetToolChoice still applies to the turn after a tool that does not stop the run', async () => {
    const model = fakeModel([{ toolCalls: [{ callId: 'w', name: 'weather', arguments: { city: 'Rome' } }] }, 'Sunny.']);
    const agent = new Agent({
      name: 'A',
      model,
      tools: [weather, clock],
      modelSettings: { toolChoice: 'required' },
      toolUseBehavior: { stopAtToolNames: ['clock'] },
    });
    await runner.run(agent, 'Go');
    expect(model.requests.map((request) => request.settings.toolChoice)).toEqual(['required', 'auto']);
  });
});

describe('toolUseBehavior in virtual time', () => {
  const slow = tool({
    name: 'slow',
    description: 'Takes 5 frames.',
    parameters: z.object({}),
    execute: () => timer(5).pipe(map(() => 'done')),
  });
  const agent = () =>
    new Agent({
      name: 'A',
      model: fakeModel([{ toolCalls: [{ callId: 's', name: 'slow' }] }, 'never']),
      tools: [slow],
      toolUseBehavior: 'stop_on_first_tool',
    });
  const values = {
    s: 'turn-started',
    c: 'turn-completed',
    x: 'tool-call',
    o: 'tool-output',
    f: 'final-output',
  };

  it('the final output follows the tool output at once: no further turn starts', () => {
    runMarbles(({ expectObservable }) => {
      const events = runner.runStreamed(agent(), 'Go').pipe(map((event) => event.type));
      expectObservable(events).toBe('(scx) (of|)', values);
    });
  });

  it('unsubscribing while the tool runs ends the run there', () => {
    runMarbles(({ expectObservable }) => {
      const events = runner.runStreamed(agent(), 'Go').pipe(map((event) => event.type));
      expectObservable(events, '^ 3ms !').toBe('(scx)', values);
    });
  });
});

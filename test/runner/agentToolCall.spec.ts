/**
 * Agents as tools (`agent.asTool()`): the call runs the agent as a nested run whose events reach the
 * parent's stream marked with `parentCallId`, whose usage counts in the parent's, which is cancelled
 * with the parent, and whose final output is the call's output — in all three modes.
 */
import { from, lastValueFrom, map, toArray, type Observable } from 'rxjs';
import { toFinalOutput, toRunResult, toServerSentEvents } from '../../operators/index.js';
import type { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AgentsError,
  fromServerSentEvents,
  MaxTurnsExceededError,
  OutputGuardrailTripwireTriggered,
  Runner,
  SyncRunError,
  tool,
  ToolCallError,
  type AgentToolOptions,
  type ModelEvent,
  type RunEvent,
  type ToolOutputEvent,
} from '../../src/index.js';
import { fakeModel, type FakeTurn } from '../../src/testing/index.js';
import { runMarbles as marbles } from '../helpers/marbles.js';

const runner = new Runner();

function eventsOf<T>(events$: Observable<RunEvent<T>>): RunEvent<T>[] {
  let events: RunEvent<T>[] = [];
  events$.pipe(toArray()).subscribe((all) => (events = all));
  return events;
}

/** An event as a short label: its type, its delta, and `@callId` for a nested run's. */
const label = (event: RunEvent<unknown>): string =>
  `${event.type}${event.type === 'text-delta' ? `:${event.delta}` : ''}${event.parentCallId ? `@${event.parentCallId}` : ''}`;

const usage = (inputTokens: number, outputTokens: number) => ({
  requests: 1,
  inputTokens,
  outputTokens,
  totalTokens: inputTokens + outputTokens,
});

/** The parent's script: it asks the researcher (call `r1`), then answers. */
const askResearcher: FakeTurn[] = [
  { toolCalls: [{ name: 'researcher', callId: 'r1', arguments: { input: 'Find Oslo' } }], usage: { inputTokens: 10 } },
  { text: 'Done.', usage: { inputTokens: 20, outputTokens: 1 } },
];

function researcherWith(model: Agent['model'], tools: Agent['tools'] = []) {
  return new Agent({ name: 'Researcher', model, tools, handoffDescription: 'Finds facts.' });
}

function writerWith<T>(subAgent: Agent<T>, turns: FakeTurn[] = askResearcher, options: AgentToolOptions<T> = {}) {
  const model = fakeModel(turns);
  const agent = new Agent({ name: 'Writer', model, tools: [subAgent.asTool(options)] });
  return { agent, model };
}

/** A marble model stream: two text deltas, then the response (usage 3 in, 2 out). */
const nestedStream = (cold: TestScheduler['createColdObservable']) =>
  cold<ModelEvent>('10ms a 9ms b 9ms (R|)', {
    a: { type: 'text-delta', delta: 'Oslo ' },
    b: { type: 'text-delta', delta: 'is north.' },
    R: {
      type: 'response',
      response: {
        output: [
          {
            type: 'message',
            role: 'assistant',
            id: 'm',
            status: 'completed',
            content: [{ type: 'output_text', text: 'Oslo is north.', annotations: [] }],
          },
        ],
        usage: usage(3, 2),
      },
    },
  });

describe('agent.asTool() in a run, in virtual time', () => {
  it("streams the nested run's events into the parent's, marked with parentCallId, between the call and its output", () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = nestedStream(cold);
      const { agent } = writerWith(researcherWith({ name: 'marble', stream: () => stream }));
      expectObservable(runner.runStreamed(agent, 'Write').pipe(map(label))).toBe('(sckn) 4ms a 9ms b 9ms (doSDCF|)', {
        s: 'turn-started',
        c: 'turn-completed',
        k: 'tool-call',
        n: 'turn-started@r1',
        a: 'text-delta:Oslo @r1',
        b: 'text-delta:is north.@r1',
        d: 'turn-completed@r1',
        o: 'tool-output',
        S: 'turn-started',
        D: 'text-delta:Done.',
        C: 'turn-completed',
        F: 'final-output',
      });
      expectSubscriptions(stream.subscriptions).toBe('^ 29ms !');
    });
  });

  it('unsubscribing the parent while the sub-agent streams unsubscribes its model call; nothing follows', () => {
    let model: ReturnType<typeof fakeModel> | undefined;
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = nestedStream(cold);
      const { agent, model: parent } = writerWith(researcherWith({ name: 'marble', stream: () => stream }));
      model = parent;
      expectObservable(runner.runStreamed(agent, 'Write').pipe(map(label)), '^ 14ms !').toBe('(sckn) 4ms a', {
        s: 'turn-started',
        c: 'turn-completed',
        k: 'tool-call',
        n: 'turn-started@r1',
        a: 'text-delta:Oslo @r1',
      });
      expectSubscriptions(stream.subscriptions).toBe('^ 14ms !');
    });
    // The parent made no second model call.
    expect(model?.requests).toHaveLength(1);
  });

  it("two calls of the sub-agent run concurrently, each run's events marked with its own call", () => {
    marbles(({ cold, expectObservable }) => {
      const streams = [nestedStream(cold), nestedStream(cold)];
      let calls = 0;
      const researcher = researcherWith({ name: 'marble', stream: () => streams[calls++]! });
      const { agent } = writerWith(researcher, [
        {
          toolCalls: [
            { name: 'researcher', callId: 'r1', arguments: { input: 'Oslo' } },
            { name: 'researcher', callId: 'r2', arguments: { input: 'Bergen' } },
          ],
        },
        'Done.',
      ]);
      const nestedOnly = runner.runStreamed(agent, 'Write').pipe(map(label));
      expectObservable(nestedOnly).toBe('(scklnm) 2ms (ab) 6ms (AB) 6ms (doepSDCF|)', {
        s: 'turn-started',
        c: 'turn-completed',
        k: 'tool-call',
        l: 'tool-call',
        n: 'turn-started@r1',
        m: 'turn-started@r2',
        a: 'text-delta:Oslo @r1',
        b: 'text-delta:Oslo @r2',
        A: 'text-delta:is north.@r1',
        B: 'text-delta:is north.@r2',
        d: 'turn-completed@r1',
        o: 'tool-output',
        e: 'turn-completed@r2',
        p: 'tool-output',
        S: 'turn-started',
        D: 'text-delta:Done.',
        C: 'turn-completed',
        F: 'final-output',
      });
    });
  });
});

describe('agent.asTool(): output, usage, context', () => {
  it("the nested final output is the call's output; the nested usage counts in the parent's", () => {
    const researcher = researcherWith(
      fakeModel([{ text: 'Oslo is north.', usage: { inputTokens: 3, outputTokens: 2 } }]),
    );
    const { agent, model } = writerWith(researcher);
    const events = eventsOf(runner.runStreamed(agent, 'Write'));
    const output = events.find((event): event is ToolOutputEvent => event.type === 'tool-output');
    expect(output).toEqual({
      type: 'tool-output',
      agent: 'Writer',
      turn: 1,
      callId: 'r1',
      name: 'researcher',
      output: 'Oslo is north.',
    });
    expect(model.requests[1]!.input.at(-1)).toEqual({
      type: 'function_call_output',
      call_id: 'r1',
      output: 'Oslo is north.',
    });
    const final = events.at(-1);
    expect(final?.type === 'final-output' && final.usage).toEqual({
      requests: 3,
      inputTokens: 33,
      outputTokens: 3,
      totalTokens: 36,
    });
    // Exactly one final-output: the nested one is not forwarded.
    expect(events.filter((event) => event.type === 'final-output')).toHaveLength(1);
    // The nested run's events name its agent and its own turns.
    expect(events.find((event) => event.parentCallId === 'r1')).toEqual({
      type: 'turn-started',
      agent: 'Researcher',
      turn: 1,
      parentCallId: 'r1',
    });
  });

  it('a deeper nesting keeps its own parentCallId, and its usage counts once at every level', () => {
    const checker = new Agent({
      name: 'Checker',
      model: fakeModel([{ text: 'True.', usage: { inputTokens: 100, outputTokens: 1 } }]),
    });
    const researcher = researcherWith(
      fakeModel([
        { toolCalls: [{ name: 'checker', callId: 'c1', arguments: { input: 'Check' } }], usage: { inputTokens: 3 } },
        { text: 'Checked.', usage: { inputTokens: 4, outputTokens: 2 } },
      ]),
      [checker.asTool()],
    );
    const { agent } = writerWith(researcher);
    const events = eventsOf(runner.runStreamed(agent, 'Write'));
    expect(events.map(label)).toEqual([
      'turn-started',
      'turn-completed',
      'tool-call',
      'turn-started@r1',
      'turn-completed@r1',
      'tool-call@r1',
      'turn-started@c1',
      'text-delta:True.@c1',
      'turn-completed@c1',
      'tool-output@r1',
      'turn-started@r1',
      'text-delta:Checked.@r1',
      'turn-completed@r1',
      'tool-output',
      'turn-started',
      'text-delta:Done.',
      'turn-completed',
      'final-output',
    ]);
    expect(events.find((event) => event.parentCallId === 'c1')?.agent).toBe('Checker');
    const final = events.at(-1);
    expect(final?.type === 'final-output' && final.usage).toEqual({
      requests: 5,
      inputTokens: 137,
      outputTokens: 4,
      totalTokens: 141,
    });
  });

  it('run() and runSync() resolve to the parent’s final output, with the nested usage', async () => {
    for (const mode of ['run', 'runSync'] as const) {
      const researcher = researcherWith(fakeModel([{ text: 'Oslo.', usage: { inputTokens: 3, outputTokens: 2 } }]));
      const { agent } = writerWith(researcher, askResearcher, {
        outputExtractor: (result: { finalOutput: string }) => `«${result.finalOutput}»`,
      });
      const result = mode === 'run' ? await runner.run(agent, 'Write') : runner.runSync(agent, 'Write');
      expect(result.finalOutput).toBe('Done.');
      expect(result.usage).toEqual({ requests: 3, inputTokens: 33, outputTokens: 3, totalTokens: 36 });
      expect(result.newItems[1]).toEqual({ type: 'function_call_output', call_id: 'r1', output: '«Oslo.»' });
    }
  });

  it('a structured nested output is sent as JSON; outputExtractor may return a Promise in run()', async () => {
    const researcher = new Agent({
      name: 'Researcher',
      model: fakeModel([{ output: { city: 'Oslo' } }, { output: { city: 'Bergen' } }]),
      outputType: z.object({ city: z.string() }),
    });
    const plain = writerWith(researcher);
    expect((await runner.run(plain.agent, 'Write')).newItems[1]).toMatchObject({ output: '{"city":"Oslo"}' });
    const extracted = writerWith(researcher, askResearcher, {
      outputExtractor: async (result: { finalOutput: { city: string } }) => result.finalOutput.city.toUpperCase(),
    });
    expect((await runner.run(extracted.agent, 'Write')).newItems[1]).toMatchObject({ output: 'BERGEN' });
  });

  it("runs with the caller's context, model provider and default model; maxTurns from asTool", async () => {
    const seen: unknown[] = [];
    const lookup = tool({
      name: 'lookup',
      description: 'Looks up.',
      parameters: z.object({}),
      execute: (_args, { context }) => void seen.push(context),
    });
    const nestedModel = fakeModel([{ toolCalls: [{ name: 'lookup' }] }, 'Found.']);
    const researcher = new Agent({ name: 'Researcher', tools: [lookup] });
    const names: string[] = [];
    const provided = new Runner({
      model: 'default-model',
      modelProvider: { getModel: (name) => (names.push(name), nestedModel) },
    });
    const writer = new Agent({ name: 'Writer', model: fakeModel(askResearcher), tools: [researcher.asTool()] });
    const result = await provided.run(writer, 'Write', { context: { user: 'ada' } });
    expect(result.newItems[1]).toMatchObject({ output: 'Found.' });
    expect(seen).toEqual([{ user: 'ada' }]);
    expect(names).toEqual(['default-model']);

    const limited = new Agent({
      name: 'Writer',
      model: fakeModel(askResearcher),
      tools: [
        researcherWith(fakeModel([{ toolCalls: [{ name: 'lookup' }] }, 'Found.']), [lookup]).asTool({ maxTurns: 1 }),
      ],
    });
    const events = eventsOf(runner.runStreamed(limited, 'Write'));
    const output = events.find(
      (event): event is ToolOutputEvent => event.type === 'tool-output' && event.parentCallId === undefined,
    );
    expect(output?.error).toEqual({
      name: 'MaxTurnsExceededError',
      message: new MaxTurnsExceededError({ maxTurns: 1 }).message,
    });
  });

  it("maxTurns defaults to the runner's, not the parent run's option", async () => {
    const lookup = tool({ name: 'lookup', description: 'Looks up.', parameters: z.object({}), execute: () => 'x' });
    const researcher = researcherWith(fakeModel([{ toolCalls: [{ name: 'lookup' }] }, 'Found.']), [lookup]);
    const { agent } = writerWith(researcher);
    const result = await new Runner({ maxTurns: 1 }).run(agent, 'Write', { maxTurns: 5 });
    expect(result.newItems[1]).toMatchObject({ output: expect.stringContaining('maxTurns') as unknown });
  });
});

describe("agent.asTool(): the parent's stream, read by the operators that look for its end", () => {
  it('toFinalOutput, toRunResult and fromServerSentEvents read the parent’s end, not the nested one', async () => {
    const fresh = () =>
      writerWith(researcherWith(fakeModel([{ text: 'Oslo.', usage: { inputTokens: 3, outputTokens: 2 } }]))).agent;
    const direct = await runner.run(fresh(), 'Write');
    expect(await lastValueFrom(runner.runStreamed(fresh(), 'Write').pipe(toFinalOutput()))).toBe('Done.');
    const frames = await lastValueFrom(runner.runStreamed(fresh(), 'Write').pipe(toServerSentEvents(), toArray()));
    const response = new Response(frames.join(''), { headers: { 'content-type': 'text/event-stream' } });
    const received = await lastValueFrom(fromServerSentEvents<string>(response).pipe(toArray()));
    expect(received.filter((event) => event.parentCallId === 'r1').map((event) => event.type)).toEqual([
      'turn-started',
      'text-delta',
      'turn-completed',
    ]);
    const result = await lastValueFrom(from(received).pipe(toRunResult()));
    expect(result).toEqual({ ...direct, lastAgent: 'Writer' });
  });
});

describe('agent.asTool(): a nested run that fails', () => {
  const cut = () => Object.assign(new AgentsError({ message: 'the stream was cut' }), { usage: usage(7, 1) });

  it("with toolErrors 'report', the model is told and the run goes on; the failed call's usage counts", async () => {
    const researcher = researcherWith(fakeModel([{ text: 'Oslo', error: cut() }]));
    const { agent, model } = writerWith(researcher);
    const events = eventsOf(runner.runStreamed(agent, 'Write'));
    const output = events.find((event): event is ToolOutputEvent => event.type === 'tool-output');
    expect(output?.error).toEqual({ name: 'AgentsError', message: 'the stream was cut' });
    expect(model.requests[1]!.input.at(-1)).toEqual({
      type: 'function_call_output',
      call_id: 'r1',
      output: "An error occurred while running the tool 'researcher'. Please try again. Error: the stream was cut",
    });
    const final = events.at(-1);
    expect(final?.type === 'final-output' && final.usage).toEqual({
      requests: 3,
      inputTokens: 37,
      outputTokens: 2,
      totalTokens: 39,
    });
  });

  it("with toolErrors 'throw', the run fails with ToolCallError carrying the cause, and partial.usage has the nested usage", async () => {
    const failure = cut();
    const researcher = researcherWith(fakeModel([{ text: 'Oslo', error: failure }]));
    const { agent } = writerWith(researcher);
    const error = await runner.run(agent, 'Write', { toolErrors: 'throw' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ toolName: 'researcher', callId: 'r1', cause: failure });
    expect((error as ToolCallError).partial?.usage).toEqual({
      requests: 2,
      inputTokens: 17,
      outputTokens: 1,
      totalTokens: 18,
    });
    // The parent's partial: not the nested run's text.
    expect((error as ToolCallError).partial?.text).toBe('');
  });

  it('a nested call that needs approval: without approve it is a tool error naming the option; with it, it runs', async () => {
    const refund = tool({
      name: 'refund',
      description: 'Refunds.',
      parameters: z.object({}),
      needsApproval: true,
      execute: () => 'refunded',
    });
    const script = (): FakeTurn[] => [{ toolCalls: [{ name: 'refund', callId: 'n1' }] }, 'Refunded.'];
    const without = writerWith(researcherWith(fakeModel(script()), [refund]));
    const events = eventsOf(runner.runStreamed(without.agent, 'Write'));
    expect(events.map(label)).toContain('tool-approval-requested@r1');
    expect(events.some((event) => event.type === 'run-interrupted')).toBe(false);
    const output = events.find(
      (event): event is ToolOutputEvent => event.type === 'tool-output' && !event.parentCallId,
    );
    expect(output?.error?.message).toMatch(/asked for approval of 'refund'.*`approve` option/);

    const asked: string[] = [];
    const withApprove = writerWith(researcherWith(fakeModel(script()), [refund]));
    const result = await runner.run(withApprove.agent, 'Write', {
      approve: (request) => (asked.push(request.callId), true),
    });
    expect(asked).toEqual(['n1']);
    expect(result.status).toBe('completed');
    expect(result.newItems[1]).toMatchObject({ output: 'Refunded.' });
  });
});

describe('agent.asTool(): a guardrail that trips in the nested run', () => {
  it('stops the parent run with the guardrail’s error, whatever toolErrors says; the nested text is its partial', async () => {
    const researcher = new Agent({
      name: 'Researcher',
      model: fakeModel([{ text: ['The ', 'secret ', 'is 42.'] }]),
      streamGuardrails: [
        {
          name: 'no-secrets',
          every: { characters: 1 },
          execute: (text) => ({ tripwireTriggered: text.includes('secret') }),
        },
      ],
    });
    const { agent, model } = writerWith(researcher);
    const failure = await runner.run(agent, 'Write').catch((error: unknown) => error);
    expect(OutputGuardrailTripwireTriggered.isInstance(failure)).toBe(true);
    expect((failure as OutputGuardrailTripwireTriggered).guardrail).toMatchObject({
      name: 'no-secrets',
      agent: 'Researcher',
    });
    expect((failure as OutputGuardrailTripwireTriggered).partial?.text).toBe('The secret ');
    // The writer was not asked again: the model never read the trip as a tool error.
    expect(model.requests).toHaveLength(1);
  });
});

describe('agent.asTool() in runSync()', () => {
  it('refuses an async tool of the nested agent before the first model call', () => {
    const slow = tool({ name: 'slow', description: 'Slow.', parameters: z.object({}), execute: async () => 'x' });
    const { agent, model } = writerWith(researcherWith(fakeModel(['x']), [slow]));
    expect(() => runner.runSync(agent, 'Write')).toThrow(SyncRunError);
    expect(model.requests).toHaveLength(0);
  });

  it("a nested tool that returns a Promise fails the run with SyncRunError, whose partial is the parent's", () => {
    const slow = tool({
      name: 'slow',
      description: 'Slow.',
      parameters: z.object({}),
      execute: () => Promise.resolve('x'),
    });
    const researcher = researcherWith(fakeModel([{ toolCalls: [{ name: 'slow' }], usage: { inputTokens: 3 } }]), [
      slow,
    ]);
    const { agent } = writerWith(researcher);
    let error: unknown;
    try {
      runner.runSync(agent, 'Write');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as SyncRunError).partial?.usage).toEqual({
      requests: 2,
      inputTokens: 13,
      outputTokens: 0,
      totalTokens: 13,
    });
  });

  it('an outputExtractor that returns a Promise fails the run with SyncRunError', () => {
    const { agent } = writerWith(researcherWith(fakeModel(['x'])), askResearcher, {
      outputExtractor: () => Promise.resolve('y'),
    });
    expect(() => runner.runSync(agent, 'Write')).toThrow(SyncRunError);
  });
});

describe("agent.asTool()'s execute, called directly", () => {
  it('fails, saying the runner runs it', async () => {
    const made = researcherWith(fakeModel([])).asTool();
    const result = made.execute(
      { input: 'x' },
      { signal: new AbortController().signal, context: undefined, agent: 'a', callId: 'c' },
    );
    await expect(
      new Promise((resolve, reject) => (result as Observable<unknown>).subscribe({ next: resolve, error: reject })),
    ).rejects.toThrow(/nested run of the runner that calls it/);
  });
});

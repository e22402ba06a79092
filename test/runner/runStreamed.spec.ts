import { asyncScheduler, lastValueFrom, Observable, timer, toArray, map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AgentsError,
  MaxTurnsExceededError,
  ModelBehaviorError,
  Runner,
  tool,
  ToolCallError,
  type Model,
  type ModelEvent,
  type RunEvent,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { runMarbles as marbles } from '../helpers/marbles.js';

const runner = new Runner();

function eventsOf<T>(events$: Observable<RunEvent<T>>): RunEvent<T>[] {
  let events: RunEvent<T>[] = [];
  events$.pipe(toArray()).subscribe((all) => (events = all));
  return events;
}

const add = tool({
  name: 'add',
  description: 'Adds two numbers.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

describe('runStreamed', () => {
  it('emits text deltas, turn-completed and one final-output, last, each with agent and turn', () => {
    const model = fakeModel([{ text: ['Hello', ' world'], usage: { inputTokens: 5, outputTokens: 2 } }]);
    const agent = new Agent({ name: 'Greeter', model });
    const usage = { requests: 1, inputTokens: 5, outputTokens: 2, totalTokens: 7 };
    const response = {
      id: 'fake_resp_1',
      output: [
        {
          type: 'message',
          id: 'fake_msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello world', annotations: [] }],
        },
      ],
      usage,
    };
    expect(eventsOf(runner.runStreamed(agent, 'Hi'))).toEqual([
      { type: 'turn-started', agent: 'Greeter', turn: 1 },
      { type: 'text-delta', agent: 'Greeter', turn: 1, delta: 'Hello' },
      { type: 'text-delta', agent: 'Greeter', turn: 1, delta: ' world' },
      {
        type: 'turn-completed',
        agent: 'Greeter',
        turn: 1,
        responseId: 'fake_resp_1',
        usage: { requests: 1, inputTokens: 5, outputTokens: 2, totalTokens: 7 },
      },
      {
        type: 'final-output',
        agent: 'Greeter',
        turn: 1,
        output: 'Hello world',
        usage,
        newItems: response.output,
        history: [{ type: 'message', role: 'user', content: 'Hi' }, ...response.output],
        rawResponses: [response],
      },
    ]);
  });

  it('passes raw events through with the model name as source, in order', () => {
    const model = fakeModel(
      [
        {
          events: [
            { type: 'raw', data: { type: 'response.created' } },
            { type: 'raw', data: { type: 'response.output_text.delta', delta: 'Hi' } },
            { type: 'text-delta', delta: 'Hi' },
            {
              type: 'response',
              response: {
                output: [{ type: 'message', role: 'assistant', content: 'Hi' }],
                usage: { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 },
              },
            },
          ],
        },
      ],
      { name: 'my-model' },
    );
    const events = eventsOf(runner.runStreamed(new Agent({ name: 'A', model }), 'Hi'));
    expect(events.map((e) => e.type)).toEqual([
      'turn-started',
      'raw',
      'raw',
      'text-delta',
      'turn-completed',
      'final-output',
    ]);
    expect(events[2]).toEqual({
      type: 'raw',
      agent: 'A',
      turn: 1,
      source: 'my-model',
      data: { type: 'response.output_text.delta', delta: 'Hi' },
    });
    // No response id: the field is left out rather than set to undefined.
    expect(events[4]).not.toHaveProperty('responseId');
  });

  it('is cold: nothing is requested before subscription, and each subscription is a run of its own', () => {
    const model = fakeModel(['one', 'two']);
    const events$ = runner.runStreamed(new Agent({ name: 'A', model }), 'Hi');
    expect(model.requests).toHaveLength(0);
    expect(eventsOf(events$).at(-1)).toMatchObject({ type: 'final-output', output: 'one' });
    expect(eventsOf(events$).at(-1)).toMatchObject({ type: 'final-output', output: 'two' });
    expect(model.requests).toHaveLength(2);
  });

  it('gives two runs of the same script deep-equal events', () => {
    const script = () =>
      fakeModel([{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }], text: 'Adding. ' }, 'It is 3.']);
    const first = eventsOf(runner.runStreamed(new Agent({ name: 'A', model: script(), tools: [add] }), 'What is 1+2?'));
    const second = eventsOf(
      runner.runStreamed(new Agent({ name: 'A', model: script(), tools: [add] }), 'What is 1+2?'),
    );
    expect(second).toEqual(first);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('sends instructions (static or from the context), tools and the history to the model', () => {
    const model = fakeModel([{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 }, callId: 'c1' }] }, 'Done.']);
    const agent = new Agent<string, { user: string }>({
      name: 'A',
      model,
      tools: [add],
      instructions: ({ user }) => `Help ${user}.`,
      modelSettings: { temperature: 0.2 },
    });
    eventsOf(runner.runStreamed(agent, 'Add', { context: { user: 'Ada' } }));
    const [first, second] = model.requests;
    expect(first).toMatchObject({
      instructions: 'Help Ada.',
      settings: { temperature: 0.2 },
      input: [{ type: 'message', role: 'user', content: 'Add' }],
    });
    expect(first!.tools).toEqual([
      {
        type: 'function',
        name: 'add',
        description: 'Adds two numbers.',
        strict: true,
        parameters: expect.objectContaining({ type: 'object', required: ['a', 'b'], additionalProperties: false }),
      },
    ]);
    expect(second!.input).toEqual([
      { type: 'message', role: 'user', content: 'Add' },
      { type: 'function_call', call_id: 'c1', name: 'add', arguments: '{"a":1,"b":2}', status: 'completed' },
      { type: 'function_call_output', call_id: 'c1', output: '3' },
    ]);
  });

  it('emits tool-call after turn-completed, before the tool runs (raw string arguments when not JSON), then tool-output', () => {
    const model = fakeModel([
      {
        toolCalls: [
          { name: 'add', arguments: { a: 2, b: 2 }, callId: 'ok' },
          { name: 'add', arguments: '{"a":', callId: 'bad' },
        ],
      },
      'Four.',
    ]);
    const events = eventsOf(runner.runStreamed(new Agent({ name: 'A', model, tools: [add] }), 'Add'));
    expect(events.map((e) => e.type)).toEqual([
      'turn-started',
      'turn-completed',
      'tool-call',
      'tool-call',
      'tool-output',
      'tool-output',
      'turn-started',
      'text-delta',
      'turn-completed',
      'final-output',
    ]);
    expect(events[2]).toEqual({
      type: 'tool-call',
      agent: 'A',
      turn: 1,
      callId: 'ok',
      name: 'add',
      arguments: { a: 2, b: 2 },
    });
    expect(events[3]).toMatchObject({ callId: 'bad', arguments: '{"a":' });
    expect(events[4]).toEqual({ type: 'tool-output', agent: 'A', turn: 1, callId: 'ok', name: 'add', output: 4 });
    expect(events[5]).toMatchObject({ callId: 'bad', output: undefined, error: { name: 'SyntaxError' } });
    const outputs = model.requests[1]!.input.filter((item) => item.type === 'function_call_output');
    expect(outputs[1]).toMatchObject({ call_id: 'bad', output: expect.stringContaining('not valid JSON') });
  });

  it('reports arguments that fail the schema and tools that throw to the model, so it can recover', () => {
    const broken = tool({
      name: 'broken',
      description: 'Throws.',
      parameters: z.object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const model = fakeModel([
      {
        toolCalls: [
          { name: 'add', arguments: { a: 'one', b: 2 }, callId: 'c1' },
          { name: 'broken', callId: 'c2' },
        ],
      },
      'Sorry.',
    ]);
    const events = eventsOf(runner.runStreamed(new Agent({ name: 'A', model, tools: [add, broken] }), 'Go'));
    const outputs = events.filter((e) => e.type === 'tool-output');
    expect(outputs[0]).toMatchObject({ callId: 'c1', error: { name: 'ZodError' } });
    expect(outputs[1]).toMatchObject({ callId: 'c2', error: { name: 'Error', message: 'disk on fire' } });
    const sent = model.requests[1]!.input.filter((item) => item.type === 'function_call_output') as {
      output: string;
    }[];
    expect(sent[0]!.output).toContain("do not match the tool's schema");
    expect(sent[1]!.output).toContain('disk on fire');
    expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'Sorry.' });
  });

  it("fails the run with ToolCallError under toolErrors: 'throw'", async () => {
    const model = fakeModel([{ toolCalls: [{ name: 'add', arguments: { a: 'one' } }] }, 'unused']);
    const error = await lastValueFrom(
      runner.runStreamed(new Agent({ name: 'A', model, tools: [add] }), 'Go', { toolErrors: 'throw' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ toolName: 'add', callId: 'call_1_0' });
    expect(model.requests).toHaveLength(1);
  });

  it('fails with ModelBehaviorError when the model calls a tool the agent does not have', async () => {
    const model = fakeModel([{ toolCalls: [{ name: 'rm_rf' }] }]);
    const error = await lastValueFrom(runner.runStreamed(new Agent({ name: 'A', model, tools: [add] }), 'Go')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelBehaviorError);
    expect((error as Error).message).toContain("'rm_rf'");
  });

  it('takes a tool result from a Promise or from the last value of an Observable', async () => {
    const later = tool({
      name: 'later',
      description: '',
      parameters: z.object({}),
      execute: async () => ({ ok: true }),
    });
    const model = fakeModel([{ toolCalls: [{ name: 'later' }, { name: 'counted' }] }, 'ok']);
    const counted = tool({
      name: 'counted',
      description: '',
      parameters: z.object({}),
      execute: () =>
        new Observable<number>((s) => {
          s.next(1);
          s.next(2);
          s.complete();
        }),
    });
    const events = await lastValueFrom(
      runner.runStreamed(new Agent({ name: 'A', model, tools: [later, counted] }), 'Go').pipe(toArray()),
    );
    const outputs = events.filter((e) => e.type === 'tool-output');
    expect(outputs.map((e) => e.output)).toEqual(expect.arrayContaining([{ ok: true }, 2]));
    expect(model.requests[1]!.input.filter((i) => i.type === 'function_call_output')).toEqual([
      { type: 'function_call_output', call_id: 'call_1_0', output: '{"ok":true}' },
      { type: 'function_call_output', call_id: 'call_1_1', output: '2' },
    ]);
  });

  it('hands off to another agent: agent-updated, the handoff call answered, the new agent finishes', async () => {
    const booking = new Agent({ name: 'Booking agent', model: fakeModel(['Booked.']) });
    const triageModel = fakeModel([{ toolCalls: [{ name: 'transfer_to_booking_agent', callId: 'h1' }] }]);
    const triage = new Agent({ name: 'Triage', model: triageModel, handoffs: [booking] });
    expect(triageModel.requests).toHaveLength(0);
    const result = await runner.run(triage, 'Book it');
    expect(triageModel.requests[0]!.tools.map((t) => t.name)).toEqual(['transfer_to_booking_agent']);
    expect(result.lastAgent).toBe(booking);
    expect(result.finalOutput).toBe('Booked.');
    expect(result.newItems).toContainEqual({
      type: 'function_call_output',
      call_id: 'h1',
      output: '{"assistant":"Booking agent"}',
    });
    const events = eventsOf(
      runner.runStreamed(
        new Agent({
          name: 'Triage',
          model: fakeModel([{ toolCalls: [{ name: 'transfer_to_booking_agent' }] }]),
          handoffs: [new Agent({ name: 'Booking agent', model: fakeModel(['Booked.']) })],
        }),
        'Book it',
      ),
    );
    expect(events.filter((e) => e.type === 'agent-updated')).toEqual([
      { type: 'agent-updated', agent: 'Booking agent', turn: 1, from: 'Triage', callId: 'call_1_0' },
    ]);
    // A handoff is not a tool call: no tool-call that would wait for a tool-output forever.
    expect(events.filter((e) => e.type === 'tool-call' || e.type === 'tool-output')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'final-output', agent: 'Booking agent', turn: 2 });
  });

  it('fails with MaxTurnsExceededError past maxTurns, keeping what the run produced', async () => {
    const loop = {
      toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }],
      usage: { inputTokens: 10, outputTokens: 1 },
    };
    const model = fakeModel([loop, loop, loop, loop]);
    const error = await runner
      .run(new Agent({ name: 'A', model, tools: [add] }), 'Loop', { maxTurns: 2 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxTurnsExceededError);
    expect(model.requests).toHaveLength(2);
    expect((error as MaxTurnsExceededError).partial).toMatchObject({
      usage: { requests: 2, inputTokens: 20, outputTokens: 2, totalTokens: 22 },
    });
    expect((error as MaxTurnsExceededError).partial!.newItems).toHaveLength(4);
  });

  it('keeps every text delta of the run, across turns, in error.partial', async () => {
    const failure = new Error('connection reset');
    const model = fakeModel([
      {
        toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }],
        text: ['Let me ', 'add. '],
        usage: { inputTokens: 3, outputTokens: 4 },
      },
      { error: failure, text: ['The sum ', 'is'] },
    ]);
    const error = await runner.run(new Agent({ name: 'A', model, tools: [add] }), 'Add').catch((e: unknown) => e);
    // The model's own error is not changed: it is the cause of ours, which carries the partial.
    expect(error).toBeInstanceOf(AgentsError);
    expect((error as Error).cause).toBe(failure);
    expect(failure).not.toHaveProperty('partial');
    expect((error as { partial?: unknown }).partial).toEqual({
      text: 'Let me add. The sum is',
      newItems: [
        expect.objectContaining({ type: 'message', role: 'assistant' }),
        expect.objectContaining({ type: 'function_call', name: 'add' }),
        { type: 'function_call_output', call_id: 'call_1_0', output: '3' },
      ],
      usage: { requests: 1, inputTokens: 3, outputTokens: 4, totalTokens: 7 },
    });
  });
});

describe('error.partial of a long answer', () => {
  it('keeps every one of hundreds of deltas, in order', async () => {
    const deltas = Array.from({ length: 150 }, (_, i) => `d${i} `);
    const model = fakeModel([{ error: new Error('reset'), text: deltas }]);
    const error = await runner.run(new Agent({ name: 'A', model }), 'Talk').catch((e: unknown) => e);
    expect((error as { partial?: { text: string } }).partial?.text).toBe(deltas.join(''));
  });
});

describe('runStreamed with structured output', () => {
  const Destination = z.object({ city: z.string(), days: z.number().int() });

  it('parses and validates the answer, and sends the strict schema', async () => {
    const model = fakeModel([{ output: { city: 'Lisbon', days: 4 } }]);
    const agent = new Agent({ name: 'Travel', model, outputType: Destination });
    const final = await lastValueFrom(runner.runStreamed(agent, 'Where?'));
    expect(final).toMatchObject({ type: 'final-output', output: { city: 'Lisbon', days: 4 } });
    expect(model.requests[0]!.outputSchema).toEqual({
      name: 'final_output',
      schema: expect.objectContaining({ type: 'object', required: ['city', 'days'], additionalProperties: false }),
    });
  });

  it('fails with ModelBehaviorError when the answer is not JSON', async () => {
    const agent = new Agent({ name: 'Travel', model: fakeModel(['Lisbon, for sure']), outputType: Destination });
    const error = await runner.run(agent, 'Where?').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelBehaviorError);
    expect((error as Error).message).toContain('not valid JSON');
    expect((error as ModelBehaviorError).partial?.text).toBe('Lisbon, for sure');
  });

  it('fails with ModelBehaviorError carrying the zod issues when the answer does not match', async () => {
    const agent = new Agent({
      name: 'Travel',
      model: fakeModel([{ output: { city: 'Lisbon', days: 'four' } }]),
      outputType: Destination,
    });
    const error = await runner.run(agent, 'Where?').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelBehaviorError);
    expect((error as ModelBehaviorError).issues).toEqual([expect.objectContaining({ path: ['days'] })]);
  });
});

describe('runStreamed in virtual time', () => {
  it('emits deltas as the model streams them, and the turn ends with its response', () => {
    marbles(({ expectObservable }) => {
      const model = fakeModel([{ text: ['a', 'b'] }], { scheduler: asyncScheduler, interval: 10 });
      const types = runner
        .runStreamed(new Agent({ name: 'A', model }), 'Go')
        .pipe(map((e) => (e.type === 'text-delta' ? e.delta : e.type)));
      expectObservable(types).toBe('s 9ms a 9ms b 9ms (cd|)', {
        s: 'turn-started',
        a: 'a',
        b: 'b',
        c: 'turn-completed',
        d: 'final-output',
      });
    });
  });

  it('runs two tools of different durations concurrently: the turn takes the longer one', () => {
    marbles(({ expectObservable, time }) => {
      const fast = time('--------|');
      const slow = time('------------|');
      const wait = (name: string, ms: number) =>
        tool({ name, description: '', parameters: z.object({}), execute: () => timer(ms).pipe(map(() => name)) });
      const model = fakeModel([
        {
          toolCalls: [
            { name: 'slow', callId: 's' },
            { name: 'fast', callId: 'f' },
          ],
        },
        { text: ['done'] },
      ]);
      const agent = new Agent({ name: 'A', model, tools: [wait('slow', slow), wait('fast', fast)] });
      const types = runner
        .runStreamed(agent, 'Go')
        .pipe(map((e) => (e.type === 'tool-output' ? `${e.type}:${e.callId}` : e.type)));
      expectObservable(types).toBe('(scab) 2ms d 3ms (esfgh|)', {
        s: 'turn-started',
        c: 'turn-completed',
        a: 'tool-call',
        b: 'tool-call',
        d: 'tool-output:f',
        e: 'tool-output:s',
        f: 'text-delta',
        g: 'turn-completed',
        h: 'final-output',
      });
    });
  });
});

// A model over a cold marble Observable, so that expectSubscriptions can prove unsubscription.
function marbleModel(stream: Observable<ModelEvent>): Model {
  return { name: 'marble', stream: () => stream };
}

describe('runStreamed cancellation', () => {
  it('unsubscribing during the model call unsubscribes the model stream; nothing is emitted afterwards', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ModelEvent>('-a-b-c-|', {
        a: { type: 'text-delta', delta: 'a' },
        b: { type: 'text-delta', delta: 'b' },
        c: { type: 'text-delta', delta: 'c' },
      });
      const agent = new Agent({ name: 'A', model: marbleModel(stream) });
      const deltas = runner.runStreamed(agent, 'Go').pipe(map((e) => (e.type === 'text-delta' ? e.delta : e.type)));
      expectObservable(deltas, '^--!').toBe('sa-', { s: 'turn-started', a: 'a' });
      expectSubscriptions(stream.subscriptions).toBe('^--!');
    });
  });

  it("unsubscribing while a tool runs aborts the tool's signal and emits nothing more", () => {
    const signals: AbortSignal[] = [];
    marbles(({ expectObservable, time }) => {
      const long = tool({
        name: 'long',
        description: '',
        parameters: z.object({}),
        execute: (_args, { signal }) => {
          signals.push(signal);
          return timer(time('------|')).pipe(map(() => 'late'));
        },
      });
      const agent = new Agent({
        name: 'A',
        model: fakeModel([{ toolCalls: [{ name: 'long' }] }, 'never']),
        tools: [long],
      });
      expectObservable(runner.runStreamed(agent, 'Go').pipe(map((e) => e.type)), '^--!').toBe('(sba)', {
        s: 'turn-started',
        a: 'tool-call',
        b: 'turn-completed',
      });
    });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
  });

  it("does not abort a tool's signal once the tool has finished", async () => {
    const signals: AbortSignal[] = [];
    const quick = tool({
      name: 'quick',
      description: '',
      parameters: z.object({}),
      execute: (_args, { signal }) => {
        signals.push(signal);
        return 'ok';
      },
    });
    await runner.run(
      new Agent({ name: 'A', model: fakeModel([{ toolCalls: [{ name: 'quick' }] }, 'done']), tools: [quick] }),
      'Go',
    );
    expect(signals[0]!.aborted).toBe(false);
  });
});

/** Tools that need approval: the run interrupts, or waits for `approve`; a stored state resumes. */
import { lastValueFrom, Observable, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  Runner,
  RunState,
  tool,
  ToolCallError,
  type RunEvent,
  type RunInterruptedEvent,
} from '../../../src/index.js';
import { fakeModel, type FakeTurn } from '../../../src/testing/index.js';

const runner = new Runner();

/** A refund tool that needs approval, and a lookup that does not; each counts its runs. */
function tools() {
  const ran = { refund: [] as number[], lookup: 0 };
  const refund = tool({
    name: 'refund',
    description: 'Refunds an order.',
    parameters: z.object({ order: z.number() }),
    needsApproval: true,
    execute: ({ order }) => {
      ran.refund.push(order);
      return `refunded ${order}`;
    },
  });
  const lookup = tool({
    name: 'lookup',
    description: 'Looks an order up.',
    parameters: z.object({ order: z.number() }),
    execute: ({ order }) => {
      ran.lookup++;
      return { order, total: 40 };
    },
  });
  return { ran, refund, lookup };
}

const callBoth: FakeTurn = {
  toolCalls: [
    { callId: 'c_refund', name: 'refund', arguments: { order: 7 } },
    { callId: 'c_lookup', name: 'lookup', arguments: { order: 7 } },
  ],
};

function eventsOf<T>(events$: Observable<RunEvent<T>>): RunEvent<T>[] {
  let events: RunEvent<T>[] = [];
  events$.pipe(toArray()).subscribe((all) => (events = all));
  return events;
}

function agentWith(turns: readonly FakeTurn[]) {
  const { ran, refund, lookup } = tools();
  const model = fakeModel(turns);
  return { ran, model, agent: new Agent({ name: 'Support', model, tools: [refund, lookup] }) };
}

describe('a tool that needs approval, without approve', () => {
  it('emits tool-approval-requested, runs the other tools, and ends with run-interrupted and the state', () => {
    const { ran, agent } = agentWith([callBoth]);
    const events = eventsOf(runner.runStreamed(agent, 'Refund order 7'));
    const types = events.map((event) => event.type);
    expect(types).toEqual([
      'turn-started',
      'turn-completed',
      'tool-call',
      'tool-call',
      'tool-approval-requested',
      'tool-output',
      'run-interrupted',
    ]);
    expect(events[4]).toEqual({
      type: 'tool-approval-requested',
      agent: 'Support',
      turn: 1,
      callId: 'c_refund',
      name: 'refund',
      arguments: { order: 7 },
    });
    expect(events[5]).toMatchObject({ type: 'tool-output', callId: 'c_lookup', output: { order: 7, total: 40 } });
    const interrupted = events[6] as RunInterruptedEvent;
    expect(interrupted).toMatchObject({
      reason: 'approval',
      interruptions: [{ agent: 'Support', callId: 'c_refund', name: 'refund', arguments: { order: 7 } }],
    });
    expect(JSON.parse(JSON.stringify(interrupted.state))).toEqual(interrupted.state);
    expect(ran).toEqual({ refund: [], lookup: 1 });
  });

  it('run() resolves interrupted, and the approved state resumes without repeating a model call or a tool', async () => {
    const first = agentWith([callBoth]);
    const result = await runner.run(first.agent, 'Refund order 7');
    expect(result.status).toBe('interrupted');
    if (result.status !== 'interrupted') return;
    expect(result.finalOutput).toBeUndefined();
    expect(result.interruptions.map((request) => request.callId)).toEqual(['c_refund']);
    const stored = JSON.stringify(result.state);

    // Another "process": the agents defined again, the state read from its JSON.
    const second = agentWith(['Refunded.']);
    const state = RunState.fromJSON(second.agent, stored);
    expect(state.interruptions.map((request) => request.name)).toEqual(['refund']);
    state.approve('c_refund');
    expect(state.interruptions).toEqual([]);
    const events = eventsOf(runner.runStreamed(second.agent, state));
    expect(events.map((event) => event.type)).toEqual([
      'tool-call',
      'tool-output',
      'turn-started',
      'text-delta',
      'turn-completed',
      'final-output',
    ]);
    expect(second.ran).toEqual({ refund: [7], lookup: 0 });
    // One model call in the resumed run (the script has one turn), sent both outputs in call order.
    expect(second.model.requests).toHaveLength(1);
    expect(second.model.requests[0]!.input.slice(-2)).toEqual([
      { type: 'function_call_output', call_id: 'c_refund', output: 'refunded 7' },
      { type: 'function_call_output', call_id: 'c_lookup', output: '{"order":7,"total":40}' },
    ]);
    const final = events.at(-1)!;
    expect(final).toMatchObject({ type: 'final-output', output: 'Refunded.', turn: 2 });
  });

  it('a rejected call does not run: tool-output says rejected, and the model is told the message', async () => {
    const first = agentWith([callBoth]);
    const result = await runner.run(first.agent, 'Refund order 7');
    const second = agentWith(['I could not refund it.']);
    const state = RunState.fromJSON(second.agent, JSON.stringify(result.state));
    state.reject('c_refund', { message: 'A manager said no.' });
    const events = eventsOf(runner.runStreamed(second.agent, state));
    expect(events.find((event) => event.type === 'tool-output')).toEqual({
      type: 'tool-output',
      agent: 'Support',
      turn: 1,
      callId: 'c_refund',
      name: 'refund',
      output: 'A manager said no.',
      rejected: true,
    });
    expect(second.ran.refund).toEqual([]);
    expect(second.model.requests[0]!.input.at(-2)).toEqual({
      type: 'function_call_output',
      call_id: 'c_refund',
      output: 'A manager said no.',
    });
  });

  it('a rejection without a message tells the model it was rejected', async () => {
    const first = agentWith([callBoth]);
    const result = await runner.run(first.agent, 'Refund order 7');
    const second = agentWith(['OK.']);
    const state = RunState.fromJSON(second.agent, JSON.stringify(result.state)).reject('c_refund');
    await runner.run(second.agent, state);
    const sent = second.model.requests[0]!.input.at(-2) as { output: string };
    expect(sent.output).toMatch(/rejected/);
  });

  it('a state resumed undecided asks again and interrupts again; a spent state is refused', async () => {
    const first = agentWith([callBoth]);
    const result = await runner.run(first.agent, 'Refund order 7');
    if (result.status !== 'interrupted') throw new Error('expected an interruption');
    const again = await runner.run(first.agent, result.state);
    expect(again).toMatchObject({ status: 'interrupted', reason: 'approval' });
    expect(first.ran).toEqual({ refund: [], lookup: 1 });
    expect(() => runner.run(first.agent, result.state)).toThrow(/already ended/);
  });

  it('runSync() returns the interrupted result, and resumes from the state', () => {
    const first = agentWith([callBoth]);
    const result = runner.runSync(first.agent, 'Refund order 7');
    if (result.status !== 'interrupted') throw new Error('expected an interruption');
    const second = agentWith(['Done.']);
    const state = RunState.fromJSON(second.agent, JSON.stringify(result.state)).approve('c_refund');
    const resumed = runner.runSync(second.agent, state);
    expect(resumed).toMatchObject({ status: 'completed', finalOutput: 'Done.' });
    expect(second.ran.refund).toEqual([7]);
  });
});

describe('the approve option', () => {
  it('decides at once (a boolean): the approved call runs in the same run', async () => {
    const { ran, agent } = agentWith([callBoth, 'Refunded.']);
    const seen: unknown[] = [];
    const result = await runner.run(agent, 'Refund order 7', {
      approve: (request) => {
        seen.push(request);
        return true;
      },
    });
    expect(result).toMatchObject({ status: 'completed', finalOutput: 'Refunded.' });
    expect(seen).toEqual([{ agent: 'Support', callId: 'c_refund', name: 'refund', arguments: { order: 7 } }]);
    expect(ran.refund).toEqual([7]);
  });

  it('waits for an Observable; the turn’s other tools go on meanwhile', async () => {
    const { ran, agent } = agentWith([callBoth, 'Refunded.']);
    const decision = new Subject<boolean>();
    const events: RunEvent[] = [];
    const done = lastValueFrom(
      new Observable<RunEvent>((subscriber) =>
        runner.runStreamed(agent, 'Refund order 7', { approve: () => decision }).subscribe(subscriber),
      ).pipe(toArray()),
    ).then((all) => events.push(...all));
    await Promise.resolve();
    expect(ran).toEqual({ refund: [], lookup: 1 });
    decision.next(true);
    await done;
    expect(ran.refund).toEqual([7]);
    expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'Refunded.' });
  });

  it('takes a Promise, and a rejection with a message', async () => {
    const { ran, model, agent } = agentWith([callBoth, 'Not refunded.']);
    await runner.run(agent, 'Refund order 7', {
      approve: () => Promise.resolve({ approved: false, message: 'Over the limit.' }),
    });
    expect(ran.refund).toEqual([]);
    expect(model.requests[1]!.input.at(-2)).toEqual({
      type: 'function_call_output',
      call_id: 'c_refund',
      output: 'Over the limit.',
    });
  });

  it('unsubscribing while it waits cancels the run: the tool never runs, the decision is unsubscribed', () => {
    const { ran, agent } = agentWith([callBoth, 'Refunded.']);
    const decision = new Subject<boolean>();
    const subscription = runner.runStreamed(agent, 'Refund order 7', { approve: () => decision }).subscribe();
    expect(decision.observed).toBe(true);
    subscription.unsubscribe();
    expect(decision.observed).toBe(false);
    decision.next(true);
    expect(ran.refund).toEqual([]);
  });

  it('an answer that is not a decision fails the run, naming approve', async () => {
    const { agent } = agentWith([callBoth, 'Refunded.']);
    await expect(runner.run(agent, 'Refund order 7', { approve: () => 'yes' as never })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(() => runner.runStreamed(agent, 'x', { approve: 5 as never })).toThrow(/options\.approve/);
  });
});

describe('needsApproval as a function', () => {
  function payAgent(
    turns: readonly FakeTurn[],
    needsApproval: (args: { amount: number }) => boolean | Promise<boolean>,
  ) {
    const paid: number[] = [];
    const pay = tool({
      name: 'pay',
      description: 'Pays.',
      parameters: z.object({ amount: z.number() }),
      needsApproval,
      execute: ({ amount }) => void paid.push(amount),
    });
    return { paid, agent: new Agent({ name: 'Payer', model: fakeModel(turns), tools: [pay] }) };
  }
  const payTwice: FakeTurn = {
    toolCalls: [
      { callId: 'small', name: 'pay', arguments: { amount: 20 } },
      { callId: 'large', name: 'pay', arguments: { amount: 500 } },
    ],
  };

  it('asks only for the calls it says need it, given their validated arguments', async () => {
    const { paid, agent } = payAgent([payTwice], ({ amount }) => amount > 100);
    const result = await runner.run(agent, 'Pay both');
    expect(result.interruptions?.map((request) => request.callId)).toEqual(['large']);
    expect(paid).toEqual([20]);
  });

  it('may answer with a Promise', async () => {
    const { paid, agent } = payAgent([payTwice], ({ amount }) => Promise.resolve(amount > 100));
    const result = await runner.run(agent, 'Pay both');
    expect(result.interruptions?.map((request) => request.callId)).toEqual(['large']);
    expect(paid).toEqual([20]);
  });

  it('that throws fails the run with a ToolCallError: the guarded tool neither runs nor is skipped', async () => {
    const { paid, agent } = payAgent([payTwice], () => {
      throw new Error('policy service down');
    });
    const failure = runner.run(agent, 'Pay both');
    await expect(failure).rejects.toThrow(ToolCallError);
    await expect(failure).rejects.toThrow(/needsApproval threw: .*policy service down/);
    expect(paid).toEqual([]);
  });

  it('in runSync() a Promise is refused with an error that names run()', () => {
    const { agent } = payAgent([payTwice], () => Promise.resolve(true));
    expect(() => runner.runSync(agent, 'Pay both')).toThrow(/needsApproval of tool 'pay' returned a Promise.*run\(\)/);
  });

  it('tool() refuses a needsApproval that is neither a boolean nor a function', () => {
    expect(() =>
      tool({
        name: 't',
        description: 'd',
        parameters: z.object({}),
        needsApproval: 'yes' as never,
        execute: () => 1,
      }),
    ).toThrow(/needsApproval must be true, false or a function/);
  });
});

/** RunState.fromJSON reads stored state from outside, and says exactly what is wrong with it. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, InvalidArgumentError, Runner, RunState, tool, type RunStateData } from '../../../src/index.js';
import { fakeModel } from '../../../src/testing/index.js';

const refund = tool({
  name: 'refund',
  description: 'Refunds.',
  parameters: z.object({ order: z.number() }),
  needsApproval: true,
  execute: ({ order }) => `refunded ${order}`,
});
const billing = new Agent({ name: 'Billing', model: fakeModel([]), tools: [refund] });
const triage = new Agent({ name: 'Triage', model: fakeModel([]), handoffs: [billing] });

/** A real interrupted state: Triage hands off to Billing, whose refund waits for approval. */
async function storedState(): Promise<RunStateData> {
  const billingAgent = new Agent({
    name: 'Billing',
    model: fakeModel([{ toolCalls: [{ callId: 'c1', name: 'refund', arguments: { order: 3 } }] }]),
    tools: [refund],
  });
  const start = new Agent({
    name: 'Triage',
    model: fakeModel([{ toolCalls: [{ callId: 'h1', name: 'transfer_to_billing' }] }]),
    handoffs: [billingAgent],
  });
  const result = await new Runner().run(start, 'Refund order 3');
  if (result.status !== 'interrupted') throw new Error('expected an interruption');
  return JSON.parse(JSON.stringify(result.state)) as RunStateData;
}

function fails(json: unknown, field: string, message: RegExp): void {
  let error: unknown;
  try {
    RunState.fromJSON(triage, json);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect((error as InvalidArgumentError).argument).toBe(field);
  expect((error as Error).message).toMatch(message);
}

describe('RunState.fromJSON', () => {
  it('reads the text or the parsed data, finding the active agent through handoffs', async () => {
    const data = await storedState();
    expect(data.agent).toBe('Billing');
    for (const json of [data, JSON.stringify(data)]) {
      const state = RunState.fromJSON(triage, json);
      expect(state.currentAgent).toBe('Billing');
      expect(state.turn).toBe(2);
      expect(state.interruptions).toEqual([
        { agent: 'Billing', callId: 'c1', name: 'refund', arguments: { order: 3 } },
      ]);
      expect(state.toJSON()).toEqual(data);
    }
  });

  it('holds no functions and nothing of a client: the data survives JSON unchanged', async () => {
    const data = await storedState();
    const state = RunState.fromJSON(triage, data).approve('c1');
    expect(JSON.parse(JSON.stringify(state))).toEqual(state.toJSON());
    expect(state.toJSON().approvals).toEqual([{ callId: 'c1', approved: true }]);
  });

  it('refuses text that is not JSON, another version, a missing field, an unknown agent or tool', async () => {
    const data = await storedState();
    fails('{not json', 'json', /not valid JSON/);
    fails(42, 'json', /expected an object; got number 42/);
    fails({ ...data, version: 1 }, 'json.version', /version 2; got 1/);
    const { usage: _usage, ...noUsage } = data;
    fails(noUsage, 'json.usage', /the field is missing/);
    fails({ ...data, agent: 'Refunds' }, 'json.agent', /no agent named 'Refunds' is reachable/);
    fails({ ...data, turn: -1 }, 'json.turn', /whole number/);
    fails({ ...data, input: [{ role: 'user' }] }, 'json.input[0].type', /expected a string/);
    const next = data.next as Extract<RunStateData['next'], { type: 'run-tools' }>;
    const renamed = { ...next.calls[0]!, call: { ...next.calls[0]!.call, name: 'wire_money' } };
    fails(
      { ...data, next: { ...next, calls: [renamed] } },
      'json.next.calls[0].call.name',
      /no tool named 'wire_money'/,
    );
    fails({ ...data, approvals: [{ callId: 'c9', approved: true }] }, 'json.approvals[0].callId', /'c9' is not a call/);
  });

  it('refuses a finished run: there is nothing to resume', async () => {
    const data = await storedState();
    fails({ ...data, next: { type: 'final-output', output: 'Done' } }, 'json.next', /finished/);
  });

  it('approve and reject refuse an unknown call id, naming the calls that wait', async () => {
    const state = RunState.fromJSON(triage, await storedState());
    expect(() => state.approve('c2')).toThrow(/approve\("c2"\): no call with this id waits.*'c1' \(refund\)/);
    expect(() => state.reject('nope')).toThrow(InvalidArgumentError);
    expect(() => state.reject('c1', { message: 5 as never })).toThrow(/rejection message must be a string/);
  });

  it('a run given a state checks it against its own agents, as defined now', async () => {
    const data = await storedState();
    const state = RunState.fromJSON(triage, data);
    const withoutRefund = new Agent({
      name: 'Triage',
      model: fakeModel([]),
      handoffs: [new Agent({ name: 'Billing', model: fakeModel([]) })],
    });
    expect(() => new Runner().runStreamed(withoutRefund, state)).toThrow(/no tool named 'refund'/);
  });
});

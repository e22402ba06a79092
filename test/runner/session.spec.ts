/** A run's `session`: read before the first model call, added to after each completed turn. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  Runner,
  RunState,
  SessionError,
  SyncRunError,
  tool,
  userMessage,
  type InputItem,
  type Session,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';

const runner = new Runner();

/** A session over an array, recording each addItems call; `failOn` makes one method reject. */
function arraySession(failOn?: { method: 'getItems' | 'addItems'; call: number }) {
  const items: InputItem[] = [];
  const added: InputItem[][] = [];
  const calls = { getItems: 0, addItems: 0 };
  const session: Session = {
    getItems: async () => {
      if (failOn?.method === 'getItems' && ++calls.getItems === failOn.call) throw new Error('disk on fire');
      return items.slice();
    },
    addItems: async (batch) => {
      if (failOn?.method === 'addItems' && ++calls.addItems === failOn.call) throw new Error('disk on fire');
      added.push(batch.slice());
      items.push(...batch);
    },
    popItem: async () => items.pop(),
    clear: async () => void (items.length = 0),
  };
  return { session, items, added };
}

const answer = (text: string) => ({
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text, annotations: [] }],
});
const withoutIds = (items: readonly InputItem[]) =>
  items.map((item) => Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'id')));

describe('a run with a session', () => {
  it('remembers across two runs: the second is sent the first one’s conversation', async () => {
    const { session, items } = arraySession();
    const model = fakeModel(['Hello Ada.', 'Your name is Ada.']);
    const agent = new Agent({ name: 'Chat', model });
    await runner.run(agent, 'My name is Ada.', { session });
    const second = await runner.run(agent, 'What is my name?', { session });
    expect(withoutIds(model.requests[1]!.input)).toEqual([
      userMessage('My name is Ada.'),
      answer('Hello Ada.'),
      userMessage('What is my name?'),
    ]);
    expect(second.finalOutput).toBe('Your name is Ada.');
    // newItems are this run's; history is the whole conversation.
    expect(second.newItems).toHaveLength(1);
    expect(second.history).toHaveLength(4);
    expect(withoutIds(items)).toEqual(withoutIds(second.history));
  });

  it('adds each completed turn once: the input and the tool turn, then the answer', async () => {
    const { session, added } = arraySession();
    const lookup = tool({ name: 'lookup', description: '', parameters: z.object({}), execute: () => 'found' });
    const model = fakeModel([{ toolCalls: [{ callId: 'c1', name: 'lookup' }] }, 'Here it is.']);
    await runner.run(new Agent({ name: 'Chat', model, tools: [lookup] }), 'Find it', { session });
    expect(added.map((batch) => batch.map((item) => item.type))).toEqual([
      ['message', 'function_call', 'function_call_output'],
      ['message'],
    ]);
  });

  it('a store that fails to read fails the run with a SessionError before any model call', async () => {
    const { session } = arraySession({ method: 'getItems', call: 1 });
    const model = fakeModel(['never']);
    const failure = runner.run(new Agent({ name: 'Chat', model }), 'Hi', { session });
    await expect(failure).rejects.toThrow(SessionError);
    await expect(failure).rejects.toMatchObject({ operation: 'getItems', cause: new Error('disk on fire') });
    expect(model.requests).toHaveLength(0);
  });

  it('a store that fails mid-run keeps what was saved, and the error keeps what was produced', async () => {
    const { session, items } = arraySession({ method: 'addItems', call: 2 });
    const lookup = tool({ name: 'lookup', description: '', parameters: z.object({}), execute: () => 'found' });
    const model = fakeModel([{ toolCalls: [{ callId: 'c1', name: 'lookup' }] }, 'Here it is.']);
    const error = await runner.run(new Agent({ name: 'Chat', model, tools: [lookup] }), 'Find it', { session }).then(
      () => undefined,
      (caught: unknown) => caught as SessionError,
    );
    expect(SessionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'addItems' });
    expect(error?.partial?.newItems.map((item) => item.type)).toEqual([
      'function_call',
      'function_call_output',
      'message',
    ]);
    expect(error?.partial?.text).toBe('Here it is.');
    expect(items.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output']);
  });

  it('an interrupted turn is not saved half: it is saved when the resumed run completes it', async () => {
    const { session, added } = arraySession();
    const refund = tool({
      name: 'refund',
      description: '',
      parameters: z.object({}),
      needsApproval: true,
      execute: () => 'ok',
    });
    const agent = new Agent({
      name: 'Chat',
      model: fakeModel([{ toolCalls: [{ callId: 'c1', name: 'refund' }] }]),
      tools: [refund],
    });
    const result = await runner.run(agent, 'Refund', { session });
    expect(added).toEqual([]);
    const again = new Agent({ name: 'Chat', model: fakeModel(['Refunded.']), tools: [refund] });
    const state = RunState.fromJSON(again, JSON.stringify(result.state)).approve('c1');
    await runner.run(again, state, { session });
    expect(added.map((batch) => batch.map((item) => item.type))).toEqual([
      ['message', 'function_call', 'function_call_output'],
      ['message'],
    ]);
  });

  it('is checked where it is given, and refused by runSync()', () => {
    const agent = new Agent({ name: 'Chat', model: fakeModel(['Hi']) });
    expect(() => runner.run(agent, 'Hi', { session: { getItems: () => [] } as never })).toThrow(
      /missing: addItems, popItem, clear/,
    );
    expect(() => runner.run(agent, 'Hi', { session: 'db' as never })).toThrow(InvalidArgumentError);
    expect(() => runner.runSync(agent, 'Hi', { session: arraySession().session })).toThrow(SyncRunError);
  });
});

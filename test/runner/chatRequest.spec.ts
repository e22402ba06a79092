/** `chatRunInput`: a chat request's body, checked, as a run's input. */
import { describe, expect, it } from 'vitest';
import {
  Agent,
  chatRunInput,
  InvalidArgumentError,
  RunState,
  Runner,
  type RunInterruptedEvent,
} from '../../src/index.js';
import { lastValueFrom, filter } from 'rxjs';
import { fakeModel } from '../../src/testing/index.js';
import { travelTools } from '../angular/chatHelpers.js';

const agent = new Agent({ name: 'Travel agent', model: fakeModel([]), tools: travelTools().tools });

describe('chatRunInput', () => {
  it('gives the conversation of { input }', () => {
    const input = [{ type: 'message', role: 'user', content: 'Hi' }] as const;
    expect(chatRunInput(agent, { input })).toBe(input);
  });

  it.each([
    [null, 'request'],
    [[], 'request'],
    [{}, 'request.input'],
    [{ input: 'Hi' }, 'request.input'],
    [{ input: [], state: {} }, 'request'],
    [{ state: {} }, 'request.decisions'],
  ])('refuses %j, naming %s', (body, argument) => {
    expect(() => chatRunInput(agent, body)).toThrow(InvalidArgumentError);
    try {
      chatRunInput(agent, body);
    } catch (error) {
      expect((error as InvalidArgumentError).message).toContain(argument);
    }
  });

  it('gives the state of { state, decisions } with the decisions applied', async () => {
    const model = fakeModel([{ toolCalls: [{ callId: 'c1', name: 'book_trip', arguments: { city: 'Rome' } }] }]);
    const booking = new Agent({ name: 'Travel agent', model, tools: travelTools().tools });
    const interrupted = await lastValueFrom(
      new Runner()
        .runStreamed(booking, 'Book Rome')
        .pipe(filter((event): event is RunInterruptedEvent => event.type === 'run-interrupted')),
    );
    const state = chatRunInput(booking, { state: interrupted.state, decisions: [{ callId: 'c1', approved: false }] });
    expect(RunState.isRunState(state)).toBe(true);
    expect((state as RunState).interruptions).toEqual([]);
    expect(() => chatRunInput(booking, { state: interrupted.state, decisions: [{ callId: 'c1' }] })).toThrow(
      /request\.decisions\[0\]/,
    );
  });
});

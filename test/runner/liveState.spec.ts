/** A run's state is plain data: what it holds after steps, and its round trip through JSON. */
import { describe, expect, it } from 'vitest';
import { LiveState } from '../../src/runner/liveState.js';
import { userMessage } from '../../src/index.js';

describe('LiveState', () => {
  it('starts at a model call, with the input as its history', () => {
    const state = LiveState.start('Triage', [userMessage('Hi')]);
    expect(state.toJSON()).toEqual({
      version: 2,
      agent: 'Triage',
      turn: 0,
      input: [userMessage('Hi')],
      newItems: [],
      usage: { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      rawResponses: [],
      toolUse: [],
      next: { type: 'call-model' },
      toolOutputs: [],
      pendingApprovals: [],
      approvals: [],
      sessionItems: 0,
    });
  });

  it('round-trips through JSON.stringify and JSON.parse, mid-run', () => {
    const state = LiveState.start('Triage', [userMessage('Book a trip')]);
    state.turn = 1;
    const call = { type: 'function_call', call_id: 'c1', name: 'transfer_to_booking', arguments: '{}' } as const;
    const usage = { requests: 1, inputTokens: 20, outputTokens: 3, totalTokens: 23 };
    state.recordResponse({ id: 'resp_1', output: [call], usage });
    state.toolUse.add('Triage');
    state.next = { type: 'run-tools', calls: [{ kind: 'handoff', call, target: 'Booking', carriedOut: true }] };

    const json = JSON.parse(JSON.stringify(state)) as ReturnType<LiveState['toJSON']>;
    expect(json).toEqual(state.toJSON());
    const restored = new LiveState(json);
    expect(restored.toJSON()).toEqual(state.toJSON());
    expect(restored.history).toEqual([userMessage('Book a trip'), call]);
    expect(restored.usage).toEqual(usage);
  });

  it('records the usage a failed call reported, and keeps it in partial', () => {
    const state = LiveState.start('A', [userMessage('Hi')]);
    state.recordFailedCall({ usage: { requests: 1, inputTokens: 5, outputTokens: 50, totalTokens: 55 } });
    state.recordFailedCall(new Error('no usage here'));
    state.text.append('Hel');
    expect(state.partial()).toEqual({
      text: 'Hel',
      newItems: [],
      usage: { requests: 1, inputTokens: 5, outputTokens: 50, totalTokens: 55 },
    });
  });
});

/** The chat's pure state: events of a run as messages, without Angular. */
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  endWithoutAnswer,
  initialChatState,
  startTurn,
  type ChatState,
} from '../../src/angular/chatState.js';
import type { RunEvent } from '../../src/index.js';

const base = { agent: 'Travel agent', turn: 1 } as const;
const delta = (text: string, extra: Partial<RunEvent> = {}): RunEvent =>
  ({ ...base, type: 'text-delta', delta: text, ...extra }) as RunEvent;
const apply = (state: ChatState, ...events: RunEvent[]): ChatState => events.reduce(applyEvent, state);

describe('the chat state', () => {
  const started = startTurn(initialChatState, 'Where?', [], 0);

  it('drops the text of an attempt the model starts over (turn-restarted)', () => {
    const state = apply(
      started,
      delta('Lisb'),
      { ...base, type: 'turn-restarted', reason: { name: 'ModelProviderError', message: 'dropped' }, attempt: 1 },
      delta('Rome'),
    );
    expect(state.messages).toEqual([
      { id: 'm0', role: 'user', text: 'Where?' },
      { id: 'm1', role: 'assistant', agent: 'Travel agent', turn: 1, text: 'Rome' },
    ]);
  });

  it('leaves out the events of a nested run (an agent called as a tool)', () => {
    const state = apply(started, delta('inner', { parentCallId: 'c1' }), delta('outer'));
    expect(state.messages.map((message) => ('text' in message ? message.text : ''))).toEqual(['Where?', 'outer']);
  });

  it('starts a new assistant message for each turn', () => {
    const state = apply(started, delta('One.'), delta('Two.', { turn: 2 }));
    expect(state.messages.map((message) => message.id)).toEqual(['m0', 'm1', 'm2']);
  });

  it('keeps the user message in the history when the run ends without an answer, not the partial text', () => {
    const state = endWithoutAnswer(apply(started, delta('Lis')), 'idle');
    expect(state.history).toEqual([{ type: 'message', role: 'user', content: 'Where?' }]);
    expect(state.status).toBe('idle');
  });
});

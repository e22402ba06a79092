/**
 * The chat as a value, and the pure functions that move it: a user message starts a turn, each
 * run event updates the messages, the run's end commits the history. `injectAgentChat` holds one
 * of these in a signal; nothing here knows of Angular.
 */
import type { RunEvent } from '../events.js';
import type { InputItem } from '../items.js';
import type { ApprovalDecisionData, RunStateData } from '../runner/runStateData.js';
import type { ChatMessage, ChatStatus, ChatToolMessage } from './chatTypes.js';

/** The user message a turn started with, and what to go back to when it is run again. */
export interface ChatTurn {
  readonly text: string;
  /** The history before this message. */
  readonly historyBefore: readonly InputItem[];
  /** The index of this user message in `messages`. */
  readonly index: number;
}

/** A run stopped for approvals: its state, and the decisions given so far. */
export interface ChatInterruption {
  readonly state: RunStateData;
  readonly pending: readonly string[];
  readonly decisions: readonly ApprovalDecisionData[];
}

export interface ChatState {
  readonly messages: readonly ChatMessage[];
  readonly status: ChatStatus;
  /** The conversation the next message is added to (what the model has seen). */
  readonly history: readonly InputItem[];
  readonly lastTurn: ChatTurn | undefined;
  /** Where the current run's messages begin. */
  readonly runStart: number;
  readonly interruption: ChatInterruption | undefined;
}

export const initialChatState: ChatState = {
  messages: [],
  status: 'idle',
  history: [],
  lastTurn: undefined,
  runStart: 0,
  interruption: undefined,
};

/** The user's message, as the Responses API's input item. */
export function userItem(text: string): InputItem {
  return { type: 'message', role: 'user', content: text };
}

/** Messages renumbered by position, so ids stay deterministic whatever was removed. */
function numbered(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  return messages.map((message, index) => (message.id === `m${index}` ? message : { ...message, id: `m${index}` }));
}

/** A new turn: `text` after the messages up to `keep` (all of them, or up to a turn run again). */
export function startTurn(
  state: ChatState,
  text: string,
  historyBefore: readonly InputItem[],
  keep: number,
): ChatState {
  const messages = [...state.messages.slice(0, keep), { id: `m${keep}`, role: 'user' as const, text }];
  return {
    ...state,
    messages,
    status: 'streaming',
    history: historyBefore,
    lastTurn: { text, historyBefore, index: keep },
    runStart: messages.length,
    interruption: undefined,
  };
}

/** The status while a run goes on: tools running, or the model streaming. */
function runningStatus(messages: readonly ChatMessage[], runStart: number): ChatStatus {
  const running = messages.slice(runStart).some((message) => message.role === 'tool' && message.status === 'running');
  return running ? 'running-tools' : 'streaming';
}

function updateTool(
  messages: readonly ChatMessage[],
  callId: string,
  update: (message: ChatToolMessage) => ChatToolMessage,
): readonly ChatMessage[] {
  return messages.map((message) => (message.role === 'tool' && message.callId === callId ? update(message) : message));
}

/** The messages after `event`; events of nested runs (an agent called as a tool) are left out. */
function messagesAfter(state: ChatState, event: RunEvent<unknown>): readonly ChatMessage[] {
  const { messages } = state;
  if (event.parentCallId !== undefined) return messages;
  switch (event.type) {
    case 'text-delta': {
      const last = messages.at(-1);
      if (last?.role === 'assistant' && last.turn === event.turn) {
        return [...messages.slice(0, -1), { ...last, text: last.text + event.delta }];
      }
      const id = `m${messages.length}`;
      return [...messages, { id, role: 'assistant', agent: event.agent, turn: event.turn, text: event.delta }];
    }
    case 'turn-restarted':
      // The attempt's text no longer counts: the model starts the turn over.
      return numbered(
        messages.filter(
          (message, index) => index < state.runStart || message.role !== 'assistant' || message.turn !== event.turn,
        ),
      );
    case 'tool-call': {
      if (messages.some((message) => message.role === 'tool' && message.callId === event.callId)) return messages;
      const { agent, turn, callId, name } = event;
      const id = `m${messages.length}`;
      return [
        ...messages,
        { id, role: 'tool', agent, turn, callId, name, arguments: event.arguments, status: 'running' },
      ];
    }
    case 'tool-approval-requested':
      return updateTool(messages, event.callId, (message) => ({ ...message, status: 'awaiting-approval' }));
    case 'tool-output':
      return updateTool(messages, event.callId, (message) => ({
        ...message,
        status: event.rejected ? 'rejected' : event.error ? 'error' : 'done',
        output: event.output,
        ...(event.error === undefined ? {} : { error: event.error }),
      }));
    case 'final-output': {
      let index = messages.length - 1;
      while (index >= state.runStart && messages[index]?.role !== 'assistant') index--;
      if (index < state.runStart) return messages;
      return messages.map((message, i) => (i === index ? { ...message, output: event.output } : message));
    }
    default:
      return messages;
  }
}

/** The chat after one event of its run. */
export function applyEvent(state: ChatState, event: RunEvent<unknown>): ChatState {
  const messages = messagesAfter(state, event);
  if (event.type === 'final-output' && event.parentCallId === undefined) {
    return { ...state, messages, status: 'idle', history: event.history };
  }
  if (event.type === 'run-interrupted' && event.parentCallId === undefined) {
    const history = [...event.state.input, ...event.state.newItems];
    if (event.reason !== 'approval') return { ...state, messages, status: 'idle', history };
    const pending = event.interruptions.map((request) => request.callId);
    return {
      ...state,
      messages,
      status: 'awaiting-approval',
      interruption: { state: event.state, pending, decisions: [] },
    };
  }
  return { ...state, messages, status: runningStatus(messages, state.runStart) };
}

/**
 * The chat after its run ended without an answer (stopped, or failed): the user's message stays
 * in the history, what the run had streamed does not (the model never finished it).
 */
export function endWithoutAnswer(state: ChatState, status: 'idle' | 'error'): ChatState {
  const turn = state.lastTurn;
  if (turn === undefined || state.status === 'idle' || state.status === 'error') return { ...state, status };
  const history = [...turn.historyBefore, userItem(turn.text)];
  const messages = state.messages.map((message, index) =>
    index >= turn.index &&
    message.role === 'tool' &&
    (message.status === 'running' || message.status === 'awaiting-approval')
      ? { ...message, status: 'error' as const }
      : message,
  );
  return { ...state, messages, status, history, interruption: undefined };
}

/** The chat after a decision on a waiting call; `ready` once every waiting call is decided. */
export function decide(state: ChatState, decision: ApprovalDecisionData): { state: ChatState; ready: boolean } {
  const interruption = state.interruption;
  if (interruption === undefined || !interruption.pending.includes(decision.callId)) return { state, ready: false };
  const decisions = [...interruption.decisions.filter((d) => d.callId !== decision.callId), decision];
  const messages = updateTool(state.messages, decision.callId, (message) => ({
    ...message,
    status: decision.approved ? 'running' : message.status,
  }));
  const ready = interruption.pending.every((callId) => decisions.some((d) => d.callId === callId));
  return { state: { ...state, messages, interruption: { ...interruption, decisions } }, ready };
}

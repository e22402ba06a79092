import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toAgUiEvents, type ToAgUiEventsOptions } from '../../operators/toAgUiEvents.js';
import { InvalidArgumentError, ModelProviderError } from '../../src/errors.js';
import type { AgUiEvent, RunEvent, RunStateData } from '../../src/index.js';
import { expectValidAgUiEvents, expectValidAgUiRun } from '../helpers/agUiSchemas.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

const agent = 'Guide';
const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const ids = { threadId: 'thread_1', runId: 'run_1' };
const started: AgUiEvent = { type: 'RUN_STARTED', ...ids };

const run = {
  s: { type: 'turn-started', agent, turn: 1 },
  d: { type: 'text-delta', agent, turn: 1, delta: 'Hello' },
  c: { type: 'turn-completed', agent, turn: 1, responseId: 'resp_1', usage },
  f: { type: 'final-output', agent, turn: 1, output: 'Hello', usage, ...noRunItems },
} satisfies Record<string, RunEvent>;
const agUi = {
  R: started,
  A: { type: 'STEP_STARTED', stepName: 'turn 1' },
  B: { type: 'TEXT_MESSAGE_START', messageId: 'run_1:1', role: 'assistant' },
  C: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'run_1:1', delta: 'Hello' },
  E: { type: 'TEXT_MESSAGE_END', messageId: 'run_1:1' },
  X: { type: 'STEP_FINISHED', stepName: 'turn 1' },
  F: {
    type: 'RUN_FINISHED',
    ...ids,
    result: 'Hello',
    outcome: { type: 'success' },
    usage: [{ inputTokens: 10, outputTokens: 5, totalTokens: 15 }],
  },
  Z: { type: 'RUN_ERROR', message: 'The run failed (ModelProviderError).', code: 'ModelProviderError' },
} satisfies Record<string, AgUiEvent>;

/** All the AG-UI events of a run given as a list, checked by AG-UI's schemas and the client's verifier. */
async function translate(events: readonly RunEvent<unknown>[], options: ToAgUiEventsOptions = ids) {
  const out = await lastValueFrom(from<readonly RunEvent<unknown>[]>(events).pipe(toAgUiEvents(options), toArray()));
  await expectValidAgUiRun(out);
  return out;
}

describe('toAgUiEvents', () => {
  it(
    'starts the run on subscription, a step per turn, the text as one message, and finishes with the output',
    marbles((m) => {
      const source = m.cold('-s----d----c----(f|)', run);
      const subs = '         ^---------------!';
      const expected = '     RA----(BC)-E----(XF|)';
      m.expect(source.pipe(toAgUiEvents(ids))).toBeObservable(expected, agUi);
      m.expect(source).toHaveSubscriptions(subs);
      expectValidAgUiEvents(Object.values(agUi));
    }),
  );

  it(
    'sends nothing after an early unsubscribe, and unsubscribes the run',
    marbles((m) => {
      const source = m.cold('-s----d----c----(f|)', run);
      const subs = '         ^-------!';
      const expected = '     RA----(BC)';
      m.expect(source.pipe(toAgUiEvents(ids)), '^-------!').toBeObservable(expected, agUi);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'turns an error into the open message and step closed and RUN_ERROR, with a generic message, then completes',
    marbles((m) => {
      const error = new ModelProviderError({ message: 'Incorrect API key provided: sk-secret', status: 401 });
      const source = m.cold('-s----d----#', run, error);
      const expected = '     RA----(BC)-(EXZ|)';
      m.expect(source.pipe(toAgUiEvents(ids))).toBeObservable(expected, agUi);
    }),
  );

  it(
    'says what errorMessage makes of an error',
    marbles((m) => {
      const source = m.cold('#', {}, new Error('tool down'));
      m.expect(source.pipe(toAgUiEvents({ ...ids, errorMessage: (e) => (e as Error).message }))).toBeObservable(
        '(RZ|)',
        { R: started, Z: { type: 'RUN_ERROR', message: 'tool down', code: 'Error' } },
      );
    }),
  );

  it('sends tool calls in the turn’s message, their results, and a step per turn', async () => {
    const out = await translate([
      run.s,
      { type: 'raw', agent, turn: 1, source: 'openai-responses', data: { type: 'response.created' } },
      { type: 'text-delta', agent, turn: 1, delta: 'Let me look.' },
      run.c,
      { type: 'tool-call', agent, turn: 1, callId: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } },
      { type: 'tool-call', agent, turn: 1, callId: 'call_2', name: 'get_weather', arguments: '{"city":' },
      { type: 'tool-output', agent, turn: 1, callId: 'call_1', name: 'get_weather', output: { celsius: 3 } },
      {
        type: 'tool-output',
        agent,
        turn: 1,
        callId: 'call_2',
        name: 'get_weather',
        output: undefined,
        error: { name: 'ToolCallError', message: 'invalid JSON' },
      },
      { type: 'turn-started', agent, turn: 2 },
      { type: 'turn-completed', agent, turn: 2, usage },
      { type: 'final-output', agent, turn: 2, output: { city: 'Oslo' }, usage, ...noRunItems },
    ]);
    expect(out).toEqual([
      started,
      { type: 'STEP_STARTED', stepName: 'turn 1' },
      { type: 'TEXT_MESSAGE_START', messageId: 'run_1:1', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'run_1:1', delta: 'Let me look.' },
      { type: 'TEXT_MESSAGE_END', messageId: 'run_1:1' },
      { type: 'TOOL_CALL_START', toolCallId: 'call_1', toolCallName: 'get_weather', parentMessageId: 'run_1:1' },
      { type: 'TOOL_CALL_ARGS', toolCallId: 'call_1', delta: '{"city":"Oslo"}' },
      { type: 'TOOL_CALL_END', toolCallId: 'call_1' },
      { type: 'TOOL_CALL_START', toolCallId: 'call_2', toolCallName: 'get_weather', parentMessageId: 'run_1:1' },
      { type: 'TOOL_CALL_ARGS', toolCallId: 'call_2', delta: '{"city":' },
      { type: 'TOOL_CALL_END', toolCallId: 'call_2' },
      {
        type: 'TOOL_CALL_RESULT',
        messageId: 'run_1:result:call_1',
        toolCallId: 'call_1',
        content: '{"celsius":3}',
        role: 'tool',
      },
      {
        type: 'TOOL_CALL_RESULT',
        messageId: 'run_1:result:call_2',
        toolCallId: 'call_2',
        content: 'Error: invalid JSON',
        role: 'tool',
      },
      { type: 'STEP_FINISHED', stepName: 'turn 1' },
      { type: 'STEP_STARTED', stepName: 'turn 2' },
      { type: 'STEP_FINISHED', stepName: 'turn 2' },
      { ...agUi.F, result: { city: 'Oslo' } },
    ]);
  });

  const state = { version: 1 } as unknown as RunStateData;
  const interrupted = (names: readonly string[]): RunEvent<unknown>[] => [
    run.s,
    run.c,
    ...names.map((name, index): RunEvent => ({
      type: 'tool-call',
      agent,
      turn: 1,
      callId: `call_${index}`,
      name,
      arguments: {},
    })),
    ...names.map((name, index): RunEvent => ({
      type: 'tool-approval-requested',
      agent,
      turn: 1,
      callId: `call_${index}`,
      name,
      arguments: {},
    })),
    {
      type: 'run-interrupted',
      agent,
      turn: 1,
      reason: 'approval',
      interruptions: names.map((name, index) => ({ agent, callId: `call_${index}`, name, arguments: {} })),
      state,
      usage,
    },
  ];

  it('finishes a run that waits for approval with the interrupt outcome, one interrupt per call', async () => {
    const out = await translate(interrupted(['refund']));
    expect(out.at(-1)).toEqual({
      type: 'RUN_FINISHED',
      ...ids,
      outcome: {
        type: 'interrupt',
        interrupts: [
          {
            id: 'call_0',
            reason: 'tool_approval',
            message: "The call of the tool 'refund' waits for approval.",
            toolCallId: 'call_0',
            metadata: { toolName: 'refund', arguments: {} },
          },
        ],
      },
      usage: agUi.F.usage,
    });
    expect(JSON.stringify(out)).not.toContain('"version"');
  });

  it('finishes a run that waits only on front-end tools with success and their pending call ids', async () => {
    const out = await translate(interrupted(['confirm', 'show_map']), {
      ...ids,
      clientTools: ['confirm', { name: 'show_map' }],
    });
    expect(out.at(-1)).toMatchObject({ outcome: { type: 'success', pendingToolCallIds: ['call_0', 'call_1'] } });
    const mixed = await translate(interrupted(['confirm', 'refund']), { ...ids, clientTools: ['confirm'] });
    expect(mixed.at(-1)).toMatchObject({ outcome: { type: 'interrupt', interrupts: [{ id: 'call_1' }] } });
  });

  it('finishes a stopped run, and a source that completes without an end, as cancelled', async () => {
    const stopped = await translate([
      run.s,
      run.c,
      { type: 'run-interrupted', agent, turn: 1, reason: 'stopped', interruptions: [], state, usage },
    ]);
    expect(stopped.at(-1)).toEqual({
      type: 'RUN_FINISHED',
      ...ids,
      outcome: { type: 'cancelled' },
      usage: agUi.F.usage,
    });
    const cut = await translate([run.s, run.d]);
    expect(cut.slice(-3)).toEqual([agUi.E, agUi.X, { type: 'RUN_FINISHED', ...ids, outcome: { type: 'cancelled' } }]);
  });

  it('ends a restarted turn’s message, names it in a CUSTOM event, and streams the retry as a new message', async () => {
    const out = await translate([
      run.s,
      { type: 'text-delta', agent, turn: 1, delta: 'Hel' },
      { type: 'turn-restarted', agent, turn: 1, attempt: 2, reason: { name: 'ModelProviderError', message: 'reset' } },
      { type: 'text-delta', agent, turn: 1, delta: 'Hello' },
      { type: 'tool-call', agent, turn: 1, callId: 'call_1', name: 'get_weather', arguments: {} },
    ]);
    expect(out.slice(1, 9)).toEqual([
      agUi.A,
      { type: 'TEXT_MESSAGE_START', messageId: 'run_1:1', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'run_1:1', delta: 'Hel' },
      { type: 'TEXT_MESSAGE_END', messageId: 'run_1:1' },
      { type: 'CUSTOM', name: 'rxjs-agents.turn-restarted', value: { messageId: 'run_1:1', attempt: 2 } },
      { type: 'TEXT_MESSAGE_START', messageId: 'run_1:1:2', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'run_1:1:2', delta: 'Hello' },
      { type: 'TEXT_MESSAGE_END', messageId: 'run_1:1:2' },
    ]);
    expect(out[9]).toMatchObject({ type: 'TOOL_CALL_START', parentMessageId: 'run_1:1:2' });
  });

  it('leaves out guardrails, and tells a handoff in a CUSTOM event', async () => {
    const out = await translate(
      [
        run.s,
        { type: 'guardrail', agent, turn: 1, name: 'pii', kind: 'input', tripwireTriggered: false, outputInfo: 'x' },
        { type: 'agent-updated', agent: 'Booking', turn: 1, from: agent, callId: 'call_h' },
        run.f,
      ],
      { ...ids, messageId: 'm7' },
    );
    expect(out).toEqual([
      started,
      agUi.A,
      { type: 'CUSTOM', name: 'rxjs-agents.agent-updated', value: { from: agent, agent: 'Booking' } },
      agUi.X,
      agUi.F,
    ]);
  });

  it('sends an agent called as a tool as a subagent: its events tagged, between SUBAGENT_STARTED and its end', async () => {
    const nested = { agent: 'Expert', parentCallId: 'call_x' };
    const sub = 'run_1:call_x:agent';
    const out = await translate([
      run.s,
      run.c,
      { type: 'tool-call', agent, turn: 1, callId: 'call_x', name: 'ask_expert', arguments: { q: 'Oslo?' } },
      { type: 'tool-call', agent, turn: 1, callId: 'call_y', name: 'ask_expert', arguments: { q: 'Bergen?' } },
      { type: 'turn-started', turn: 1, ...nested },
      { type: 'text-delta', turn: 1, delta: 'Cold.', ...nested },
      { type: 'turn-started', turn: 1, agent: 'Expert', parentCallId: 'call_y' },
      { type: 'turn-completed', turn: 1, usage, ...nested },
      { type: 'tool-output', agent, turn: 1, callId: 'call_x', name: 'ask_expert', output: 'Cold.' },
      {
        type: 'tool-output',
        agent,
        turn: 1,
        callId: 'call_y',
        name: 'ask_expert',
        output: undefined,
        error: { name: 'ModelProviderError', message: 'down' },
      },
      run.f,
    ]);
    expect(out.slice(8)).toEqual([
      {
        type: 'SUBAGENT_STARTED',
        subagentRunId: sub,
        name: 'Expert',
        parentToolCallId: 'call_x',
        parentMessageId: 'run_1:1',
      },
      { type: 'STEP_STARTED', stepName: 'turn 1', subagentRunId: sub },
      { type: 'TEXT_MESSAGE_START', messageId: 'run_1:call_x:1', role: 'assistant', subagentRunId: sub },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'run_1:call_x:1', delta: 'Cold.', subagentRunId: sub },
      {
        type: 'SUBAGENT_STARTED',
        subagentRunId: 'run_1:call_y:agent',
        name: 'Expert',
        parentToolCallId: 'call_y',
        parentMessageId: 'run_1:1',
      },
      { type: 'STEP_STARTED', stepName: 'turn 1', subagentRunId: 'run_1:call_y:agent' },
      { type: 'TEXT_MESSAGE_END', messageId: 'run_1:call_x:1', subagentRunId: sub },
      { type: 'STEP_FINISHED', stepName: 'turn 1', subagentRunId: sub },
      { type: 'SUBAGENT_FINISHED', subagentRunId: sub },
      {
        type: 'TOOL_CALL_RESULT',
        messageId: 'run_1:result:call_x',
        toolCallId: 'call_x',
        content: 'Cold.',
        role: 'tool',
      },
      { type: 'STEP_FINISHED', stepName: 'turn 1', subagentRunId: 'run_1:call_y:agent' },
      {
        type: 'SUBAGENT_ERROR',
        subagentRunId: 'run_1:call_y:agent',
        message: 'The agent failed (ModelProviderError).',
        code: 'ModelProviderError',
      },
      {
        type: 'TOOL_CALL_RESULT',
        messageId: 'run_1:result:call_y',
        toolCallId: 'call_y',
        content: 'Error: down',
        role: 'tool',
      },
      agUi.X,
      { ...agUi.F, result: 'Hello' },
    ]);
  });

  it('sends the structured answer as it streams, with partialOutput', async () => {
    const deltas = ['{"city":"Os', 'lo","days":', '3}'];
    const events: RunEvent<unknown>[] = [
      run.s,
      ...deltas.map((delta): RunEvent => ({ type: 'text-delta', agent, turn: 1, delta })),
      run.c,
      { type: 'final-output', agent, turn: 1, output: { city: 'Oslo', days: 3 }, usage, ...noRunItems },
    ];
    const partials = (await translate(events, { ...ids, partialOutput: true })).filter(
      (event) => event.type === 'CUSTOM',
    );
    expect(partials).toEqual(
      [{ city: 'Os' }, { city: 'Oslo' }, { city: 'Oslo', days: 3 }].map((output) => ({
        type: 'CUSTOM',
        name: 'rxjs-agents.partial-output',
        value: { messageId: 'run_1:1', output },
      })),
    );
    expect((await translate(events)).some((event) => event.type === 'CUSTOM')).toBe(false);
  });

  it('gives deterministic events: two subscriptions, deep-equal events', async () => {
    const events = from([run.s, run.d, run.c, run.f] as RunEvent[]).pipe(toAgUiEvents(ids), toArray());
    expect(await lastValueFrom(events)).toEqual(await lastValueFrom(events));
  });

  it('checks its options where it is called', () => {
    expect(() => toAgUiEvents({ runId: 'r' } as unknown as ToAgUiEventsOptions)).toThrow(
      expect.objectContaining({ argument: 'options.threadId' }),
    );
    expect(() => toAgUiEvents({ ...ids, messageId: '' })).toThrow(InvalidArgumentError);
    expect(() => toAgUiEvents({ ...ids, clientTools: [3] as never })).toThrow(
      expect.objectContaining({ argument: 'options.clientTools[0]' }),
    );
    expect(() => toAgUiEvents({ ...ids, partialOutput: 'yes' as never })).toThrow(
      expect.objectContaining({ argument: 'options.partialOutput' }),
    );
    expect(() => toAgUiEvents({ ...ids, errorMessage: 'x' as never })).toThrow(
      expect.objectContaining({ argument: 'options.errorMessage' }),
    );
  });
});

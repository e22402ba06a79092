import { uiMessageChunkSchema } from 'ai';
import { lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toUIMessageStream } from '../../operators/index.js';
import { InvalidArgumentError, ModelProviderError, RunAbortedError } from '../../src/errors.js';
import type { RunEvent } from '../../src/events.js';
import type { UIMessageChunk } from '../../src/index.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

const agent = 'Travel agent';
const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const at = { agent, turn: 1 };
const at2 = { agent, turn: 2 };

const e = {
  t: { type: 'turn-started', ...at },
  a: { type: 'text-delta', ...at, delta: 'Let me ' },
  b: { type: 'text-delta', ...at, delta: 'check.' },
  k: { type: 'turn-completed', ...at, usage },
  c: { type: 'tool-call', ...at, callId: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } },
  o: { type: 'tool-output', ...at, callId: 'call_1', name: 'get_weather', output: { celsius: 21 } },
  T: { type: 'turn-started', ...at2 },
  d: { type: 'text-delta', ...at2, delta: 'Sunny.' },
  K: { type: 'turn-completed', ...at2, usage },
  f: { type: 'final-output', ...at2, output: 'Sunny.', usage, ...noRunItems },
} satisfies Record<string, RunEvent<unknown>>;

const c = {
  s: { type: 'start' },
  S: { type: 'start-step' },
  x: { type: 'text-start', id: 'text-1-1' },
  a: { type: 'text-delta', id: 'text-1-1', delta: 'Let me ' },
  b: { type: 'text-delta', id: 'text-1-1', delta: 'check.' },
  z: { type: 'text-end', id: 'text-1-1' },
  I: { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'get_weather' },
  A: { type: 'tool-input-available', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Lisbon' } },
  O: { type: 'tool-output-available', toolCallId: 'call_1', output: { celsius: 21 } },
  E: { type: 'finish-step' },
  X: { type: 'text-start', id: 'text-2-2' },
  d: { type: 'text-delta', id: 'text-2-2', delta: 'Sunny.' },
  Z: { type: 'text-end', id: 'text-2-2' },
  F: { type: 'finish', finishReason: 'stop' },
} satisfies Record<string, UIMessageChunk>;

/** Every chunk, checked against the AI SDK's own schema of the protocol. */
async function expectValid(chunks: readonly UIMessageChunk[]): Promise<void> {
  const schema = uiMessageChunkSchema();
  for (const chunk of chunks) {
    const result = await schema.validate!(chunk);
    expect(result, JSON.stringify(chunk)).toMatchObject({ success: true });
  }
}

function chunksOf(events: readonly RunEvent<unknown>[], options = {}): Promise<UIMessageChunk[]> {
  return lastValueFrom(of(...events).pipe(toUIMessageStream(options), toArray()));
}

describe('toUIMessageStream', () => {
  it(
    'makes a message of steps: text parts, a tool part from input to output, finish',
    marbles((m) => {
      const source = m.cold('  -t----a----b----k----c----o----T----d----K----f----|', e);
      const subs = '           ^---------------------------------------------!';
      const expected = '       sS----(xa)-b----z----(IA)-O----(ES)-(Xd)-Z----(EF|)';
      m.expect(source.pipe(toUIMessageStream())).toBeObservable(expected, c);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('sends chunks the AI SDK schema accepts, ids unique per part', async () => {
    // The schema does refuse what is not a chunk: the checks below can fail.
    expect(await uiMessageChunkSchema().validate!({ type: 'text-delta', id: 'x' })).toMatchObject({ success: false });
    const chunks = await chunksOf(Object.values(e));
    expect(chunks).toEqual([c.s, c.S, c.x, c.a, c.b, c.z, c.I, c.A, c.O, c.E, c.S, c.X, c.d, c.Z, c.E, c.F]);
    await expectValid(chunks);
  });

  it(
    'stops reading the run when unsubscribed early, and sends nothing after',
    marbles((m) => {
      const source = m.cold('  -t----a----b----k--|', e);
      const subs = '           ^--------!';
      const unsub = '          ---------!';
      m.expect(source.pipe(toUIMessageStream()), unsub).toBeObservable('sS----(xa)', c);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'ends an errored run with the generic error chunk and completes',
    marbles((m) => {
      const error = new ModelProviderError({
        message: 'connect ECONNREFUSED http://models.internal sk-secret',
        status: 500,
      });
      const source = m.cold('  -t-a----#', e, error);
      const subs = '           ^-------!';
      m.expect(source.pipe(toUIMessageStream())).toBeObservable('sS-(xa)-(zr|)', {
        ...c,
        r: { type: 'error', errorText: 'The run failed (ModelProviderError).' },
      });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'says what errorMessage makes of the error, and the generic message when it throws',
    marbles((m) => {
      const error = new Error('Lisbon is closed');
      const shown = toUIMessageStream({ errorMessage: (thrown) => (thrown as Error).message });
      const broken = toUIMessageStream({
        errorMessage: () => {
          throw new Error('oops');
        },
      });
      m.expect(m.cold('-#', {}, error).pipe(shown)).toBeObservable('s(r|)', {
        s: c.s,
        r: { type: 'error', errorText: 'Lisbon is closed' },
      });
      m.expect(m.cold('-#', {}, error).pipe(broken)).toBeObservable('s(r|)', {
        s: c.s,
        r: { type: 'error', errorText: 'The run failed (Error).' },
      });
    }),
  );

  it(
    'sends abort for a run aborted by its signal',
    marbles((m) => {
      const source = m.cold('  -t-a----#', e, new RunAbortedError());
      m.expect(source.pipe(toUIMessageStream())).toBeObservable('sS-(xa)-(zq|)', { ...c, q: { type: 'abort' } });
    }),
  );

  it(
    'maps a synchronous run at once, with the messageId and metadata given',
    marbles((m) => {
      const source = of(e.t, e.d, e.K, e.f);
      const chunks = source.pipe(
        toUIMessageStream({ messageId: 'msg_1', messageMetadata: (end) => ({ tokens: end.usage.totalTokens }) }),
      );
      m.expect(chunks).toBeObservable('(sSXdZEF|)', {
        ...c,
        s: { type: 'start', messageId: 'msg_1' },
        X: { type: 'text-start', id: 'text-2-1' },
        d: { type: 'text-delta', id: 'text-2-1', delta: 'Sunny.' },
        Z: { type: 'text-end', id: 'text-2-1' },
        F: { type: 'finish', finishReason: 'stop', messageMetadata: { tokens: 15 } },
      });
    }),
  );

  it('asks for approval and finishes with tool-calls when the run is interrupted', async () => {
    const interrupted = { type: 'run-interrupted', ...at, reason: 'approval', interruptions: [], usage } as const;
    const chunks = await chunksOf([
      e.t,
      e.c,
      { type: 'tool-approval-requested', ...at, callId: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } },
      { ...interrupted, state: {} as never },
    ]);
    expect(chunks).toEqual([
      c.s,
      c.S,
      c.I,
      c.A,
      { type: 'tool-approval-request', approvalId: 'call_1', toolCallId: 'call_1' },
      c.E,
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    await expectValid(chunks);
    const stopped = await chunksOf([e.t, e.k, { ...interrupted, reason: 'stopped', state: {} as never }]);
    expect(stopped.at(-1)).toEqual({ type: 'finish', finishReason: 'other' });
  });

  it('continues a resumed run in the step the client holds: its tool events come before any start-step', async () => {
    const chunks = await chunksOf([e.c, e.o, e.T, e.d, e.K, e.f]);
    expect(chunks.slice(0, 5)).toEqual([c.s, c.I, c.A, c.O, c.S]);
  });

  it('tells failed, rejected and denied calls apart', async () => {
    const call = { type: 'tool-output', ...at, name: 'refund' } as const;
    const chunks = await chunksOf([
      { ...call, callId: 'call_f', output: undefined, error: { name: 'Error', message: 'bank down' } },
      { ...call, callId: 'call_d', output: 'The call was rejected by the user.', rejected: true },
      { ...call, callId: 'call_g', output: 'Not allowed.', rejected: true, guardrail: 'limits' },
      { ...call, callId: 'call_u', output: undefined },
    ]);
    expect(chunks.slice(1, 5)).toEqual([
      { type: 'tool-output-error', toolCallId: 'call_f', errorText: 'bank down' },
      { type: 'tool-output-denied', toolCallId: 'call_d' },
      { type: 'tool-output-error', toolCallId: 'call_g', errorText: 'Not allowed.' },
      { type: 'tool-output-available', toolCallId: 'call_u', output: null },
    ]);
    expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'other' });
    await expectValid(chunks);
  });

  it('sends reasoning from Responses and Chat Completions raw events, a part per summary paragraph', async () => {
    const raw = (source: string, data: unknown): RunEvent<unknown> => ({ type: 'raw', ...at, source, data });
    const summary = (index: number, delta: string) =>
      raw('openai-responses', {
        type: 'response.reasoning_summary_text.delta',
        item_id: 'rs_1',
        summary_index: index,
        delta,
      });
    const chat = (delta: Record<string, unknown>) => raw('openai-chat-completions', { choices: [{ index: 0, delta }] });
    const chunks = await chunksOf([
      e.t,
      summary(0, 'The user '),
      summary(0, 'wants sun.'),
      summary(1, 'Lisbon fits.'),
      e.a,
      chat({ reasoning_content: 'Check again.' }),
      chat({ content: 'ignored: text comes as text-delta events' }),
      raw('custom-model', { reasoning: 'not read' }),
      e.k,
    ]);
    expect(chunks.slice(2, -2)).toEqual([
      { type: 'reasoning-start', id: 'reasoning-1-1' },
      { type: 'reasoning-delta', id: 'reasoning-1-1', delta: 'The user ' },
      { type: 'reasoning-delta', id: 'reasoning-1-1', delta: 'wants sun.' },
      { type: 'reasoning-end', id: 'reasoning-1-1' },
      { type: 'reasoning-start', id: 'reasoning-1-2' },
      { type: 'reasoning-delta', id: 'reasoning-1-2', delta: 'Lisbon fits.' },
      { type: 'reasoning-end', id: 'reasoning-1-2' },
      { type: 'text-start', id: 'text-1-3' },
      { type: 'text-delta', id: 'text-1-3', delta: 'Let me ' },
      { type: 'text-end', id: 'text-1-3' },
      { type: 'reasoning-start', id: 'reasoning-1-4' },
      { type: 'reasoning-delta', id: 'reasoning-1-4', delta: 'Check again.' },
      { type: 'reasoning-end', id: 'reasoning-1-4' },
    ]);
    await expectValid(chunks);
    const without = await chunksOf([e.t, summary(0, 'hidden'), e.k], { sendReasoning: false });
    expect(without.map((chunk) => chunk.type)).toEqual(['start', 'start-step', 'finish-step', 'finish']);
  });

  it(
    'resets the step on turn-restarted, and streams the retry in a new text part',
    marbles((m) => {
      const restarted: RunEvent<unknown> = {
        type: 'turn-restarted',
        ...at,
        reason: { name: 'Error', message: 'reset' },
        attempt: 2,
      };
      const source = m.cold('  -t-a----r----b----k--|', { ...e, r: restarted });
      m.expect(source.pipe(toUIMessageStream())).toBeObservable('sS-(xa)-R----(yB)-w--(EF|)', {
        ...c,
        R: { type: 'reset-step' },
        y: { type: 'text-start', id: 'text-1-2' },
        B: { type: 'text-delta', id: 'text-1-2', delta: 'check.' },
        w: { type: 'text-end', id: 'text-1-2' },
        F: { type: 'finish', finishReason: 'other' },
      });
    }),
  );

  it('sends the partial structured answer as one data part, ending with the final output', async () => {
    const delta = (text: string): RunEvent<unknown> => ({ type: 'text-delta', ...at, delta: text });
    const output = { city: 'Lisbon', days: 3 };
    const chunks = await chunksOf(
      [e.t, delta('{"city":"Lis'), delta('bon","days":'), delta('3}'), e.k, { ...e.f, ...at, output }],
      { partialOutput: true },
    );
    const data = chunks.filter((chunk) => chunk.type === 'data-partial-output');
    expect(data).toEqual([
      { type: 'data-partial-output', id: 'partial-output', data: { city: 'Lis' } },
      { type: 'data-partial-output', id: 'partial-output', data: { city: 'Lisbon' } },
      { type: 'data-partial-output', id: 'partial-output', data: output },
    ]);
    await expectValid(chunks);
    expect((await chunksOf([e.t, delta('{"a":1}'), e.k])).some((chunk) => chunk.type === 'data-partial-output')).toBe(
      false,
    );
  });

  it('leaves out the events of nested runs', async () => {
    const nested = { parentCallId: 'call_1', agent: 'Helper', turn: 1 };
    const chunks = await chunksOf([
      e.t,
      { type: 'turn-started', ...nested },
      { type: 'text-delta', ...nested, delta: 'inner' },
      { type: 'tool-call', ...nested, callId: 'call_inner', name: 'x', arguments: {} },
      e.k,
    ]);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['start', 'start-step', 'finish-step', 'finish']);
  });

  it('ends the message with an error chunk when messageMetadata throws', async () => {
    const chunks = await chunksOf([e.t, e.d, e.K, e.f], {
      messageMetadata: () => {
        throw new TypeError('bad metadata');
      },
    });
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: 'The run failed (TypeError).' });
  });

  it('checks its options where it is called', () => {
    const bad: [string, unknown][] = [
      ['options', 'yes'],
      ['options.messageId', { messageId: '' }],
      ['options.sendReasoning', { sendReasoning: 'no' }],
      ['options.partialOutput', { partialOutput: 1 }],
      ['options.errorMessage', { errorMessage: 'oops' }],
      ['options.messageMetadata', { messageMetadata: {} }],
    ];
    for (const [argument, options] of bad) {
      expect(() => toUIMessageStream(options as never), argument).toThrow(InvalidArgumentError);
      expect(() => toUIMessageStream(options as never)).toThrow(expect.objectContaining({ argument }));
    }
  });
});

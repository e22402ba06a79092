/** Tool guardrails: checks of a call before `execute` and of its output after, each allow, reject or stop. */
import { lastValueFrom, map, of, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  Runner,
  SyncRunError,
  tool,
  ToolGuardrailTripwireTriggered,
  type RunEvent,
  type ToolConfig,
  type ToolGuardrailResult,
  type ToolInputGuardrail,
} from '../../src/index.js';
import { fakeModel, type FakeTurn } from '../../src/testing/index.js';
import { runMarbles } from '../helpers/marbles.js';

const runner = new Runner();
const callSend: FakeTurn = { toolCalls: [{ callId: 'c1', name: 'send', arguments: { to: 'bob', text: 'hi' } }] };

const sendParameters = z.object({ to: z.string(), text: z.string() });
type SendGuardrails = Pick<ToolConfig<typeof sendParameters, unknown>, 'inputGuardrails' | 'outputGuardrails'>;

function sendTool(guardrails: SendGuardrails, ran: string[]) {
  return tool({
    name: 'send',
    description: 'Sends a message.',
    parameters: sendParameters,
    execute: ({ to }): unknown => {
      ran.push(to);
      return { sent: to };
    },
    ...guardrails,
  });
}

const allow: ToolGuardrailResult = { behavior: 'allow' };
const eventsOf = (agent: Agent, input = 'Send') => lastValueFrom(runner.runStreamed(agent, input).pipe(toArray()));
const sentOutput = (request: { input: readonly unknown[] } | undefined) =>
  (request?.input.find((item) => (item as { type: string }).type === 'function_call_output') as { output: string })
    .output;

describe('tool input guardrails', () => {
  it('see the validated arguments and the call before execute; allow lets the tool run', async () => {
    const ran: string[] = [];
    const seen: unknown[] = [];
    const model = fakeModel([callSend, 'Sent.']);
    const send = sendTool(
      {
        inputGuardrails: [
          {
            name: 'no_strangers',
            execute: (args: { to: string }, { callId, toolName, agent, context }) => {
              seen.push({ args, callId, toolName, agent, context, ran: ran.length });
              return { ...allow, outputInfo: { checked: args.to } };
            },
          },
        ],
      },
      ran,
    );
    const events = await lastValueFrom(
      runner.runStreamed(new Agent({ name: 'A', model, tools: [send] }), 'Send', { context: 'ctx' }).pipe(toArray()),
    );
    expect(seen).toEqual([
      { args: { to: 'bob', text: 'hi' }, callId: 'c1', toolName: 'send', agent: 'A', context: 'ctx', ran: 0 },
    ]);
    expect(ran).toEqual(['bob']);
    const types = events.map((event) => event.type);
    expect(types.slice(types.indexOf('tool-call'), types.indexOf('tool-output') + 1)).toEqual([
      'tool-call',
      'guardrail',
      'tool-output',
    ]);
    expect(events.find((event) => event.type === 'guardrail')).toEqual({
      type: 'guardrail',
      agent: 'A',
      turn: 1,
      name: 'no_strangers',
      kind: 'tool',
      tripwireTriggered: false,
      outputInfo: { checked: 'bob' },
      callId: 'c1',
      behavior: 'allow',
    });
    expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'Sent.' });
  });

  it('reject: the tool does not run, tool-output shows the message rejected, and the model reads it', async () => {
    const ran: string[] = [];
    const model = fakeModel([callSend, 'I may not.']);
    const send = sendTool(
      { inputGuardrails: [{ name: 'blocked', execute: () => ({ behavior: 'reject', message: 'Bob is blocked.' }) }] },
      ran,
    );
    const events = await eventsOf(new Agent({ name: 'A', model, tools: [send] }));
    expect(ran).toEqual([]);
    expect(events.find((event) => event.type === 'tool-output')).toEqual({
      type: 'tool-output',
      agent: 'A',
      turn: 1,
      callId: 'c1',
      name: 'send',
      output: 'Bob is blocked.',
      rejected: true,
      guardrail: 'blocked',
    });
    expect(events.find((event) => event.type === 'guardrail')).toMatchObject({
      tripwireTriggered: true,
      behavior: 'reject',
    });
    expect(sentOutput(model.requests[1])).toBe('Bob is blocked.');
  });

  it('run in order, and the first that does not allow ends the checks', async () => {
    const checked: string[] = [];
    const guardrail = (name: string, result: ToolGuardrailResult): ToolInputGuardrail<{ to: string }> => ({
      name,
      execute: () => {
        checked.push(name);
        return result;
      },
    });
    const ran: string[] = [];
    const send = sendTool(
      {
        inputGuardrails: [
          guardrail('one', allow),
          guardrail('two', { behavior: 'reject', message: 'no' }),
          guardrail('three', allow),
        ],
      },
      ran,
    );
    await runner.run(new Agent({ name: 'A', model: fakeModel([callSend, 'OK.']), tools: [send] }), 'Send');
    expect(checked).toEqual(['one', 'two']);
    expect(ran).toEqual([]);
  });

  it('stop fails the run with ToolGuardrailTripwireTriggered, after its guardrail event; the tool never runs', async () => {
    const ran: string[] = [];
    const send = sendTool(
      {
        inputGuardrails: [
          { name: 'halt', execute: () => of<ToolGuardrailResult>({ behavior: 'stop', outputInfo: 7 }) },
        ],
      },
      ran,
    );
    const model = fakeModel([callSend, 'never']);
    const agent = new Agent({ name: 'A', model, tools: [send] });
    const error = await runner.run(agent, 'Send').catch((e: unknown) => e);
    expect(ToolGuardrailTripwireTriggered.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      toolName: 'send',
      callId: 'c1',
      guardrail: { name: 'halt', kind: 'tool', agent: 'A', outputInfo: 7 },
      partial: { newItems: [{ type: 'function_call', call_id: 'c1' }] },
    });
    expect(ran).toEqual([]);
    expect(model.requests).toHaveLength(1);
    const seen: RunEvent[] = [];
    await lastValueFrom(
      runner
        .runStreamed(new Agent({ name: 'A', model: fakeModel([callSend]), tools: [send] }), 'Send')
        .pipe(map((e) => seen.push(e))),
    ).catch(() => undefined);
    expect(seen.at(-1)).toMatchObject({ type: 'guardrail', behavior: 'stop', tripwireTriggered: true });
  });

  it('run after approval is granted, just before execute', async () => {
    const order: string[] = [];
    const send = tool({
      name: 'send',
      description: 'Sends.',
      parameters: z.object({ to: z.string(), text: z.string() }),
      needsApproval: true,
      inputGuardrails: [{ name: 'g', execute: () => (order.push('guardrail'), allow) }],
      execute: () => order.push('execute'),
    });
    const agent = new Agent({ name: 'A', model: fakeModel([callSend, 'Sent.']), tools: [send] });
    await runner.run(agent, 'Send', { approve: () => (order.push('approve'), true) });
    expect(order).toEqual(['approve', 'guardrail', 'execute']);
  });

  it('an answer that is not a tool guardrail result fails the run with InvalidArgumentError naming it', async () => {
    const send = sendTool(
      {
        inputGuardrails: [
          { name: 'bad', execute: () => ({ tripwireTriggered: true }) as unknown as ToolGuardrailResult },
        ],
      },
      [],
    );
    const agent = new Agent({ name: 'A', model: fakeModel([callSend]), tools: [send] });
    await expect(runner.run(agent, 'Send')).rejects.toThrow(/inputGuardrails\[0\].*behavior: 'allow'/);
  });
});

describe('tool output guardrails', () => {
  it("see the tool's own output; reject replaces it with the message for the model", async () => {
    const ran: string[] = [];
    const seen: unknown[] = [];
    const model = fakeModel([callSend, 'Done.']);
    const send = sendTool(
      {
        outputGuardrails: [
          {
            name: 'redact',
            execute: (output: unknown, { arguments: args }) => {
              seen.push({ output, args });
              return { behavior: 'reject', message: '[redacted]' };
            },
          },
        ],
      },
      ran,
    );
    const events = await eventsOf(new Agent({ name: 'A', model, tools: [send] }));
    expect(ran).toEqual(['bob']);
    expect(seen).toEqual([{ output: { sent: 'bob' }, args: { to: 'bob', text: 'hi' } }]);
    expect(events.find((event) => event.type === 'tool-output')).toMatchObject({
      output: '[redacted]',
      rejected: true,
      guardrail: 'redact',
    });
    expect(sentOutput(model.requests[1])).toBe('[redacted]');
  });

  it('allow passes the output on unchanged; a failed call is not checked', async () => {
    const checked: unknown[] = [];
    const flaky = tool({
      name: 'send',
      description: 'Sends.',
      parameters: z.object({ to: z.string(), text: z.string() }),
      outputGuardrails: [{ name: 'g', execute: (output) => (checked.push(output), allow) }],
      execute: ({ to }) => {
        if (to === 'eve') throw new Error('no eve');
        return `sent to ${to}`;
      },
    });
    const model = fakeModel([
      {
        toolCalls: [
          { callId: 'c1', name: 'send', arguments: { to: 'bob', text: '' } },
          { callId: 'c2', name: 'send', arguments: { to: 'eve', text: '' } },
        ],
      },
      'Done.',
    ]);
    await runner.run(new Agent({ name: 'A', model, tools: [flaky] }), 'Send');
    expect(checked).toEqual(['sent to bob']);
    expect(sentOutput(model.requests[1])).toBe('sent to bob');
  });

  it('stop fails the run after the tool ran; its output never reaches the model', async () => {
    const ran: string[] = [];
    const send = sendTool(
      { outputGuardrails: [{ name: 'leak', execute: () => Promise.resolve({ behavior: 'stop' as const }) }] },
      ran,
    );
    const model = fakeModel([callSend, 'never']);
    await expect(runner.run(new Agent({ name: 'A', model, tools: [send] }), 'Send')).rejects.toThrow(
      ToolGuardrailTripwireTriggered,
    );
    expect(ran).toEqual(['bob']);
    expect(model.requests).toHaveLength(1);
  });
});

describe('tool guardrails in virtual time', () => {
  const slowGuardrail = (frames: number, aborted: unknown[]): ToolInputGuardrail<{ to: string }> => ({
    name: 'slow',
    execute: (_args, { signal }) => {
      signal.addEventListener('abort', () => aborted.push(signal.reason));
      return timer(frames).pipe(map((): ToolGuardrailResult => allow));
    },
  });

  it('the tool starts when the check answers', () => {
    const ran: string[] = [];
    runMarbles(({ expectObservable }) => {
      const send = sendTool({ inputGuardrails: [slowGuardrail(10, [])] }, ran);
      const agent = new Agent({ name: 'A', model: fakeModel([callSend, 'Sent.']), tools: [send] });
      const events = runner.runStreamed(agent, 'Send').pipe(map((event) => event.type));
      expectObservable(events).toBe('(scx) 5ms (goterf|)', {
        s: 'turn-started',
        c: 'turn-completed',
        x: 'tool-call',
        g: 'guardrail',
        o: 'tool-output',
        t: 'turn-started',
        e: 'text-delta',
        r: 'turn-completed',
        f: 'final-output',
      });
    });
    expect(ran).toEqual(['bob']);
  });

  it('unsubscribing while a check runs aborts its signal; the tool never runs', () => {
    const ran: string[] = [];
    const aborted: unknown[] = [];
    runMarbles(({ expectObservable }) => {
      const send = sendTool({ inputGuardrails: [slowGuardrail(10, aborted)] }, ran);
      const agent = new Agent({ name: 'A', model: fakeModel([callSend, 'Sent.']), tools: [send] });
      const events = runner.runStreamed(agent, 'Send').pipe(map((event) => event.type));
      expectObservable(events, '^ 5ms !').toBe('(scx)', { s: 'turn-started', c: 'turn-completed', x: 'tool-call' });
    });
    expect(ran).toEqual([]);
    expect(aborted).toHaveLength(1);
  });
});

describe('tool guardrails in runSync()', () => {
  it('a synchronous answer works', () => {
    const ran: string[] = [];
    const send = sendTool(
      { inputGuardrails: [{ name: 'no', execute: () => ({ behavior: 'reject', message: 'No.' }) }] },
      ran,
    );
    const model = fakeModel([callSend, 'OK.']);
    const result = runner.runSync(new Agent({ name: 'A', model, tools: [send] }), 'Send');
    expect(result.finalOutput).toBe('OK.');
    expect(ran).toEqual([]);
    expect(sentOutput(model.requests[1])).toBe('No.');
  });

  it('a Promise is refused with SyncRunError naming the guardrail', () => {
    const send = sendTool({ inputGuardrails: [{ name: 'later', execute: () => Promise.resolve(allow) }] }, []);
    const agent = () => new Agent({ name: 'A', model: fakeModel([callSend, 'OK.']), tools: [send] });
    expect(() => runner.runSync(agent(), 'Send')).toThrow(SyncRunError);
    expect(() => runner.runSync(agent(), 'Send')).toThrow(/Tool guardrail 'later'/);
  });
});

describe('tool() checks its guardrails', () => {
  const base = { name: 't', description: 'd', parameters: z.object({}), execute: () => 1 };
  it.each([
    ['not an array', { inputGuardrails: {} }, /inputGuardrails must be an array/],
    ['no name', { outputGuardrails: [{ execute: () => allow }] }, /outputGuardrails\[0\]|non-empty name/],
    ['no execute', { inputGuardrails: [{ name: 'g' }] }, /needs an execute function/],
  ])('refuses %s where it is given', (_, extra, message) => {
    expect(() => tool({ ...base, ...(extra as object) })).toThrow(InvalidArgumentError);
    expect(() => tool({ ...base, ...(extra as object) })).toThrow(message);
  });
});

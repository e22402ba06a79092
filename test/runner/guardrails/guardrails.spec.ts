/** Guardrails through the public API: configuration errors, Runner defaults, runSync, sessions, broken checks. */
import { lastValueFrom, of, toArray } from 'rxjs';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  AgentsError,
  InputGuardrailTripwireTriggered,
  InvalidArgumentError,
  OutputGuardrailTripwireTriggered,
  Runner,
  SyncRunError,
  tool,
  type InputItem,
  type RunEvent,
} from '../../../src/index.js';
import { MemorySession } from '../../../src/sessions/index.js';
import { fakeModel } from '../../../src/testing/index.js';

const pass = { tripwireTriggered: false } as const;

describe('guardrail configuration', () => {
  it.each([
    [{ inputGuardrails: {} }, 'inputGuardrails'],
    [{ inputGuardrails: [{ execute: () => pass }] }, 'inputGuardrails[0].name'],
    [{ outputGuardrails: [{ name: 'x' }] }, 'outputGuardrails[0].execute'],
    [{ inputGuardrails: [{ name: 'x', execute: () => pass, runInParallel: 'yes' }] }, 'inputGuardrails[0]'],
    [{ streamGuardrails: [{ name: 'x', execute: () => pass }] }, 'streamGuardrails[0].every'],
    [{ streamGuardrails: [{ name: 'x', every: { characters: 0 }, execute: () => pass }] }, 'streamGuardrails[0].every'],
    [{ streamGuardrails: [{ name: 'x', every: { words: 3 }, execute: () => pass }] }, 'streamGuardrails[0].every'],
  ])('new Agent(%j) names %s', (config, argument) => {
    const make = () => new Agent({ name: 'A', ...(config as object) });
    expect(make).toThrow(InvalidArgumentError);
    try {
      make();
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });

  it('new Runner() checks its guardrails too', () => {
    expect(() => new Runner({ outputGuardrails: [{ name: '', execute: () => pass }] })).toThrow(
      /outputGuardrails\[0\]\.name/,
    );
  });
});

describe('guardrails in a run', () => {
  it("a Runner's guardrails run for every agent, before the agent's own, each with its guardrail event", async () => {
    const order: string[] = [];
    const check = (name: string) => ({
      name,
      execute: () => {
        order.push(name);
        return { tripwireTriggered: false, outputInfo: { checked: name } };
      },
    });
    const runner = new Runner({ inputGuardrails: [check('runner-in')], outputGuardrails: [check('runner-out')] });
    const agent = new Agent({
      name: 'A',
      model: fakeModel(['Hi']),
      inputGuardrails: [check('agent-in')],
      outputGuardrails: [check('agent-out')],
    });
    const events = await lastValueFrom(runner.runStreamed(agent, 'Hello').pipe(toArray()));
    expect(order).toEqual(['runner-in', 'agent-in', 'runner-out', 'agent-out']);
    const guardrails = events.filter(
      (event): event is Extract<RunEvent, { type: 'guardrail' }> => event.type === 'guardrail',
    );
    expect(guardrails).toEqual([
      {
        type: 'guardrail',
        agent: 'A',
        turn: 1,
        name: 'runner-in',
        kind: 'input',
        tripwireTriggered: false,
        outputInfo: { checked: 'runner-in' },
      },
      {
        type: 'guardrail',
        agent: 'A',
        turn: 1,
        name: 'agent-in',
        kind: 'input',
        tripwireTriggered: false,
        outputInfo: { checked: 'agent-in' },
      },
      {
        type: 'guardrail',
        agent: 'A',
        turn: 1,
        name: 'runner-out',
        kind: 'output',
        tripwireTriggered: false,
        outputInfo: { checked: 'runner-out' },
      },
      {
        type: 'guardrail',
        agent: 'A',
        turn: 1,
        name: 'agent-out',
        kind: 'output',
        tripwireTriggered: false,
        outputInfo: { checked: 'agent-out' },
      },
    ]);
    expect(events.at(-1)?.type).toBe('final-output');
  });

  it('input guardrails check only the first agent, once; output guardrails the agent that answers', async () => {
    const checked: string[] = [];
    const guard = (name: string) => ({
      inputGuardrails: [{ name: `${name}-in`, execute: () => (checked.push(`${name}-in`), pass) }],
      outputGuardrails: [{ name: `${name}-out`, execute: () => (checked.push(`${name}-out`), pass) }],
    });
    const billing = new Agent({ name: 'Billing', model: fakeModel(['Refunded.']), ...guard('billing') });
    const triage = new Agent({
      name: 'Triage',
      model: fakeModel([{ toolCalls: [{ name: 'transfer_to_billing' }] }, 'unused']),
      handoffs: [billing],
      ...guard('triage'),
    });
    const result = await new Runner().run(triage, 'Refund me');
    expect(result.status === 'completed' && result.finalOutput).toBe('Refunded.');
    expect(checked).toEqual(['triage-in', 'billing-out']);
  });

  it("input guardrails check the run's own input, not the session's items before it", async () => {
    const seen: (readonly InputItem[])[] = [];
    const session = new MemorySession();
    const agent = new Agent({
      name: 'A',
      model: fakeModel(['One', 'Two']),
      inputGuardrails: [{ name: 'in', execute: (input) => (seen.push(input), pass) }],
    });
    const runner = new Runner();
    await runner.run(agent, 'first', { session });
    await runner.run(agent, 'second', { session });
    expect(seen).toEqual([
      [{ type: 'message', role: 'user', content: 'first' }],
      [{ type: 'message', role: 'user', content: 'second' }],
    ]);
  });

  it('a tripped output guardrail saves nothing of that turn to the session', async () => {
    const session = new MemorySession();
    const agent = new Agent({
      name: 'A',
      model: fakeModel(['secret']),
      outputGuardrails: [{ name: 'out', execute: () => ({ tripwireTriggered: true }) }],
    });
    await expect(new Runner().run(agent, 'Hi', { session })).rejects.toThrow(OutputGuardrailTripwireTriggered);
    expect(await session.getItems()).toEqual([]);
  });

  it("toolUseBehavior's final output is checked by the output guardrails like a model's", async () => {
    const seen: unknown[] = [];
    const lookup = tool({
      name: 'lookup',
      description: 'Looks up.',
      parameters: z.object({}),
      execute: () => ({ card: '4111 1111 1111 1111' }),
    });
    const agent = new Agent({
      name: 'A',
      model: fakeModel([{ toolCalls: [{ name: 'lookup' }] }]),
      tools: [lookup],
      toolUseBehavior: 'stop_on_first_tool',
      outputGuardrails: [
        {
          name: 'no-cards',
          execute: (output) => (seen.push(output), { tripwireTriggered: /\d{4} \d{4}/.test(String(output)) }),
        },
      ],
    });
    await expect(new Runner().run(agent, 'Card?')).rejects.toThrow("Output guardrail 'no-cards' tripped.");
    expect(seen).toEqual(['{"card":"4111 1111 1111 1111"}']);
  });

  it('runSync: synchronous checks and Observables work; a Promise is refused with SyncRunError', () => {
    const runner = new Runner();
    const ok = new Agent({
      name: 'A',
      model: fakeModel(['Fine.']),
      inputGuardrails: [{ name: 'in', execute: () => of(pass) }],
      streamGuardrails: [{ name: 'stream', every: { characters: 1 }, execute: () => pass }],
      outputGuardrails: [{ name: 'out', execute: () => pass }],
    });
    const result = runner.runSync(ok, 'Hi');
    expect(result.status === 'completed' && result.finalOutput).toBe('Fine.');

    const tripped = new Agent({
      name: 'A',
      model: fakeModel(['Fine.']),
      inputGuardrails: [{ name: 'in', runInParallel: false, execute: () => ({ tripwireTriggered: true }) }],
    });
    expect(() => runner.runSync(tripped, 'Hi')).toThrow(InputGuardrailTripwireTriggered);

    const promised = new Agent({
      name: 'A',
      model: fakeModel(['Fine.']),
      outputGuardrails: [{ name: 'out', execute: async () => pass }],
    });
    let refused: unknown;
    try {
      runner.runSync(promised, 'Hi');
    } catch (error) {
      refused = error;
    }
    expect(SyncRunError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/^Output guardrail 'out' returned a Promise, but runSync\(\) needs/);
  });

  it('a check that throws or answers nonsense fails the run with an error naming the guardrail', async () => {
    const runner = new Runner();
    const throwing = new Agent({
      name: 'A',
      model: fakeModel(['Hi']),
      inputGuardrails: [
        {
          name: 'broken',
          execute: () => {
            throw new Error('classifier down');
          },
        },
      ],
    });
    const thrown = await runner.run(throwing, 'Hi').catch((error: unknown) => error);
    expect(AgentsError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toBe("Input guardrail 'broken' failed: classifier down");

    const nonsense = new Agent({
      name: 'A',
      model: fakeModel(['Hi']),
      outputGuardrails: [{ name: 'odd', execute: () => ({ ok: true }) as never }],
    });
    await expect(runner.run(nonsense, 'Hi')).rejects.toThrow(
      /Output guardrail 'odd' answered .*; a guardrail answers \{ tripwireTriggered: boolean, outputInfo\? \}/,
    );
  });
});

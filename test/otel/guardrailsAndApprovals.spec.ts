/**
 * Guardrails, approvals and interruptions as the real OpenTelemetry SDK receives them: span events
 * on the agent's span, the run's status when a tripwire fails it, its outcome when it interrupts,
 * and the spans of a resumed run.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, RunState, Runner, tool, type InputGuardrail, type OutputGuardrail } from '../../src/index.js';
import { openTelemetry } from '../../src/otel/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { spanNamed, spanTree, useOtel } from './otelHarness.js';

const otel = useOtel();
const runner = new Runner({ tracing: openTelemetry({ tracer: otel.tracerProvider.getTracer('spec') }) });

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (error: unknown) => error,
  );

const inputCheck = (name: string, trip: boolean, runInParallel = false): InputGuardrail => ({
  name,
  runInParallel,
  execute: () => ({ tripwireTriggered: trip }),
});
const outputCheck = (name: string, trip: boolean): OutputGuardrail<string> => ({
  name,
  execute: () => ({ tripwireTriggered: trip }),
});
const guardrailEvents = (span: { events: readonly { name: string; attributes?: object }[] }) =>
  span.events.filter((event) => event.name === 'rxjs_agents.guardrail').map((event) => event.attributes);

describe('guardrails', () => {
  it('a tripped input guardrail: a guardrail event per check, and the run ERROR with the tripwire error', async () => {
    const agent = new Agent({
      name: 'A',
      model: fakeModel(['Hello.'], { name: 'm' }),
      inputGuardrails: [inputCheck('polite', false), inputCheck('no_secrets', true)],
    });
    const error = await rejection(runner.run(agent, 'my password is hunter2'));
    expect(error).toMatchObject({ name: 'InputGuardrailTripwireTriggered' });

    const spans = otel.spans();
    // The checks ran before the model: no model call was made.
    expect(spanTree(spans)).toEqual(['invoke_agent A']);
    const run = spanNamed(spans, 'invoke_agent A');
    expect(guardrailEvents(run)).toEqual(
      expect.arrayContaining([
        {
          'rxjs_agents.guardrail.name': 'polite',
          'rxjs_agents.guardrail.kind': 'input',
          'rxjs_agents.guardrail.tripwire_triggered': false,
        },
        {
          'rxjs_agents.guardrail.name': 'no_secrets',
          'rxjs_agents.guardrail.kind': 'input',
          'rxjs_agents.guardrail.tripwire_triggered': true,
        },
      ]),
    );
    expect(run.status).toEqual({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    expect(run.attributes).toMatchObject({
      'error.type': 'InputGuardrailTripwireTriggered',
      'rxjs_agents.run.outcome': 'failed',
    });
  });

  it('a parallel input guardrail that trips while the model streams: the chat span ends as cancelled', async () => {
    let release: (() => void) | undefined;
    const slowTrip: InputGuardrail = {
      name: 'slow_trip',
      execute: () =>
        new Promise((resolve) => {
          release = () => resolve({ tripwireTriggered: true });
        }),
    };
    const agent = new Agent({
      name: 'A',
      model: fakeModel([{ text: 'Hel', stall: true }], { name: 'm' }),
      inputGuardrails: [slowTrip],
    });
    const failed = rejection(runner.run(agent, 'Hi'));
    await new Promise((resolve) => setImmediate(resolve));
    release!();
    expect(await failed).toMatchObject({ name: 'InputGuardrailTripwireTriggered' });

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m']]);
    expect(spanNamed(spans, 'chat m').attributes['rxjs_agents.cancelled']).toBe(true);
    expect(spanNamed(spans, 'invoke_agent A').attributes['error.type']).toBe('InputGuardrailTripwireTriggered');
  });

  it('a tripped output guardrail: its event, and the run ERROR with OutputGuardrailTripwireTriggered', async () => {
    const agent = new Agent({
      name: 'A',
      model: fakeModel(['The secret is 42.'], { name: 'm' }),
      outputGuardrails: [outputCheck('no_leaks', true)],
    });
    const error = await rejection(runner.run(agent, 'Tell me'));
    expect(error).toMatchObject({ name: 'OutputGuardrailTripwireTriggered' });

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m']]);
    const run = spanNamed(spans, 'invoke_agent A');
    expect(guardrailEvents(run)).toEqual([
      {
        'rxjs_agents.guardrail.name': 'no_leaks',
        'rxjs_agents.guardrail.kind': 'output',
        'rxjs_agents.guardrail.tripwire_triggered': true,
      },
    ]);
    expect(run.status.code).toBe(SpanStatusCode.ERROR);
    expect(run.attributes['error.type']).toBe('OutputGuardrailTripwireTriggered');
    // The model call itself succeeded.
    expect(spanNamed(spans, 'chat m').status.code).toBe(SpanStatusCode.UNSET);
  });

  it("a tool guardrail that rejects a call: its event names the call, and the call's execute_tool span is marked rejected", async () => {
    let ran = 0;
    const transfer = tool({
      name: 'transfer',
      description: 'Moves money.',
      parameters: z.object({ amount: z.number() }),
      inputGuardrails: [{ name: 'limit', execute: () => ({ behavior: 'reject', message: 'Over the limit.' }) }],
      execute: () => ++ran,
    });
    const model = fakeModel(
      [{ toolCalls: [{ name: 'transfer', arguments: { amount: 1e6 }, callId: 'c_t' }] }, 'I could not.'],
      { name: 'm' },
    );
    await runner.run(new Agent({ name: 'Bank', model, tools: [transfer] }), 'Send it all');
    expect(ran).toBe(0);

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent Bank', ['chat m', 'execute_tool transfer', 'chat m']]);
    expect(spanNamed(spans, 'execute_tool transfer').attributes['rxjs_agents.tool.rejected']).toBe(true);
    expect(spanNamed(spans, 'invoke_agent Bank').events.map((event) => event.name)).toContain(
      'rxjs_agents.tool_rejected',
    );
    expect(guardrailEvents(spanNamed(spans, 'invoke_agent Bank'))).toEqual([
      {
        'rxjs_agents.guardrail.name': 'limit',
        'rxjs_agents.guardrail.kind': 'tool',
        'rxjs_agents.guardrail.tripwire_triggered': true,
        'rxjs_agents.guardrail.behavior': 'reject',
        'gen_ai.tool.call.id': 'c_t',
      },
    ]);
  });
});

describe('approvals and interruptions', () => {
  const refund = () =>
    tool({
      name: 'refund',
      description: 'Refunds an order.',
      parameters: z.object({ order: z.number() }),
      needsApproval: true,
      execute: ({ order }) => `refunded ${order}`,
    });
  const refundCall = { toolCalls: [{ name: 'refund', arguments: { order: 7 }, callId: 'c_refund' }] };

  it('without approve: an approval-requested event, the run interrupted, and no span for the waiting call', async () => {
    const agent = new Agent({ name: 'Support', model: fakeModel([refundCall], { name: 'm' }), tools: [refund()] });
    const result = await runner.run(agent, 'Refund order 7');
    expect(result.status).toBe('interrupted');

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent Support', ['chat m']]);
    const run = spanNamed(spans, 'invoke_agent Support');
    expect(run.status.code).toBe(SpanStatusCode.UNSET);
    expect(run.attributes['rxjs_agents.run.outcome']).toBe('interrupted');
    expect(run.events.map((event) => [event.name, event.attributes])).toEqual(
      expect.arrayContaining([
        ['rxjs_agents.tool_approval_requested', { 'gen_ai.tool.name': 'refund', 'gen_ai.tool.call.id': 'c_refund' }],
        ['rxjs_agents.run_interrupted', { 'rxjs_agents.interrupt.reason': 'approval' }],
      ]),
    );
  });

  it('the approved state, resumed: a run span marked resumed, with the approved call’s execute_tool span', async () => {
    const first = await runner.run(
      new Agent({ name: 'Support', model: fakeModel([refundCall], { name: 'm' }), tools: [refund()] }),
      'Refund order 7',
    );
    if (first.status !== 'interrupted') throw new Error('expected an interrupted run');
    const agent = new Agent({ name: 'Support', model: fakeModel(['Refunded.'], { name: 'm' }), tools: [refund()] });
    const state = RunState.fromJSON(agent, JSON.stringify(first.state)).approve('c_refund');
    const before = otel.spans().length;
    await runner.run(agent, state);

    const spans = otel.spans().slice(before);
    expect(spanTree(spans)).toEqual(['invoke_agent Support', ['execute_tool refund', 'chat m']]);
    const run = spanNamed(spans, 'invoke_agent Support');
    expect(run.attributes).toMatchObject({ 'rxjs_agents.run.resumed': true, 'rxjs_agents.run.outcome': 'completed' });
    expect(spanNamed(spans, 'execute_tool refund').attributes['gen_ai.tool.call.id']).toBe('c_refund');
  });

  it('a call the approver rejects: it never runs, so no execute_tool span, and a tool_rejected event', async () => {
    const agent = new Agent({
      name: 'Support',
      model: fakeModel([refundCall, 'Not refunded.'], { name: 'm' }),
      tools: [refund()],
    });
    await runner.run(agent, 'Refund order 7', { approve: () => ({ approved: false, message: 'Over the limit.' }) });

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent Support', ['chat m', 'chat m']]);
    const run = spanNamed(spans, 'invoke_agent Support');
    expect(run.events.map((event) => [event.name, event.attributes])).toEqual(
      expect.arrayContaining([
        ['rxjs_agents.tool_approval_requested', { 'gen_ai.tool.name': 'refund', 'gen_ai.tool.call.id': 'c_refund' }],
        ['rxjs_agents.tool_rejected', { 'gen_ai.tool.name': 'refund', 'gen_ai.tool.call.id': 'c_refund' }],
      ]),
    );
  });

  it('an approved call runs in its execute_tool span, and no rejection is told', async () => {
    const agent = new Agent({
      name: 'Support',
      model: fakeModel([refundCall, 'Refunded.'], { name: 'm' }),
      tools: [refund()],
    });
    await runner.run(agent, 'Refund order 7', { approve: () => true });

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent Support', ['chat m', 'execute_tool refund', 'chat m']]);
    expect(spanNamed(spans, 'execute_tool refund').attributes).not.toHaveProperty('rxjs_agents.tool.rejected');
    expect(spanNamed(spans, 'invoke_agent Support').events.map((event) => event.name)).not.toContain(
      'rxjs_agents.tool_rejected',
    );
  });
});

/**
 * What the spans say when a run goes wrong, under the real OpenTelemetry SDK: a tool error reported
 * to the model or failing the run, a retried model call, an unsubscribed run (mid-stream and
 * mid-tool), and a run whose signal aborts. Every span that was started is ended, and the ones the
 * run cut short say so.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { lastValueFrom, NEVER, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, ModelProviderError, Runner, tool, type RunEvent } from '../../src/index.js';
import { openTelemetry } from '../../src/otel/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { until } from '../helpers/waiting.js';
import { spanNamed, spanTree, useOtel } from './otelHarness.js';

const otel = useOtel();
const tracer = otel.tracerProvider.getTracer('spec');
const runner = new Runner({ tracing: openTelemetry({ tracer }) });

/** Every span the tracer started, ended or not: the SDK's exporter only sees the ended ones. */
const started: { name: string; ended: () => boolean }[] = [];
const originalStartSpan = tracer.startSpan.bind(tracer);
tracer.startSpan = (name, options, context) => {
  const span = originalStartSpan(name, options, context);
  started.push({ name, ended: () => !span.isRecording() });
  return span;
};
afterEach(() => {
  started.length = 0;
});
const unended = () => started.filter((span) => !span.ended()).map((span) => span.name);

/** What `promise` rejected with; fails the test when it resolved instead. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (error: unknown) => error,
  );

class QuotaError extends Error {
  override name = 'QuotaError';
}

const failing = tool({
  name: 'lookup',
  description: 'Looks something up, and fails.',
  parameters: z.object({}),
  execute: () => {
    throw new QuotaError('the lookup quota is spent');
  },
});
const callsLookup = () =>
  fakeModel([{ toolCalls: [{ name: 'lookup', callId: 'call_1' }] }, 'Sorry, no luck.'], { name: 'm' });

const byTurn = (spans: readonly ReadableSpan[], name: string) =>
  spans
    .filter((span) => span.name === name)
    .sort((a, b) => Number(a.attributes['rxjs_agents.attempt']) - Number(b.attributes['rxjs_agents.attempt']));

describe('a tool error', () => {
  it('reported to the model: the execute_tool span is ERROR with the error type, and the run goes on', async () => {
    const result = await runner.run(new Agent({ name: 'A', model: callsLookup(), tools: [failing] }), 'Look it up');
    expect(result.finalOutput).toBe('Sorry, no luck.');
    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m', 'execute_tool lookup', 'chat m']]);
    const toolSpan = spanNamed(spans, 'execute_tool lookup');
    expect(toolSpan.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(toolSpan.status.message).toContain('the lookup quota is spent');
    expect(toolSpan.attributes['error.type']).toBe('QuotaError');
    const run = spanNamed(spans, 'invoke_agent A');
    expect(run.status.code).toBe(SpanStatusCode.UNSET);
    expect(run.attributes['rxjs_agents.run.outcome']).toBe('completed');
  });

  it("with toolErrors: 'throw': the run's span is ERROR with the ToolCallError's type and message, and every span ends", async () => {
    const error = await rejection(
      runner.run(new Agent({ name: 'A', model: callsLookup(), tools: [failing] }), 'Look it up', {
        toolErrors: 'throw',
      }),
    );
    expect(error).toMatchObject({ name: 'ToolCallError' });
    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m', 'execute_tool lookup']]);
    const run = spanNamed(spans, 'invoke_agent A');
    expect(run.status).toEqual({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    expect(run.attributes).toMatchObject({ 'error.type': 'ToolCallError', 'rxjs_agents.run.outcome': 'failed' });
    expect(spanNamed(spans, 'execute_tool lookup').status.code).toBe(SpanStatusCode.ERROR);
    expect(unended()).toEqual([]);
  });
});

describe('a retried model call', () => {
  const dropped = () => new ModelProviderError({ message: 'The connection broke off.', retryable: true });

  it('shows each attempt as a chat span of its own, the failed one ERROR', async () => {
    const model = fakeModel([{ error: dropped() }, { text: 'Hello.', id: 'resp_2' }], { name: 'm' });
    await runner.run(new Agent({ name: 'A', model }), 'Hi', { retry: { maxRetries: 1, initialDelayMs: 0 } });

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m', 'chat m']]);
    const [first, second] = byTurn(spans, 'chat m');
    expect(first!.attributes).toMatchObject({
      'rxjs_agents.turn': 1,
      'rxjs_agents.attempt': 1,
      'error.type': 'ModelProviderError',
    });
    expect(first!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'The connection broke off.' });
    expect(second!.attributes).toMatchObject({
      'rxjs_agents.turn': 1,
      'rxjs_agents.attempt': 2,
      'gen_ai.response.id': 'resp_2',
    });
    expect(second!.attributes).not.toHaveProperty('error.type');
    expect(second!.status.code).toBe(SpanStatusCode.UNSET);
    // Nothing had streamed: the retry was silent, and the run's span has no restart to tell of.
    expect(spanNamed(spans, 'invoke_agent A').events.map((event) => event.name)).not.toContain(
      'rxjs_agents.turn_restarted',
    );
  });

  it('after text had streamed (afterOutput): a turn_restarted event on the agent span', async () => {
    const model = fakeModel([{ text: 'Hel', error: dropped() }, { text: 'Hello.' }], { name: 'm' });
    const events = await lastValueFrom(
      runner
        .runStreamed(new Agent({ name: 'A', model }), 'Hi', {
          retry: { maxRetries: 1, initialDelayMs: 0, afterOutput: true },
        })
        .pipe(toArray()),
    );
    expect(events.map((event) => event.type)).toContain('turn-restarted');

    const spans = otel.spans();
    const [first, second] = byTurn(spans, 'chat m');
    expect(first!.status.code).toBe(SpanStatusCode.ERROR);
    expect(second!.attributes['rxjs_agents.attempt']).toBe(2);
    const restarts = spanNamed(spans, 'invoke_agent A').events.filter(
      (event) => event.name === 'rxjs_agents.turn_restarted',
    );
    expect(restarts.map((event) => event.attributes)).toEqual([
      { 'rxjs_agents.turn': 1, 'rxjs_agents.attempt': 2, 'rxjs_agents.restart.reason': 'ModelProviderError' },
    ]);
  });

  it('a failure the retries do not cure fails the run with the model error', async () => {
    const model = fakeModel([{ error: dropped() }, { error: dropped() }], { name: 'm' });
    await rejection(runner.run(new Agent({ name: 'A', model }), 'Hi', { retry: { maxRetries: 1, initialDelayMs: 0 } }));
    const spans = otel.spans();
    expect(byTurn(spans, 'chat m').map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
    ]);
    expect(spanNamed(spans, 'invoke_agent A').attributes).toMatchObject({
      'error.type': 'ModelProviderError',
      'rxjs_agents.run.outcome': 'failed',
    });
  });
});

describe('cancellation', () => {
  it('unsubscribing mid-stream ends the chat span and the run span, as cancelled', async () => {
    const model = fakeModel([{ text: 'Hel', stall: true }], { name: 'm' });
    const seen: RunEvent[] = [];
    const subscription = runner
      .runStreamed(new Agent({ name: 'A', model }), 'Hi')
      .subscribe((event) => seen.push(event));
    await until(() => seen.some((event) => event.type === 'text-delta'));
    expect(unended()).toEqual(['invoke_agent A', 'chat m']);
    subscription.unsubscribe();

    expect(unended()).toEqual([]);
    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m']]);
    const chat = spanNamed(spans, 'chat m');
    expect(chat.attributes['rxjs_agents.cancelled']).toBe(true);
    expect(chat.status.code).toBe(SpanStatusCode.UNSET);
    const run = spanNamed(spans, 'invoke_agent A');
    expect(run.attributes['rxjs_agents.run.outcome']).toBe('cancelled');
    expect(run.status.code).toBe(SpanStatusCode.UNSET);
    // The chat span ended first: the run's span ends last.
    expect(spans.map((span) => span.name)).toEqual(['chat m', 'invoke_agent A']);
  });

  it('unsubscribing mid-tool ends the execute_tool span as cancelled, and the finished chat span is not', async () => {
    let toolSignal: AbortSignal | undefined;
    const waits = tool({
      name: 'wait',
      description: 'Never answers.',
      parameters: z.object({}),
      execute: (_args, { signal }) => {
        toolSignal = signal;
        return new Promise<never>(() => undefined);
      },
    });
    const model = fakeModel([{ toolCalls: [{ name: 'wait' }] }], { name: 'm' });
    const subscription = runner.runStreamed(new Agent({ name: 'A', model, tools: [waits] }), 'Hi').subscribe();
    await until(() => toolSignal !== undefined);
    subscription.unsubscribe();

    expect(toolSignal?.aborted).toBe(true);
    expect(unended()).toEqual([]);
    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m', 'execute_tool wait']]);
    expect(spanNamed(spans, 'execute_tool wait').attributes['rxjs_agents.cancelled']).toBe(true);
    expect(spanNamed(spans, 'chat m').attributes).not.toHaveProperty('rxjs_agents.cancelled');
    expect(spanNamed(spans, 'invoke_agent A').attributes['rxjs_agents.run.outcome']).toBe('cancelled');
  });

  it("a run whose signal aborts ends every span, and the run's as cancelled, not as an error", async () => {
    const controller = new AbortController();
    const model = {
      name: 'm',
      stream: () => NEVER,
    };
    const promise = runner.run(new Agent({ name: 'A', model }), 'Hi', { signal: controller.signal });
    await until(() => started.length === 2);
    controller.abort();
    const error = await rejection(promise);
    expect(error).toMatchObject({ name: 'RunAbortedError' });

    expect(unended()).toEqual([]);
    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m']]);
    expect(spanNamed(spans, 'chat m').attributes['rxjs_agents.cancelled']).toBe(true);
    const run = spanNamed(spans, 'invoke_agent A');
    // Aborted by its caller, as an unsubscribed run is: cancelled, not an error of the run.
    expect(run.attributes['rxjs_agents.run.outcome']).toBe('cancelled');
    expect(run.attributes).not.toHaveProperty('error.type');
    expect(run.status.code).toBe(SpanStatusCode.UNSET);
  });
});

describe('what a failure cuts short', () => {
  it("a tool that fails the run while another runs: the other's span ends as cancelled, before the run's", async () => {
    let signal: AbortSignal | undefined;
    const slow = tool({
      name: 'slow',
      description: 'Never answers.',
      parameters: z.object({}),
      execute: (_args, context) => {
        signal = context.signal;
        return new Promise<never>(() => undefined);
      },
    });
    const model = fakeModel(
      [
        {
          toolCalls: [
            { name: 'slow', callId: 'c_slow' },
            { name: 'lookup', callId: 'c_fail' },
          ],
        },
      ],
      { name: 'm' },
    );
    const failed = rejection(
      runner.run(new Agent({ name: 'A', model, tools: [slow, failing] }), 'Go', { toolErrors: 'throw' }),
    );
    expect(await failed).toMatchObject({ name: 'ToolCallError' });

    expect(signal?.aborted).toBe(true);
    expect(unended()).toEqual([]);
    const spans = otel.spans();
    // The two tools start in the same instant: their order among siblings is not the point.
    const [root, children] = spanTree(spans);
    expect(root).toBe('invoke_agent A');
    expect([...(children as string[])].sort()).toEqual(['chat m', 'execute_tool lookup', 'execute_tool slow']);
    expect(spanNamed(spans, 'execute_tool slow').attributes['rxjs_agents.cancelled']).toBe(true);
    expect(spanNamed(spans, 'execute_tool lookup').attributes['error.type']).toBe('ToolCallError');
    expect(spans.at(-1)?.name).toBe('invoke_agent A');
  });

  it('an idle timeout: the chat span is ERROR with ModelTimeoutError', async () => {
    const model = fakeModel([{ text: 'Hel', stall: true }], { name: 'm' });
    const error = await rejection(runner.run(new Agent({ name: 'A', model }), 'Hi', { idleTimeoutMs: 5 }));
    expect(error).toMatchObject({ name: 'ModelTimeoutError' });

    const spans = otel.spans();
    expect(spanNamed(spans, 'chat m').attributes['error.type']).toBe('ModelTimeoutError');
    expect(spanNamed(spans, 'chat m').status.code).toBe(SpanStatusCode.ERROR);
    expect(spanNamed(spans, 'invoke_agent A').attributes['error.type']).toBe('ModelTimeoutError');
    expect(unended()).toEqual([]);
  });

  it('a stream guardrail that trips mid-answer: the chat span cut as cancelled, the run ERROR', async () => {
    const model = fakeModel([{ text: 'The secret code is 1234 and more', stall: true }], { name: 'm' });
    const agent = new Agent({
      name: 'A',
      model,
      streamGuardrails: [
        { name: 'no_codes', every: { characters: 5 }, execute: (text) => ({ tripwireTriggered: /\d/.test(text) }) },
      ],
    });
    expect(await rejection(runner.run(agent, 'Hi'))).toMatchObject({ name: 'OutputGuardrailTripwireTriggered' });

    const spans = otel.spans();
    expect(spanNamed(spans, 'chat m').attributes['rxjs_agents.cancelled']).toBe(true);
    const run = spanNamed(spans, 'invoke_agent A');
    expect(run.attributes['error.type']).toBe('OutputGuardrailTripwireTriggered');
    expect(run.events.filter((event) => event.name === 'rxjs_agents.guardrail').at(-1)?.attributes).toMatchObject({
      'rxjs_agents.guardrail.name': 'no_codes',
      'rxjs_agents.guardrail.kind': 'stream',
      'rxjs_agents.guardrail.tripwire_triggered': true,
    });
    expect(unended()).toEqual([]);
  });

  it('unsubscribing after a handoff ends the next agent’s span and the run’s, both cancelled', async () => {
    const model = fakeModel([{ toolCalls: [{ name: 'transfer_to_b' }] }, { text: 'Hel', stall: true }], { name: 'm' });
    const b = new Agent({ name: 'B', model });
    const seen: RunEvent[] = [];
    const subscription = runner
      .runStreamed(new Agent({ name: 'A', model, handoffs: [b] }), 'Hi')
      .subscribe((event) => seen.push(event));
    await until(() => seen.some((event) => event.type === 'text-delta'));
    subscription.unsubscribe();

    expect(unended()).toEqual([]);
    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent A', ['chat m', 'invoke_agent B', ['chat m']]]);
    expect(spanNamed(spans, 'invoke_agent B').attributes['rxjs_agents.run.outcome']).toBe('cancelled');
    expect(spanNamed(spans, 'invoke_agent A').attributes['rxjs_agents.run.outcome']).toBe('cancelled');
    expect(spans.map((span) => span.name).slice(-2)).toEqual(['invoke_agent B', 'invoke_agent A']);
  });

  it('unsubscribing while an agent called as a tool streams ends the nested run’s spans too', async () => {
    const inner = new Agent({ name: 'Inner', model: fakeModel([{ text: 'Hel', stall: true }], { name: 'inner' }) });
    const model = fakeModel([{ toolCalls: [{ name: 'ask_inner', arguments: { input: 'x' } }] }], { name: 'outer' });
    const seen: RunEvent[] = [];
    const subscription = runner
      .runStreamed(new Agent({ name: 'Outer', model, tools: [inner.asTool({ toolName: 'ask_inner' })] }), 'Hi')
      .subscribe((event) => seen.push(event));
    await until(() => seen.some((event) => event.type === 'text-delta'));
    subscription.unsubscribe();

    expect(unended()).toEqual([]);
    const spans = otel.spans();
    expect(spanTree(spans)).toEqual([
      'invoke_agent Outer',
      ['chat outer', 'execute_tool ask_inner', ['invoke_agent Inner', ['chat inner']]],
    ]);
    expect(spanNamed(spans, 'invoke_agent Inner').attributes['rxjs_agents.run.outcome']).toBe('cancelled');
    expect(spanNamed(spans, 'execute_tool ask_inner').attributes['rxjs_agents.cancelled']).toBe(true);
  });
});

/**
 * The GenAI client metrics under the real OpenTelemetry SDK's in-memory reader:
 * `gen_ai.client.operation.duration` per model call attempt (with `error.type` for a failed one),
 * `gen_ai.client.token.usage` by token type, with the conventions' attributes. Each test uses a
 * model of its own name, so that its data points are its own (the reader is cumulative).
 */
import { describe, expect, it } from 'vitest';
import { Agent, ModelProviderError, Runner } from '../../src/index.js';
import { openTelemetry } from '../../src/otel/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { histogramPoints, useOtel } from './otelHarness.js';

const otel = useOtel();
const runner = new Runner({
  tracing: openTelemetry({
    tracer: otel.tracerProvider.getTracer('spec'),
    meter: otel.meterProvider.getMeter('spec'),
  }),
});

/** The points of histogram `name` whose request model is `model`. */
async function pointsOf(name: string, model: string) {
  const metrics = await otel.metrics();
  return histogramPoints(metrics.get(name)).filter(
    (point) => (point.attributes as Record<string, unknown>)['gen_ai.request.model'] === model,
  );
}

describe('gen_ai.client.token.usage', () => {
  it('records each response’s input and output tokens, by gen_ai.token.type, with the call’s attributes', async () => {
    const model = fakeModel(
      [
        { toolCalls: [{ name: 'transfer_to_nobody' }], usage: { inputTokens: 10, outputTokens: 2 } },
        { text: 'Hi.', usage: { inputTokens: 30, outputTokens: 5 } },
      ],
      { name: 'usage-model' },
    );
    const nobody = new Agent({ name: 'Nobody', model });
    await runner.run(new Agent({ name: 'A', model, handoffs: [nobody] }), 'Hi');

    const points = await pointsOf('gen_ai.client.token.usage', 'usage-model');
    const common = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'usage-model',
      'gen_ai.request.model': 'usage-model',
    };
    expect(points).toEqual(
      expect.arrayContaining([
        { attributes: { ...common, 'gen_ai.token.type': 'input' }, count: 2, sum: 40 },
        { attributes: { ...common, 'gen_ai.token.type': 'output' }, count: 2, sum: 7 },
      ]),
    );
    expect(points).toHaveLength(2);
    const metrics = await otel.metrics();
    expect(metrics.get('gen_ai.client.token.usage')?.descriptor).toMatchObject({ unit: '{token}' });
  });

  it('records nothing for a call that failed before its response', async () => {
    const model = fakeModel([{ error: new ModelProviderError({ message: 'Bad gateway.', status: 502 }) }], {
      name: 'failed-usage-model',
    });
    await runner.run(new Agent({ name: 'A', model }), 'Hi').catch(() => undefined);
    expect(await pointsOf('gen_ai.client.token.usage', 'failed-usage-model')).toEqual([]);
  });
});

describe('gen_ai.client.operation.duration', () => {
  it('records one duration, in seconds, per model call', async () => {
    const model = fakeModel(['One.'], { name: 'duration-model' });
    await runner.run(new Agent({ name: 'A', model }), 'Hi');
    await runner.run(new Agent({ name: 'A', model: fakeModel(['Two.'], { name: 'duration-model' }) }), 'Hi');

    const points = await pointsOf('gen_ai.client.operation.duration', 'duration-model');
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'duration-model',
        'gen_ai.request.model': 'duration-model',
      },
      count: 2,
    });
    expect(points[0]!.sum).toBeGreaterThanOrEqual(0);
    expect(points[0]!.attributes).not.toHaveProperty('error.type');
    const metrics = await otel.metrics();
    expect(metrics.get('gen_ai.client.operation.duration')?.descriptor).toMatchObject({ unit: 's' });
  });

  it("gives a failed call's duration its error.type, apart from the successful retry's", async () => {
    const model = fakeModel(
      [{ error: new ModelProviderError({ message: 'Unavailable.', status: 503 }) }, { text: 'Hi.' }],
      { name: 'retried-model' },
    );
    await runner.run(new Agent({ name: 'A', model }), 'Hi', { retry: { maxRetries: 1, initialDelayMs: 0 } });

    const points = await pointsOf('gen_ai.client.operation.duration', 'retried-model');
    const errorTypes = points.map((point) => [
      (point.attributes as Record<string, unknown>)['error.type'],
      point.count,
    ]);
    expect(errorTypes).toEqual(
      expect.arrayContaining([
        ['ModelProviderError', 1],
        [undefined, 1],
      ]),
    );
    expect(points).toHaveLength(2);
  });

  it("gives a cancelled call's duration error.type 'cancelled'", async () => {
    const model = fakeModel([{ text: 'Hel', stall: true }], { name: 'cancelled-model' });
    const subscription = runner.runStreamed(new Agent({ name: 'A', model }), 'Hi').subscribe();
    subscription.unsubscribe();

    const points = await pointsOf('gen_ai.client.operation.duration', 'cancelled-model');
    expect(points.map((point) => (point.attributes as Record<string, unknown>)['error.type'])).toEqual(['cancelled']);
  });
});

describe('gen_ai.client.operation.time_to_first_chunk', () => {
  it('records the time to the first chunk of each streamed call, in seconds', async () => {
    await runner.run(new Agent({ name: 'A', model: fakeModel(['Hello there.'], { name: 'ttfc-model' }) }), 'Hi');
    const points = await pointsOf('gen_ai.client.operation.time_to_first_chunk', 'ttfc-model');
    expect(points).toEqual([
      expect.objectContaining({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'ttfc-model',
          'gen_ai.request.model': 'ttfc-model',
        },
        count: 1,
      }),
    ]);
  });
});

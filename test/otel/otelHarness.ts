/**
 * The real OpenTelemetry SDK, in memory, for the specs of `rxjs-agents/otel`: a tracer provider
 * whose spans go to an `InMemorySpanExporter`, a meter provider read by an in-memory metric
 * exporter, and Node's `AsyncLocalStorage` context manager, registered once per spec file.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll } from 'vitest';

export interface OtelHarness {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  /** The spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** The metrics recorded so far, by name. */
  metrics(): Promise<Map<string, MetricData>>;
}

/** Span names as a tree, children in start order: `['invoke_agent A', ['chat m', 'execute_tool t']]`. */
export type SpanTree = (string | SpanTree)[];

export function useOtel(): OtelHarness {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
  });
  afterEach(() => {
    exporter.reset();
  });
  afterAll(async () => {
    context.disable();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });
  return {
    tracerProvider,
    meterProvider,
    spans: () => exporter.getFinishedSpans(),
    metrics: async () => {
      const { resourceMetrics } = await reader.collect();
      const found = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics)
        for (const metric of scope.metrics) found.set(metric.descriptor.name, metric);
      return found;
    },
  };
}

/** The tree of `spans` under the root spans (those whose parent is not among them). */
export function spanTree(spans: readonly ReadableSpan[]): SpanTree {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const byStart = [...spans].sort((a, b) => compareTime(a.startTime, b.startTime));
  const childrenOf = (parent: string | undefined): SpanTree =>
    byStart
      .filter((span) => {
        const parentId = span.parentSpanContext?.spanId;
        return parent === undefined ? parentId === undefined || !ids.has(parentId) : parentId === parent;
      })
      .flatMap((span) => {
        const children = childrenOf(span.spanContext().spanId);
        return children.length > 0 ? [span.name, children] : [span.name];
      });
  return childrenOf(undefined);
}

/** The one ended span named `name` (fails the test when there is not exactly one). */
export function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1)
    throw new Error(`expected one span '${name}', found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

/** The data points of a histogram, as `{ attributes, count, sum }`. */
export function histogramPoints(metric: MetricData | undefined): { attributes: object; count: number; sum: number }[] {
  if (!metric) return [];
  return (metric as HistogramMetricData).dataPoints.map((point) => ({
    attributes: point.attributes,
    count: point.value.count,
    sum: point.value.sum ?? 0,
  }));
}

function compareTime(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

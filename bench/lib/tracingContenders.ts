/**
 * The runs that part 5 (see tracing.ts) times with tracing off and on: the in-process pipeline of
 * part 2 (a synchronous synthetic model) and the replayed Responses answer of part 1 (the OpenAI
 * model on a `fetch` of recorded bytes, so the raw events the `chat` span reads are real), each
 * without `tracing`, with `openTelemetry()` and with `openTelemetry({ captureContent: true })`.
 *
 * "On" is a real SDK, set up as a Node server would: a `TracerProvider` whose spans go through a
 * `BatchSpanProcessor` to an exporter that drops them, a `MeterProvider` read by a reader whose
 * exporter drops the metrics, and the `AsyncLocalStorage` context manager, so that every
 * `context.with` of the chat span costs what it costs in production.
 */
import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import type { Observable } from 'rxjs';
import { Agent, OpenAIResponsesModel, runStreamed, type Tracing } from 'rxjs-agents';
import { bufferTokens, filterTextDeltas } from 'rxjs-agents/operators';
import { openTelemetry } from 'rxjs-agents/otel';
import { apiKey } from './wireContenders.js';
import { syncModel, textModelEvents } from './syntheticModels.js';

export interface TracingContender {
  readonly name: string;
  /** `off` is the baseline of the ratios; `seam` a `Tracing` that does nothing (the runner's side alone). */
  readonly tracing: 'off' | 'seam' | 'on' | 'content';
  /** Runs once; resolves with the number of characters the sink received. */
  run(): number | Promise<number>;
}

/** The SDK behind "on", and how many spans it was handed (so a run that traced nothing shows). */
export interface OtelSdk {
  readonly tracer: Tracer;
  readonly meterProvider: MeterProvider;
  spansExported(): number;
  shutdown(): Promise<void>;
}

const success = { code: 0 } as const; // ExportResultCode.SUCCESS

export function startOtelSdk(): OtelSdk {
  let exported = 0;
  // A no-op exporter: it counts what it is handed and reports success, as a fast collector would.
  const exporter: SpanExporter = {
    export: (spans, done) => {
      exported += spans.length;
      done(success);
    },
    shutdown: () => Promise.resolve(),
  };
  // Batch, not Simple: the processor a production server registers (it hands spans to the exporter
  // off the run's path, in batches). With two or three spans per run the choice weighs little.
  const tracerProvider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
  const metricExporter: PushMetricExporter = {
    export: (_metrics, done) => done(success),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return {
    tracer: tracerProvider.getTracer('bench'),
    meterProvider,
    spansExported: () => exported,
    shutdown: async () => {
      await tracerProvider.forceFlush();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
    },
  };
}

function tracings(sdk: OtelSdk): Record<TracingContender['tracing'], Tracing | undefined> {
  const meter = sdk.meterProvider.getMeter('bench');
  return {
    off: undefined,
    seam: passThrough,
    on: openTelemetry({ tracer: sdk.tracer, meter }),
    content: openTelemetry({ tracer: sdk.tracer, meter, captureContent: true }),
  };
}

/** A `Tracing` that watches nothing: what the runner's calls into a tracer cost, without OpenTelemetry. */
const passThrough: Tracing = {
  startRun: () => ({
    event: () => undefined,
    modelCall: (_call, attempt) => attempt,
    toolCall: (_call, execution) => execution,
    end: () => undefined,
  }),
};

const label = {
  off: 'tracing off',
  seam: 'a Tracing that does nothing',
  on: 'openTelemetry()',
  content: 'openTelemetry({ captureContent: true })',
};

/** Subscribes and sums the chunks' lengths; the synthetic pipeline completes synchronously. */
function drainSync(chunks: Observable<string>): number {
  let chars = 0;
  let completed = false;
  chunks.subscribe({ next: (chunk) => (chars += chunk.length), complete: () => (completed = true) });
  if (!completed) throw new Error('expected a synchronous pipeline');
  return chars;
}

function drain(chunks: Observable<string>): Promise<number> {
  return new Promise((resolve, reject) => {
    let chars = 0;
    chunks.subscribe({ next: (chunk) => (chars += chunk.length), error: reject, complete: () => resolve(chars) });
  });
}

/** Part 2's rxjs-agents pipeline: `runStreamed → filterTextDeltas → bufferTokens(size)` over `deltas`. */
export function pipelineTracingContenders(sdk: OtelSdk, deltas: readonly string[], size: number): TracingContender[] {
  const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model: syncModel(textModelEvents(deltas)) });
  return Object.entries(tracings(sdk)).map(([key, tracing]) => ({
    name: `pipeline, ${label[key as TracingContender['tracing']]}`,
    tracing: key as TracingContender['tracing'],
    run: () => drainSync(runStreamed(agent, 'Hi', { tracing }).pipe(filterTextDeltas(), bufferTokens(size))),
  }));
}

/** Part 1's replayed answer: the OpenAI Responses model on `fetchImpl`, `runStreamed → filterTextDeltas`. */
export function replayTracingContenders(sdk: OtelSdk, baseURL: string, fetchImpl: typeof fetch): TracingContender[] {
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, fetch: fetchImpl });
  const agent = new Agent({
    name: 'Assistant',
    instructions: 'You are a helpful assistant.',
    model: new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client }),
  });
  return Object.entries(tracings(sdk)).map(([key, tracing]) => ({
    name: `replayed answer, ${label[key as TracingContender['tracing']]}`,
    tracing: key as TracingContender['tracing'],
    run: () => drain(runStreamed(agent, 'Tell me a long story.', { tracing }).pipe(filterTextDeltas())),
  }));
}

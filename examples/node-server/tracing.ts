/**
 * OpenTelemetry for the example server, only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (for
 * example `http://localhost:4318`, the OTLP/HTTP port of a collector, Jaeger or Grafana Tempo):
 * the run's spans (`invoke_agent …`, `chat …`, `execute_tool …`) and the model's HTTP requests
 * (`@opentelemetry/instrumentation-undici`, under their `chat` span) go there in OTLP/HTTP.
 *
 * Without the variable nothing of OpenTelemetry is loaded: the packages are imported here, on
 * demand, and the server runs with no tracing.
 */
import type { Tracing } from 'rxjs-agents';

export interface ExampleTracing {
  /** What the server's `Runner` traces its runs with. */
  readonly tracing: Tracing;
  /** Exports the spans not yet sent, then stops: call it before the process exits. */
  shutdown(): Promise<void>;
}

/** The server's tracing when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, `undefined` otherwise. */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<ExampleTracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const [
    api,
    { AsyncLocalStorageContextManager },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    sdk,
    undici,
    otel,
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/instrumentation-undici'),
    import('rxjs-agents/otel'),
  ]);

  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'rxjs-agents-example' }),
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and its headers) and posts to …/v1/traces.
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  api.trace.setGlobalTracerProvider(provider);
  // The context manager is what carries the chat span to the HTTP request made inside it.
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Traces every fetch (the openai client's among them) as a CLIENT span; it enables itself.
  const instrumentation = new undici.UndiciInstrumentation();
  instrumentation.setTracerProvider(provider);

  return {
    tracing: otel.openTelemetry({ captureContent: env.OTEL_CAPTURE_CONTENT === 'true' }),
    async shutdown() {
      instrumentation.disable();
      await provider.shutdown(); // flushes the batch first
    },
  };
}

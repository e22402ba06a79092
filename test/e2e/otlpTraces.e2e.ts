/**
 * examples/node-server with `OTEL_EXPORTER_OTLP_ENDPOINT` set: its runs' traces arrive, over
 * OTLP/HTTP, at a collector — here a tiny one in the test that keeps every `POST /v1/traces` body
 * (the exporter's JSON encoding) — with the model's HTTP request under its `chat` span.
 */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { root, startExampleServerProcess, type ExampleServerProcess } from './helpers.js';

/** A span as OTLP/JSON carries it (the fields read here). */
interface OtlpSpan {
  readonly name: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly kind: number;
  readonly attributes: readonly { readonly key: string; readonly value: Record<string, unknown> }[];
}

interface OtlpExport {
  readonly resourceSpans: readonly {
    readonly resource: { readonly attributes: OtlpSpan['attributes'] };
    readonly scopeSpans: readonly { readonly spans: readonly OtlpSpan[] }[];
  }[];
}

interface Collector {
  readonly url: string;
  readonly exports: OtlpExport[];
  readonly paths: string[];
  close(): Promise<void>;
}

async function startCollector(): Promise<Collector> {
  const exports: OtlpExport[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      if (req.method === 'POST' && req.url === '/v1/traces') {
        exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const spansOf = (exports: readonly OtlpExport[]): OtlpSpan[] =>
  exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
const stringAttribute = (span: Pick<OtlpSpan, 'attributes'>, key: string): unknown =>
  span.attributes.find((a) => a.key === key)?.value.stringValue;

describe('The example server with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let collector: Collector | undefined;
  let server: ExampleServerProcess | undefined;
  afterEach(async () => {
    await server?.close();
    await collector?.close();
  });

  it('exports a run as invoke_agent → chat → the HTTP request, over OTLP/HTTP, by the time it shuts down', async () => {
    collector = await startCollector();
    server = await startExampleServerProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'travel-example',
      OFFLINE_DELAY_MS: '1',
    });
    const response = await fetch(new URL('api/chat', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Somewhere warm in spring?' }),
    });
    const events = await response.text();
    expect(events).toContain('final-output');
    // SIGTERM: the example closes its server, then flushes the batch of spans before it exits.
    await server.close();
    server = undefined;

    expect(collector.paths.every((path) => path.startsWith('POST /v1/traces application/json'))).toBe(true);
    const spans = spansOf(collector.exports);
    const run = spans.find((span) => span.name === 'invoke_agent Travel agent');
    const chat = spans.find((span) => span.name === 'chat offline-travel-agent');
    expect(run, spans.map((span) => span.name).join(', ')).toBeDefined();
    expect(chat?.parentSpanId).toBe(run?.spanId);
    // The openai client's fetch, traced by the undici instrumentation, inside the chat span.
    const http = spans.find((span) => span.parentSpanId === chat?.spanId);
    expect(http?.name).toBe('POST');
    expect(http?.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(
      stringAttribute(collector.exports[0]?.resourceSpans[0]?.resource ?? { attributes: [] }, 'service.name'),
    ).toBe('travel-example');
  });

  it('loads OpenTelemetry only then: every import of it in the example is dynamic', async () => {
    const { metafile } = await build({
      entryPoints: [`${root}examples/node-server/main.ts`],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
    const otel = imports.filter((i) => i.path.startsWith('@opentelemetry/') || i.path === 'rxjs-agents/otel');
    expect(otel.map((i) => i.path).sort()).toEqual([
      '@opentelemetry/api',
      '@opentelemetry/context-async-hooks',
      '@opentelemetry/exporter-trace-otlp-http',
      '@opentelemetry/instrumentation-undici',
      '@opentelemetry/resources',
      '@opentelemetry/sdk-trace',
      'rxjs-agents/otel',
    ]);
    expect(new Set(otel.map((i) => i.kind))).toEqual(new Set(['dynamic-import']));
  });
});

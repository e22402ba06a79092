/**
 * The travel agent behind a Node HTTP server, with a browser page and an Angular app on top.
 *
 *   npm run example:server                      offline: a local model server streams a scripted answer
 *   OPENAI_API_KEY=sk-… npm run example:server  live, on OpenAI's Responses API (honours OPENAI_BASE_URL)
 *   OPENAI_API_KEY=ollama OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_MODEL=llama3.2 \
 *     RXJS_AGENTS_API=chat npm run example:server   live, on Chat Completions
 *
 * PORT (default 3000, 0 for any free port) and HOST (default 127.0.0.1) choose where it listens;
 * OFFLINE_DELAY_MS (default 50) how slowly the offline answer streams.
 *
 * OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) sends the runs' OpenTelemetry traces
 * there over OTLP/HTTP (see tracing.ts); OTEL_SERVICE_NAME names the service (default
 * rxjs-agents-example), OTEL_CAPTURE_CONTENT=true records the messages too.
 */
import { fileURLToPath } from 'node:url';
import { startExampleServer } from './server.js';
import { startTracing } from './tracing.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const live = process.env.OPENAI_API_KEY
  ? {
      api: process.env.RXJS_AGENTS_API === 'chat' ? ('chat' as const) : ('responses' as const),
      model: process.env.OPENAI_MODEL ?? 'gpt-4.1-mini',
    }
  : undefined;

// Before the server: the tracer provider and the fetch instrumentation are in place for the first run.
const tracing = await startTracing();

const server = await startExampleServer({
  ...(tracing === undefined ? {} : { tracing: tracing.tracing }),
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  ...(live === undefined ? {} : { live }),
  ...(process.env.OFFLINE_DELAY_MS === undefined ? {} : { offlineDelayMs: Number(process.env.OFFLINE_DELAY_MS) }),
  staticMounts: [
    {
      prefix: '/angular/',
      dir: here('../angular/dist/browser'),
      missingHint: 'run `npm run example:angular:build` (it installs the Angular example and builds it).',
      spa: true,
    },
    { prefix: '/', dir: here('../browser/dist'), missingHint: 'run `npm run example:browser:build`.' },
  ],
});

console.log(
  live === undefined
    ? `Offline: the model is a local server at ${server.offline?.url} that streams a scripted answer (set OPENAI_API_KEY to go live).`
    : `Live: ${live.model} on ${live.api === 'chat' ? 'Chat Completions' : 'the Responses API'}${process.env.OPENAI_BASE_URL ? ` at ${process.env.OPENAI_BASE_URL}` : ''}.`,
);
console.log(`Browser page: ${server.url}`);
console.log(`Angular app:  ${server.url}angular/`);
if (tracing !== undefined) console.log(`Tracing: OTLP/HTTP to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}.`);
console.log(`Server ready at ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // The server first (its runs end, and end their spans), then the spans still in the batch.
    void server
      .close()
      .then(() => tracing?.shutdown())
      .then(() => process.exit(0));
  });
}

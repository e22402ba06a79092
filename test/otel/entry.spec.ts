/**
 * What loads OpenTelemetry: the main entry never does (tracing is the `Tracing` interface of
 * src/tracing.ts, which names no OpenTelemetry type), and `rxjs-agents/otel` loads only
 * `@opentelemetry/api`, the optional peer dependency: never an SDK, an exporter or an
 * instrumentation, which are the application's to choose.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

async function importsOf(entry: string) {
  const { metafile } = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    // Every package stays external, so that what an entry imports of each is listed.
    packages: 'external',
    external: ['node:*'],
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(metafile.outputs).flatMap((output) => output.imports);
}

describe('OpenTelemetry is loaded', () => {
  it('never by the main entry', async () => {
    const paths = (await importsOf('../../src/index.ts')).map((imported) => imported.path);
    expect(paths).toContain('rxjs'); // the packages it imports are listed…
    expect(paths.filter((path) => path.startsWith('@opentelemetry'))).toEqual([]); // …and none is OpenTelemetry
  });

  it('by rxjs-agents/otel: @opentelemetry/api only, statically', async () => {
    const imports = await importsOf('../../src/otel/index.ts');
    const otel = imports.filter((imported) => imported.path.startsWith('@opentelemetry'));
    expect([...new Set(otel.map((imported) => `${imported.path} (${imported.kind})`))]).toEqual([
      '@opentelemetry/api (import-statement)',
    ]);
  });
});

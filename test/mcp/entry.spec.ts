/**
 * What loads the MCP SDK: the main entry never does (agents hold servers by the `McpServer` type
 * only), and `rxjs-agents/mcp` only when a server connects, so that a browser bundle with
 * `mcpServerStreamableHttp` does not take the stdio transport (and `node:child_process`) with it.
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
    external: ['openai', 'rxjs', 'zod', '@modelcontextprotocol/sdk', 'node:*'],
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(metafile.outputs).flatMap((output) => output.imports);
}

describe('the MCP SDK is loaded', () => {
  it('never by the main entry', async () => {
    const imports = await importsOf('../../src/index.ts');
    expect(imports.filter((imported) => imported.path.startsWith('@modelcontextprotocol'))).toEqual([]);
  });

  it('by rxjs-agents/mcp only dynamically, when a server connects', async () => {
    const imports = await importsOf('../../src/mcp/index.ts');
    const sdk = imports.filter((imported) => imported.path.startsWith('@modelcontextprotocol'));
    expect(sdk.map((imported) => imported.path).sort()).toEqual([
      '@modelcontextprotocol/sdk/client/index.js',
      '@modelcontextprotocol/sdk/client/stdio.js',
      '@modelcontextprotocol/sdk/client/streamableHttp.js',
    ]);
    expect(new Set(sdk.map((imported) => imported.kind))).toEqual(new Set(['dynamic-import']));
  });
});

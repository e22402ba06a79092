/**
 * The real MCP servers the MCP specs start (dev dependencies, no network): the reference
 * "everything" server over stdio or streamable HTTP, and the filesystem server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { mcpServerStdio, type McpServerStdio, type McpServerStdioOptions } from '../../src/mcp/index.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The everything server's entry (`dist/index.js`; its first argument picks the transport). */
export const everythingEntry = join(packageDir('@modelcontextprotocol/server-everything'), 'dist', 'index.js');
/** The filesystem server's entry; its arguments are the folders it may touch. */
export const filesystemEntry = join(packageDir('@modelcontextprotocol/server-filesystem'), 'dist', 'index.js');

/** The everything server over stdio, run with this Node (not connected). */
export function everythingStdio(options: Partial<McpServerStdioOptions> = {}): McpServerStdio {
  return mcpServerStdio({
    command: process.execPath,
    args: [everythingEntry, 'stdio'],
    name: 'everything',
    ...options,
  });
}

/** Whether the process `pid` is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port nothing listens on now (the everything server takes its port from `PORT` only). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The everything server in streamable HTTP mode, in a child process; `url` is its MCP endpoint. */
export interface EverythingHttp {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the everything server's streamable HTTP transport on a free port (it reads `PORT` and
 * logs `listening on port N` to stderr when it listens), and resolves once it listens.
 */
export async function startEverythingHttp(): Promise<EverythingHttp> {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingEntry, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('listening on port')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the everything server exited (${String(code)}): ${log}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

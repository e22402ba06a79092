import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InvalidArgumentError } from '../errors.js';
import {
  checkCommonOptions,
  checkStringRecord,
  SdkServer,
  type McpServerCommonOptions,
  type SdkMcpServer,
} from './sdkServer.js';

/** The options of {@link mcpServerStdio}. */
export interface McpServerStdioOptions extends McpServerCommonOptions {
  /** The program that runs the server, such as `'npx'` or `process.execPath`. */
  readonly command: string;
  /** Its arguments (default none). */
  readonly args?: readonly string[];
  /**
   * Environment variables for it, added to the few the MCP SDK passes on by default (`HOME`,
   * `PATH`, `USER`…): the rest of this process's environment (API keys) is not passed.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** The directory it runs in (default this process's). */
  readonly cwd?: string;
}

/** An MCP server run as a child process that speaks MCP on its stdin and stdout. */
export interface McpServerStdio extends SdkMcpServer {
  /** The child process's id while it runs (`undefined` before `connect()` and after `close()`). */
  readonly pid: number | undefined;
}

class StdioServer extends SdkServer implements McpServerStdio {
  get pid(): number | undefined {
    return (this.transport as StdioClientTransport | undefined)?.pid ?? undefined;
  }
}

/**
 * An MCP server started as a child process on `connect()` (by a run that finds it not connected,
 * or by you) and ended by `close()` (or that run's end). Its tools are offered to an agent that
 * lists it in `mcpServers`.
 *
 * ```ts
 * const files = mcpServerStdio({
 *   command: 'npx',
 *   args: ['-y', '@modelcontextprotocol/server-filesystem', './docs'],
 *   toolFilter: ['read_text_file', 'list_directory'],
 * });
 * const agent = new Agent({ name: 'Librarian', mcpServers: [files] });
 * ```
 *
 * Node only (it spawns a process). A command that cannot be started, or a server that exits, fails
 * the run with an `McpServerError` naming the server.
 *
 * @throws InvalidArgumentError naming the option that is wrong.
 */
export function mcpServerStdio(options: McpServerStdioOptions): McpServerStdio {
  const where = 'mcpServerStdio()';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: `${where} takes an object { command, args }.` });
  }
  const { command, args = [], env, cwd } = options;
  if (typeof command !== 'string' || command === '') {
    throw new InvalidArgumentError({ argument: 'command', message: `${where}: command must be a non-empty string.` });
  }
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    throw new InvalidArgumentError({ argument: 'args', message: `${where}: args must be an array of strings.` });
  }
  checkStringRecord(env, 'env', where);
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) {
    throw new InvalidArgumentError({ argument: 'cwd', message: `${where}: cwd must be a non-empty string.` });
  }
  checkCommonOptions(options, where);
  const params = { command, args: args.slice(), ...(env ? { env: { ...env } } : {}), ...(cwd ? { cwd } : {}) };
  return new StdioServer(options.name ?? `stdio: ${command}`, options, async () => {
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    return new StdioClientTransport(params);
  });
}

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { InvalidArgumentError, McpServerError } from '../errors.js';
import type { McpCallToolResult, McpServer, McpToolDefinition } from '../mcpServer.js';

/** Which of a server's tools an agent offers: a list of names, or a predicate on each tool. */
export type McpToolFilter = readonly string[] | ((tool: McpToolDefinition) => boolean);

/** The options both kinds of server take. */
export interface McpServerCommonOptions {
  /** The server's name, for errors (default: made from the command or the URL). */
  readonly name?: string;
  /**
   * Whether `listTools()` keeps the first list it got (default `true`): later runs, and later
   * connections, reuse it. With `false` every run lists the tools again. `invalidateToolsCache()`
   * drops the list kept.
   */
  readonly cacheToolsList?: boolean;
  /** Which tools to offer (default: all): their names, or a predicate. */
  readonly toolFilter?: McpToolFilter;
}

/** An MCP server of `rxjs-agents/mcp`: an {@link McpServer} whose kept tool list can be dropped. */
export interface SdkMcpServer extends McpServer {
  /** Drops the tool list kept by `cacheToolsList`: the next `listTools()` asks the server. */
  invalidateToolsCache(): void;
}

/** The MCP SDK's `Client`, loaded when a server first connects (the SDK is an optional peer). */
async function loadClient(): Promise<typeof Client> {
  try {
    return (await import('@modelcontextprotocol/sdk/client/index.js')).Client;
  } catch (cause) {
    throw new McpServerError({
      serverName: 'rxjs-agents/mcp',
      operation: 'connect',
      message: 'the MCP SDK could not be loaded: install it (npm install @modelcontextprotocol/sdk).',
      cause,
    });
  }
}

/**
 * The part of a server the transports share: the MCP client over a transport made on `connect()`,
 * the tool list (filtered, cached), and calls whose failures are told apart — a server that is
 * gone or could not be reached is an `McpServerError`; an error the server answered with (a
 * JSON-RPC error: unknown tool, invalid parameters) stays the SDK's `McpError`, a tool error the
 * model reads.
 */
export class SdkServer implements SdkMcpServer {
  readonly name: string;
  readonly #cacheToolsList: boolean;
  readonly #filter: ((tool: McpToolDefinition) => boolean) | undefined;
  readonly #makeTransport: () => Promise<Transport>;
  #client: Client | undefined;
  #transport: Transport | undefined;
  #connecting: Promise<void> | undefined;
  #tools: readonly McpToolDefinition[] | undefined;

  constructor(name: string, options: McpServerCommonOptions, makeTransport: () => Promise<Transport>) {
    this.name = name;
    this.#cacheToolsList = options.cacheToolsList ?? true;
    this.#filter = toolFilter(options.toolFilter);
    this.#makeTransport = makeTransport;
  }

  get connected(): boolean {
    return this.#client !== undefined && this.#connecting === undefined;
  }

  /** The transport while connected, for what a kind of server reads of it (a child's pid). */
  protected get transport(): Transport | undefined {
    return this.#transport;
  }

  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    const ClientClass = await loadClient();
    const transport = await this.#makeTransport();
    const client = new ClientClass({ name: 'rxjs-agents', version: '0.1.0' });
    client.onclose = () => {
      if (this.#client === client) this.#client = undefined;
    };
    this.#transport = transport;
    this.#client = client;
    try {
      await client.connect(transport);
    } catch (cause) {
      this.#client = undefined;
      this.#transport = undefined;
      await client.close().catch(() => undefined);
      throw this.#failed('connect', cause);
    }
  }

  async close(): Promise<void> {
    if (this.#connecting) await this.#connecting.catch(() => undefined);
    const client = this.#client;
    const transport = this.#transport;
    this.#client = undefined;
    this.#transport = undefined;
    if (!client) return;
    await this.beforeClose(transport);
    await client.close();
  }

  /** What a kind of server does before its client closes (an HTTP session is ended). */
  protected async beforeClose(_transport: Transport | undefined): Promise<void> {}

  invalidateToolsCache(): void {
    this.#tools = undefined;
  }

  async listTools(): Promise<readonly McpToolDefinition[]> {
    if (this.#cacheToolsList && this.#tools) return this.#tools;
    const client = this.#connectedClient('listTools');
    const tools: McpToolDefinition[] = [];
    try {
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor });
        for (const listed of page.tools) {
          tools.push({
            name: listed.name,
            ...(listed.description === undefined ? {} : { description: listed.description }),
            inputSchema: listed.inputSchema,
          });
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    } catch (cause) {
      throw this.#failed('listTools', cause);
    }
    const offered = this.#filter ? tools.filter(this.#filter) : tools;
    if (this.#cacheToolsList) this.#tools = offered;
    return offered;
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<McpCallToolResult> {
    const client = this.#connectedClient('callTool', name);
    const { signal } = options;
    try {
      return (await client.callTool(
        { name, arguments: args },
        undefined,
        signal ? { signal } : {},
      )) as McpCallToolResult;
    } catch (cause) {
      // Our own cancellation, or an error the server answered with: not the server failing.
      if (signal?.aborted || isAnsweredError(cause)) throw cause;
      throw this.#failed('callTool', cause, name);
    }
  }

  #connectedClient(operation: 'listTools' | 'callTool', toolName?: string): Client {
    if (this.#client && this.#connecting === undefined) return this.#client;
    throw new McpServerError({
      serverName: this.name,
      operation,
      ...(toolName === undefined ? {} : { toolName }),
      message: 'the server is not connected (connect() was not called, or it has closed or exited).',
    });
  }

  #failed(operation: 'connect' | 'listTools' | 'callTool', cause: unknown, toolName?: string): McpServerError {
    if (McpServerError.isInstance(cause)) return cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    const gone = isConnectionClosed(cause) ? 'the server closed the connection (it exited or went away)' : why;
    return new McpServerError({
      serverName: this.name,
      operation,
      ...(toolName === undefined ? {} : { toolName }),
      message: gone,
      cause,
    });
  }
}

/** The SDK's `McpError` of code -32000 (`ConnectionClosed`): the transport closed under a request. */
function isConnectionClosed(error: unknown): boolean {
  return error instanceof Error && error.name === 'McpError' && (error as { code?: unknown }).code === -32000;
}

/** A JSON-RPC error the server answered with (the SDK's `McpError`), other than the connection closing or a timeout. */
function isAnsweredError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'McpError') return false;
  const { code } = error as { code?: unknown };
  return code !== -32000 && code !== -32001;
}

function toolFilter(filter: McpToolFilter | undefined): ((tool: McpToolDefinition) => boolean) | undefined {
  if (filter === undefined || typeof filter === 'function') return filter;
  const names = new Set(filter);
  return (tool) => names.has(tool.name);
}

/** Checks the options both kinds of server take. */
export function checkCommonOptions(options: McpServerCommonOptions, where: string): void {
  const { name, cacheToolsList, toolFilter: filter } = options;
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new InvalidArgumentError({ argument: 'name', message: `${where}: name must be a non-empty string.` });
  }
  if (cacheToolsList !== undefined && typeof cacheToolsList !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'cacheToolsList',
      message: `${where}: cacheToolsList must be true or false.`,
    });
  }
  if (
    filter !== undefined &&
    typeof filter !== 'function' &&
    !(Array.isArray(filter) && filter.every((entry) => typeof entry === 'string'))
  ) {
    throw new InvalidArgumentError({
      argument: 'toolFilter',
      message: `${where}: toolFilter must be a list of tool names or a function (tool) => boolean.`,
    });
  }
}

/** Checks that `value` is an object of string values (environment variables, headers). */
export function checkStringRecord(value: unknown, argument: string, where: string): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string');
  if (!ok) {
    throw new InvalidArgumentError({
      argument,
      message: `${where}: ${argument} must be an object of string values.`,
    });
  }
}

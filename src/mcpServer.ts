import type { JsonSchema } from './model.js';

/**
 * A tool as an MCP server lists it (`tools/list`): its name, what it does, and the JSON schema of
 * its arguments, which the model is offered as it is and the server validates.
 */
export interface McpToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** The JSON schema of the arguments object (`{ type: 'object', properties, required }`). */
  readonly inputSchema: JsonSchema;
}

/**
 * What an MCP server answers to `tools/call`: content parts (`{ type: 'text', text }`, images,
 * resources…), optionally structured content, and `isError` for a tool that failed.
 */
export interface McpCallToolResult {
  readonly content?: readonly { readonly type: string; readonly [key: string]: unknown }[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
}

/**
 * An MCP server whose tools an agent offers the model (the agent's `mcpServers`). Make one with
 * `mcpServerStdio()` or `mcpServerStreamableHttp()` from `rxjs-agents/mcp`; this type lives in the
 * main entry so that agents can hold servers without the main entry loading the MCP SDK.
 *
 * A run that finds a server not connected connects it and closes it when the run ends (it
 * completes, fails or is unsubscribed); a server the user connected stays open until the user
 * calls `close()`. Connect a server yourself when several runs share it at once.
 */
export interface McpServer {
  /** The server's name, for errors and logs. */
  readonly name: string;
  /** Whether `connect()` has succeeded and `close()` has not been called since. */
  readonly connected: boolean;
  /** Starts the server (stdio) or opens the session (HTTP), and initializes MCP. */
  connect(): Promise<void>;
  /** Ends the connection: a stdio server's child process exits. */
  close(): Promise<void>;
  /** The server's tools, after its `toolFilter`; cached unless `cacheToolsList` is `false`. */
  listTools(): Promise<readonly McpToolDefinition[]>;
  /**
   * Calls a tool. Aborting `signal` cancels the request (the server is sent
   * `notifications/cancelled`).
   */
  callTool(
    name: string,
    args: Record<string, unknown>,
    options?: { readonly signal?: AbortSignal },
  ): Promise<McpCallToolResult>;
}

/** Whether `value` has the shape of an {@link McpServer}. */
export function isMcpServer(value: unknown): value is McpServer {
  if (typeof value !== 'object' || value === null) return false;
  const server = value as Record<string, unknown>;
  return (
    typeof server.name === 'string' &&
    typeof server.connect === 'function' &&
    typeof server.close === 'function' &&
    typeof server.listTools === 'function' &&
    typeof server.callTool === 'function'
  );
}

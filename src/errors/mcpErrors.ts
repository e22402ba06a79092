import { AgentsError, type AgentsErrorOptions } from './agentsError.js';

// The errors of an MCP server: one that could not be started or reached, or that went away.

/** What was being done with an MCP server when it failed. */
export type McpServerOperation = 'connect' | 'listTools' | 'callTool';

const mcpServerMarker = 'rxjs-agents.error.McpServerError';
const mcpServerSymbol = Symbol.for(mcpServerMarker);

/**
 * An MCP server failed: it could not be started (a command that does not exist, a URL nothing
 * answers), it exited or closed the connection, or it answered a request with a protocol error.
 * `serverName` and `operation` say which server and what was being done; `cause` is the MCP SDK's
 * (or the transport's) own error.
 *
 * A run whose MCP server fails fails with this error and its `partial`, whatever its
 * `toolErrors`: a server that is gone cannot answer the next call either. (A tool that answers
 * with `isError: true` is not this: that is a tool error, reported to the model.)
 */
export class McpServerError extends AgentsError {
  private readonly [mcpServerSymbol] = true;
  /** The name of the server that failed. */
  readonly serverName: string;
  /** What was being done with it. */
  readonly operation: McpServerOperation;
  /** The tool being called, for a `callTool` failure. */
  readonly toolName: string | undefined;

  constructor({
    serverName,
    operation,
    toolName,
    message,
    cause,
  }: AgentsErrorOptions & {
    serverName: string;
    operation: McpServerOperation;
    toolName?: string;
    message: string;
  }) {
    const what = operation === 'callTool' && toolName !== undefined ? `callTool('${toolName}')` : `${operation}()`;
    super({ message: `MCP server '${serverName}': ${what} failed: ${message}`, cause });
    this.serverName = serverName;
    this.operation = operation;
    this.toolName = toolName;
  }

  /** Whether `error` is an `McpServerError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is McpServerError {
    return AgentsError.hasMarker(error, mcpServerMarker);
  }
}

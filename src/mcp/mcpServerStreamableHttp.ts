import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { InvalidArgumentError } from '../errors.js';
import {
  checkCommonOptions,
  checkStringRecord,
  SdkServer,
  type McpServerCommonOptions,
  type SdkMcpServer,
} from './sdkServer.js';

/** The options of {@link mcpServerStreamableHttp}. */
export interface McpServerStreamableHttpOptions extends McpServerCommonOptions {
  /** The server's MCP endpoint, such as `'https://example.com/mcp'`. */
  readonly url: string | URL;
  /** Headers sent with every request (an `Authorization` header, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An MCP server reached over streamable HTTP. */
export type McpServerStreamableHttp = SdkMcpServer;

class StreamableHttpServer extends SdkServer {
  /** Ends the server's session (an HTTP `DELETE`), so it can let go of it; a server that cannot is let be. */
  protected override async beforeClose(transport: Transport | undefined): Promise<void> {
    await (transport as StreamableHTTPClientTransport | undefined)?.terminateSession().catch(() => undefined);
  }
}

/**
 * An MCP server reached over streamable HTTP: `connect()` opens an MCP session (a run that finds
 * the server not connected opens it and ends it when the run ends), `close()` ends it.
 *
 * ```ts
 * const docs = mcpServerStreamableHttp({
 *   url: 'https://mcp.example.com/mcp',
 *   headers: { Authorization: `Bearer ${token}` },
 * });
 * const agent = new Agent({ name: 'Support', mcpServers: [docs] });
 * ```
 *
 * A URL nothing answers, or a server that goes away, fails the run with an `McpServerError`
 * naming the server.
 *
 * @throws InvalidArgumentError naming the option that is wrong.
 */
export function mcpServerStreamableHttp(options: McpServerStreamableHttpOptions): McpServerStreamableHttp {
  const where = 'mcpServerStreamableHttp()';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: `${where} takes an object { url, headers }.` });
  }
  const { url, headers } = options;
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch (cause) {
    throw new InvalidArgumentError({
      argument: 'url',
      message: `${where}: url must be an absolute URL; got ${JSON.stringify(String(url))}.`,
      cause,
    });
  }
  checkStringRecord(headers, 'headers', where);
  checkCommonOptions(options, where);
  const requestInit = headers ? { headers: { ...headers } } : undefined;
  return new StreamableHttpServer(options.name ?? `streamable-http: ${endpoint.origin}`, options, async () => {
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    return new StreamableHTTPClientTransport(endpoint, requestInit ? { requestInit } : {});
  });
}

// `rxjs-agents/mcp`: MCP servers whose tools agents offer the model (`mcpServers`), over the
// official `@modelcontextprotocol/sdk`, an optional peer dependency loaded when a server connects.

export type { McpCallToolResult, McpServer, McpToolDefinition } from '../mcpServer.js';
export { mcpServerStdio } from './mcpServerStdio.js';
export type { McpServerStdio, McpServerStdioOptions } from './mcpServerStdio.js';
export { mcpServerStreamableHttp } from './mcpServerStreamableHttp.js';
export type { McpServerStreamableHttp, McpServerStreamableHttpOptions } from './mcpServerStreamableHttp.js';
export type { McpServerCommonOptions, McpToolFilter, SdkMcpServer } from './sdkServer.js';

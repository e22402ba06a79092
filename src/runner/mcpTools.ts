import { z } from 'zod';
import { McpServerError } from '../errors.js';
import type { McpCallToolResult, McpServer, McpToolDefinition } from '../mcpServer.js';
import type { FunctionToolSpec } from '../model.js';
import { toolFromSpec, type AnyTool } from '../tool.js';

/**
 * The arguments an MCP tool is given: any JSON object, passed to the server as it is. The runner
 * only checks that the model sent an object; the server validates it against its own schema (and
 * answers `isError` when it does not match, which the model reads like any tool error).
 */
const anyArguments = z.looseObject({});

/**
 * An MCP server's tool as a tool of the run: offered with the server's own JSON schema (not
 * strict: strict mode would require every property and forbid others, which the server's schema
 * need not do), and called through the server with the call's `signal`, so that cancelling the run
 * cancels the MCP request.
 *
 * Its output is the result's text ({@link mcpResultText}); a result with `isError: true` throws,
 * so that it is a tool error like a throwing tool's: reported to the model, or failing the run
 * under `toolErrors: 'throw'`.
 */
export function mcpTool<TContext>(server: McpServer, definition: McpToolDefinition): AnyTool<TContext> {
  const { name } = definition;
  const description = definition.description ?? '';
  const spec: FunctionToolSpec = {
    type: 'function',
    name,
    description,
    parameters: { ...definition.inputSchema, type: 'object', properties: definition.inputSchema.properties ?? {} },
    strict: false,
  };
  const tool = toolFromSpec<TContext>({
    name,
    description,
    parameters: anyArguments,
    spec,
    execute: async (args, { signal }) => {
      const result = await server.callTool(name, args, { signal });
      const text = mcpResultText(result);
      if (result.isError === true) throw new Error(text === '' ? `MCP tool '${name}' reported an error.` : text);
      return text;
    },
  });
  mcpTools.add(tool);
  return tool;
}

/** The tools made of MCP servers' tools, for a trace to tell them apart (`gen_ai.tool.type`). */
const mcpTools = new WeakSet<object>();

/** Whether `tool` is an MCP server's tool, made by {@link mcpTool}. */
export function isMcpTool(tool: object): boolean {
  return mcpTools.has(tool);
}

/**
 * What the model reads of an MCP result: the text parts, joined by a newline; with none, the
 * structured content (or, failing that, the other parts: images, resources) as JSON.
 */
export function mcpResultText(result: McpCallToolResult): string {
  const content: NonNullable<McpCallToolResult['content']> = Array.isArray(result.content) ? result.content : [];
  const texts = content.filter((part) => part.type === 'text' && typeof part.text === 'string');
  if (texts.length > 0 && texts.length === content.length) return texts.map((part) => part.text as string).join('\n');
  if (result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  if (content.length === 0) return '';
  return content.length === 1 ? JSON.stringify(content[0]) : JSON.stringify(content);
}

/** An error of a server as the run reports it: an `McpServerError`, or one made for it. */
export function asMcpServerError(
  error: unknown,
  server: McpServer,
  operation: 'connect' | 'listTools',
): McpServerError {
  if (McpServerError.isInstance(error)) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new McpServerError({ serverName: server.name, operation, message: why, cause: error });
}

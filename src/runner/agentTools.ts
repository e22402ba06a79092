import { defer, from, of, type Observable } from 'rxjs';
import { handoffToolName, type Agent } from '../agent.js';
import { InvalidArgumentError } from '../errors.js';
import type { McpServer } from '../mcpServer.js';
import type { FunctionToolSpec } from '../model.js';
import type { AnyTool } from '../tool.js';
import { asMcpServerError, mcpTool } from './mcpTools.js';

/**
 * The tools of each agent of one run: its function tools and, for an agent with `mcpServers`, the
 * tools its servers list, resolved once per agent and run (asynchronously, before the agent's
 * first turn, or before the tool step of a resumed run) and then read by the turn's request, the
 * decision and the tool step alike.
 *
 * A server the run finds not connected is connected here and remembered, so that {@link close}
 * closes it when the run ends; a server the user connected is left open.
 */
export class AgentTools<TContext> {
  // Made when an agent with MCP servers is first resolved: most runs have none, and each empty
  // Map or Set is about 150-190 bytes of every open run.
  #resolved: Map<Agent<unknown, TContext>, readonly AnyTool<TContext>[]> | undefined;
  #mcpSpecs: Map<Agent<unknown, TContext>, readonly FunctionToolSpec[]> | undefined;
  /** The servers this run connected, which it closes when it ends. */
  #opened: Set<McpServer> | undefined;

  /** Whether the agent's tools are known without listing a server. */
  ready(agent: Agent<unknown, TContext>): boolean {
    return (agent.mcpServers ?? []).length === 0 || this.#resolved?.has(agent) === true;
  }

  /** The agent's tools: its function tools, then its servers' (once {@link resolve}d). */
  get(agent: Agent<unknown, TContext>): readonly AnyTool<TContext>[] {
    return this.#resolved?.get(agent) ?? agent.tools;
  }

  /** The specs of the agent's MCP tools, for the turn's request (none before {@link resolve}). */
  mcpSpecs(agent: Agent<unknown, TContext>): readonly FunctionToolSpec[] {
    return this.#mcpSpecs?.get(agent) ?? [];
  }

  /**
   * Lists the agent's MCP tools (connecting the servers that are not connected) and keeps them;
   * synchronous for an agent without servers or already resolved.
   *
   * @throws McpServerError when a server cannot be connected or listed; InvalidArgumentError when
   * an MCP tool's name is taken by a function tool, a handoff or another server's tool.
   */
  resolve(agent: Agent<unknown, TContext>): Observable<readonly AnyTool<TContext>[]> {
    if (this.ready(agent)) return of(this.get(agent));
    return defer(() => from(this.#list(agent)));
  }

  async #list(agent: Agent<unknown, TContext>): Promise<readonly AnyTool<TContext>[]> {
    const owners = new Map<string, string>(agent.tools.map((t) => [t.name, `the function tool '${t.name}'`]));
    for (const target of agent.handoffs) {
      owners.set(handoffToolName(target.name), `the handoff to agent '${target.name}'`);
    }
    const listed = await Promise.all(agent.mcpServers.map((server) => this.#toolsOf(server)));
    const tools: AnyTool<TContext>[] = [];
    agent.mcpServers.forEach((server, index) => {
      for (const definition of listed[index]!) {
        const owner = owners.get(definition.name);
        if (owner !== undefined) {
          throw new InvalidArgumentError({
            argument: 'mcpServers',
            message:
              `agent '${agent.name}': MCP server '${server.name}' lists a tool named '${definition.name}', which clashes ` +
              `with ${owner}; leave one out with the server's toolFilter.`,
          });
        }
        owners.set(definition.name, `the tool '${definition.name}' of MCP server '${server.name}'`);
        tools.push(mcpTool<TContext>(server, definition));
      }
    });
    (this.#mcpSpecs ??= new Map()).set(
      agent,
      tools.map((t) => t.spec),
    );
    const all = [...agent.tools, ...tools];
    (this.#resolved ??= new Map()).set(agent, all);
    return all;
  }

  async #toolsOf(server: McpServer) {
    if (!server.connected) {
      // Remembered before connecting: a run unsubscribed while the server starts still closes it.
      (this.#opened ??= new Set()).add(server);
      try {
        await server.connect();
      } catch (error) {
        throw asMcpServerError(error, server, 'connect');
      }
    }
    try {
      return await server.listTools();
    } catch (error) {
      throw asMcpServerError(error, server, 'listTools');
    }
  }

  /** Whether the run connected any server, which it must close when it ends. */
  get opened(): boolean {
    return (this.#opened?.size ?? 0) > 0;
  }

  /** Closes the servers this run connected; a server that fails to close is let be. */
  close(): void {
    for (const server of this.#opened ?? []) {
      try {
        server.close().catch(() => undefined);
      } catch {
        // A server whose close() throws is let be too.
      }
    }
    this.#opened?.clear();
  }
}

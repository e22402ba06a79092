import type { Agent } from '../../agent.js';
import { agentToolOf } from '../../agentTool.js';
import { SyncRunError } from '../../errors.js';

/** The constructors' names of functions that always return a Promise (or an async iterator). */
const asyncKinds = new Set(['AsyncFunction', 'AsyncGeneratorFunction']);

/**
 * Refuses, before `runSync()` makes its first model call, a run whose agents (the first one and
 * every agent its handoffs and agent tools reach) hold a tool whose `execute` is an `async function`: it would
 * return a Promise that the blocked thread can never await, and the model call that asked for it
 * would have been paid for in vain.
 *
 * An agent with `mcpServers` is refused too: listing and calling MCP tools is asynchronous.
 *
 * A plain function that returns a Promise cannot be told apart before it runs; `syncMode` refuses
 * its result then (and aborts its `signal`).
 *
 * @throws SyncRunError naming the tool and its agent.
 */
export function refuseAsyncTools<TContext>(first: Agent<unknown, TContext>): void {
  const seen = new Set<Agent<unknown, TContext>>();
  const queue = [first];
  for (let agent = queue.shift(); agent; agent = queue.shift()) {
    if (seen.has(agent)) continue;
    seen.add(agent);
    if ((agent.mcpServers ?? []).length > 0) {
      throw new SyncRunError({
        message:
          `Agent '${agent.name}' has MCP servers (${agent.mcpServers.map((server) => `'${server.name}'`).join(', ')}), whose tools ` +
          `are listed and called asynchronously, but runSync() blocks the thread they would need. Use run() or runStreamed().`,
      });
    }
    for (const tool of agent.tools) {
      const kind = (tool.execute as { constructor?: { name?: unknown } }).constructor?.name;
      if (typeof kind === 'string' && asyncKinds.has(kind)) {
        throw new SyncRunError({
          message:
            `Tool '${tool.name}' of agent '${agent.name}' has an async execute function, but runSync() needs synchronous tools ` +
            `(it blocks the thread a Promise would need). Use run() for asynchronous tools.`,
        });
      }
    }
    queue.push(...agent.handoffs);
    // An agent called as a tool runs nested, on this thread too.
    for (const tool of agent.tools) {
      const nested = agentToolOf(tool);
      if (nested) queue.push(nested.agent);
    }
  }
}

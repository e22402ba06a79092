import type { Agent } from '../agent.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * The agents a run can reach from its first agent through handoffs, by name: the run's state
 * names its active agent, and this finds the agent again.
 *
 * Internal to the runner.
 */
export class AgentGraph<TContext> {
  readonly #agents = new Map<string, Agent<unknown, TContext>>();
  /** Whether an agent of the graph has MCP servers (whose connections a run may have to close). */
  readonly hasMcpServers: boolean;

  /** @throws InvalidArgumentError when two different agents of the graph share a name. */
  constructor(start: Agent<unknown, TContext>) {
    const queue = [start];
    for (let agent = queue.shift(); agent; agent = queue.shift()) {
      const known = this.#agents.get(agent.name);
      if (known === agent) continue;
      if (known) {
        throw new InvalidArgumentError({
          argument: 'agent',
          message: `two different agents reachable from '${start.name}' are named '${agent.name}'; a run refers to its agents by name, so names must be unique.`,
        });
      }
      this.#agents.set(agent.name, agent);
      queue.push(...agent.handoffs);
    }
    this.hasMcpServers = [...this.#agents.values()].some((agent) => (agent.mcpServers ?? []).length > 0);
  }

  /** The agent named `name`. */
  get(name: string): Agent<unknown, TContext> {
    const agent = this.#agents.get(name);
    if (!agent) throw new InvalidArgumentError({ argument: 'agent', message: `no agent named '${name}' in this run.` });
    return agent;
  }
}

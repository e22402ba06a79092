import type { z } from 'zod';
import { InvalidArgumentError } from './errors.js';
import {
  checkedGuardrails,
  type GuardrailsConfig,
  type InputGuardrail,
  type OutputGuardrail,
  type StreamGuardrail,
} from './guardrails.js';
import { outputSchemaOf } from './internal/outputSchema.js';
import { isMcpServer, type McpServer } from './mcpServer.js';
import { snakeCase } from './internal/snakeCase.js';
import { agentTool, type AgentTool, type AgentToolOptions } from './agentTool.js';
import { isModel, type FunctionToolSpec, type Model, type ModelSettings } from './model.js';
import { isHostedTool, type HostedTool } from './hostedTool.js';
import { isTool, type AnyTool } from './tool.js';
import { checkedToolUseBehavior, type ToolUseBehavior } from './toolUseBehavior.js';

/** An agent's system prompt: fixed, or made from the run's `context` for each turn. */
export type Instructions<TContext> = string | ((context: TContext) => string | PromiseLike<string>);

/** The configuration `new Agent()` takes. */
export interface AgentConfig<TOutput = string, TContext = unknown> extends GuardrailsConfig<TOutput, TContext> {
  /** The agent's name: it labels events, and a handoff to it is offered as `transfer_to_<name>`. */
  readonly name: string;
  /** The system prompt, or a function of the run's `context` that makes it. */
  readonly instructions?: Instructions<TContext>;
  /** A {@link Model}, or a model name that the runner's model provider resolves (default: the runner's `model`). */
  readonly model?: Model | string;
  readonly modelSettings?: ModelSettings;
  /** Tools the model may call: function tools (`tool()`) and hosted tools of the Responses API (`hostedTool()`). */
  readonly tools?: readonly (AnyTool<TContext> | HostedTool)[];
  /**
   * MCP servers whose tools the model may call too (`mcpServerStdio()`, `mcpServerStreamableHttp()`
   * from `rxjs-agents/mcp`): listed before the agent's turn, offered with their own JSON schemas,
   * called through MCP. A run connects a server it finds not connected, and closes it when it ends.
   */
  readonly mcpServers?: readonly McpServer[];
  /** Agents this one may hand the conversation to. */
  readonly handoffs?: readonly Agent<unknown, TContext>[];
  /** What the model is told about this agent when another agent may hand off to it. */
  readonly handoffDescription?: string;
  /** A zod schema of a structured answer; without one, the final output is the assistant's text. */
  readonly outputType?: z.ZodType<TOutput>;
  /**
   * Whether a forced `modelSettings.toolChoice` (`'required'` or a named tool) applies only until
   * the agent has called a tool (default `true`): later turns send `'auto'`, so that the model can
   * answer. With `false` the choice is sent every turn (and a model that obeys it never answers).
   */
  readonly resetToolChoice?: boolean;
  /**
   * What follows a turn whose function tools ran (default `'run_llm_again'`: the model is called
   * with their outputs): `'stop_on_first_tool'`, `{ stopAtToolNames }` or a function make a
   * tool's output the final output, with no further model call. See {@link ToolUseBehavior}.
   */
  readonly toolUseBehavior?: ToolUseBehavior<TOutput, TContext>;
}

const agentBrand = Symbol.for('rxjs-agents.agent');

/**
 * An agent: instructions, a model, tools, handoffs and, optionally, a structured output type.
 *
 * ```ts
 * const agent = new Agent({
 *   name: 'Travel agent',
 *   instructions: 'Recommend one destination.',
 *   model: 'gpt-4.1-mini',
 *   outputType: z.object({ destination: z.string(), reason: z.string() }),
 * });
 * ```
 *
 * The configuration is checked here, so a mistake is reported where it was written. An agent holds
 * no run state: one agent may serve any number of runs at once.
 *
 * @typeParam TOutput The final output: `string`, or what `outputType` parses to.
 * @typeParam TContext The run's `context`, as tools and dynamic instructions receive it.
 * @throws InvalidArgumentError naming the field that is wrong.
 */
export class Agent<TOutput = string, TContext = unknown> {
  readonly [agentBrand] = true;
  readonly name: string;
  readonly instructions: Instructions<TContext> | undefined;
  readonly model: Model | string | undefined;
  readonly modelSettings: ModelSettings;
  /** The function tools, in the order given. */
  readonly tools: readonly AnyTool<TContext>[];
  readonly mcpServers: readonly McpServer[];
  /** The hosted tools (`hostedTool()`) among the `tools` given, in their order. */
  readonly hostedTools: readonly HostedTool[];
  readonly handoffs: readonly Agent<unknown, TContext>[];
  readonly handoffDescription: string | undefined;
  readonly outputType: z.ZodType<TOutput> | undefined;
  readonly resetToolChoice: boolean;
  /** What follows a turn whose function tools ran; see {@link ToolUseBehavior}. */
  readonly toolUseBehavior: ToolUseBehavior<TOutput, TContext>;
  /** Checks of the run's input, when this agent is the run's first; see {@link InputGuardrail}. */
  readonly inputGuardrails: readonly InputGuardrail<TContext>[];
  /** Checks of this agent's final output; see {@link OutputGuardrail}. */
  readonly outputGuardrails: readonly OutputGuardrail<TOutput, TContext>[];
  /** Checks of this agent's text while it streams; see {@link StreamGuardrail}. */
  readonly streamGuardrails: readonly StreamGuardrail<TContext>[];

  constructor(config: AgentConfig<TOutput, TContext>) {
    if (typeof config !== 'object' || config === null) {
      throw new InvalidArgumentError({
        argument: 'config',
        message: 'new Agent() takes an object { name, instructions, model, ... }.',
      });
    }
    const {
      name,
      instructions,
      model,
      modelSettings = {},
      tools = [],
      mcpServers = [],
      handoffs = [],
      handoffDescription,
      outputType,
      resetToolChoice = true,
    } = config;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'name',
        message: `an agent needs a non-empty name; got ${JSON.stringify(name)}.`,
      });
    }
    const where = `agent '${name}'`;
    if (instructions !== undefined && typeof instructions !== 'string' && typeof instructions !== 'function') {
      throw new InvalidArgumentError({
        argument: 'instructions',
        message: `${where}: instructions must be a string or a function (context) => string.`,
      });
    }
    if (model !== undefined && !(typeof model === 'string' && model !== '') && !isModel(model)) {
      throw new InvalidArgumentError({
        argument: 'model',
        message: `${where}: model must be a model name or a Model ({ name, stream(request) }).`,
      });
    }
    if (typeof modelSettings !== 'object' || modelSettings === null) {
      throw new InvalidArgumentError({
        argument: 'modelSettings',
        message: `${where}: modelSettings must be an object.`,
      });
    }
    // Made now, so that a schema strict mode cannot express fails here rather than in every run.
    outputSchemaOf({ name, outputType });
    if (typeof resetToolChoice !== 'boolean') {
      throw new InvalidArgumentError({
        argument: 'resetToolChoice',
        message: `${where}: resetToolChoice must be true or false.`,
      });
    }
    if (!Array.isArray(tools)) {
      throw new InvalidArgumentError({
        argument: 'tools',
        message: `${where}: tools must be an array of tool() results.`,
      });
    }
    if (!Array.isArray(handoffs)) {
      throw new InvalidArgumentError({
        argument: 'handoffs',
        message: `${where}: handoffs must be an array of agents.`,
      });
    }
    checkMcpServers(mcpServers, where);
    const names = new Set<string>();
    const hostedTypes = new Set<string>();
    tools.forEach((candidate: unknown, index) => {
      if (isHostedTool(candidate)) {
        if (hostedTypes.has(candidate.type)) {
          throw new InvalidArgumentError({
            argument: `tools[${index}]`,
            message: `${where}: a second hosted tool of type '${candidate.type}'; give each hosted tool once.`,
          });
        }
        hostedTypes.add(candidate.type);
        return;
      }
      if (!isTool(candidate)) {
        throw new InvalidArgumentError({
          argument: `tools[${index}]`,
          message: `${where}: not a tool; make tools with tool({ name, description, parameters, execute }) or hostedTool({ type }).`,
        });
      }
      if (names.has(candidate.name)) {
        throw new InvalidArgumentError({
          argument: `tools[${index}]`,
          message: `${where}: a second tool named '${candidate.name}'; tool names must be unique.`,
        });
      }
      names.add(candidate.name);
    });
    handoffs.forEach((candidate: unknown, index) => {
      if (!Agent.isAgent(candidate)) {
        throw new InvalidArgumentError({ argument: `handoffs[${index}]`, message: `${where}: not an Agent.` });
      }
      const toolName = handoffToolName(candidate.name);
      if (names.has(toolName)) {
        throw new InvalidArgumentError({
          argument: `handoffs[${index}]`,
          message: `${where}: the handoff tool '${toolName}' clashes with another tool or handoff of the same name.`,
        });
      }
      names.add(toolName);
    });
    checkHandoffTargets(handoffs, where);
    const guardrails = checkedGuardrails(config, where);
    const toolUseBehavior = checkedToolUseBehavior(config.toolUseBehavior, where);

    this.name = name;
    this.instructions = instructions;
    this.model = model;
    this.modelSettings = modelSettings;
    // Copies, frozen: the lists checked here are the lists a run uses, whatever happens to the arrays given.
    this.tools = Object.freeze(tools.filter((t): t is AnyTool<TContext> => !isHostedTool(t)));
    this.hostedTools = Object.freeze(tools.filter(isHostedTool));
    this.mcpServers = Object.freeze(mcpServers.slice());
    this.handoffs = Object.freeze(handoffs.slice() as Agent<unknown, TContext>[]);
    this.handoffDescription = handoffDescription;
    this.outputType = outputType;
    this.resetToolChoice = resetToolChoice;
    this.toolUseBehavior = toolUseBehavior;
    this.inputGuardrails = guardrails.inputGuardrails;
    this.outputGuardrails = guardrails.outputGuardrails;
    this.streamGuardrails = guardrails.streamGuardrails;
  }

  /**
   * This agent as a tool another agent can call: when the model calls it, the runner runs this
   * agent as a nested run — with the caller's `context`, model provider and settings, in the same
   * mode (`run`, `runStreamed`, `runSync`), cancelled with the caller — and its final output is the
   * call's output. The nested run's events reach the caller's stream marked with `parentCallId`,
   * and its usage counts in the caller's.
   *
   * ```ts
   * const translator = new Agent({ name: 'Translator', instructions: 'Translate to French.' });
   * const writer = new Agent({
   *   name: 'Writer',
   *   tools: [translator.asTool({ toolDescription: 'Translates a text to French.' })],
   * });
   * ```
   *
   * @throws InvalidArgumentError naming the option that is wrong.
   */
  asTool(options?: AgentToolOptions<TOutput, TContext>): AgentTool<TContext> {
    return agentTool(this, options);
  }

  /** Whether `value` is an `Agent` (of this or another copy of the package). */
  static isAgent(value: unknown): value is Agent<unknown, never> {
    return typeof value === 'object' && value !== null && (value as { [agentBrand]?: unknown })[agentBrand] === true;
  }
}

/** Checks `mcpServers`: an array of MCP servers with distinct names (errors name the server). */
function checkMcpServers(mcpServers: unknown, where: string): void {
  if (!Array.isArray(mcpServers)) {
    throw new InvalidArgumentError({
      argument: 'mcpServers',
      message: `${where}: mcpServers must be an array of MCP servers (mcpServerStdio(), mcpServerStreamableHttp()).`,
    });
  }
  const names = new Set<string>();
  mcpServers.forEach((candidate: unknown, index) => {
    if (!isMcpServer(candidate)) {
      throw new InvalidArgumentError({
        argument: `mcpServers[${index}]`,
        message: `${where}: not an MCP server { name, connect, close, listTools, callTool }; make one with mcpServerStdio() or mcpServerStreamableHttp() from rxjs-agents/mcp.`,
      });
    }
    if (names.has(candidate.name)) {
      throw new InvalidArgumentError({
        argument: `mcpServers[${index}]`,
        message: `${where}: a second MCP server named '${candidate.name}'; server names must be unique.`,
      });
    }
    names.add(candidate.name);
  });
}

/**
 * Checks the `outputType` of every agent reachable through `handoffs`, so that a run cannot pay
 * for model calls before it reaches one whose schema strict mode cannot express. An agent made by
 * this `Agent` class was checked when it was made (the schema is then kept, so this costs a lookup);
 * the walk matters for an agent of another copy of the package, which passes `Agent.isAgent` too.
 */
function checkHandoffTargets(handoffs: readonly Agent<unknown, never>[], where: string): void {
  handoffs.forEach((first, index) => {
    const seen = new Set<object>();
    const pending: Agent<unknown, never>[] = [first];
    for (let target = pending.pop(); target !== undefined; target = pending.pop()) {
      if (seen.has(target)) continue;
      seen.add(target);
      outputSchemaOf(target, {
        argument: `handoffs[${index}]`,
        where: `${where}: the outputType of handoff target '${target.name}'`,
      });
      if (Array.isArray(target.handoffs)) pending.push(...target.handoffs.filter((next) => Agent.isAgent(next)));
    }
  });
}

/** The tool name under which a handoff to `agentName` is offered: `transfer_to_<snake_case_name>`. */
export function handoffToolName(agentName: string): string {
  return `transfer_to_${snakeCase(agentName)}`.slice(0, 64);
}

/** The tool spec a handoff is offered as: a function with no arguments. */
export function handoffToolSpec(target: Agent<unknown, never>): FunctionToolSpec {
  return {
    type: 'function',
    name: handoffToolName(target.name),
    description: target.handoffDescription ?? `Hand off to the ${target.name} agent to handle the request.`,
    parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
    strict: true,
  };
}

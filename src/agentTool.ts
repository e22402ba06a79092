import { throwError } from 'rxjs';
import { z } from 'zod';
import type { Agent } from './agent.js';
import { AgentsError, InvalidArgumentError } from './errors.js';
import { snakeCase } from './internal/snakeCase.js';
import { checkMaxTurns } from './runner/runOptions.js';
import type { CompletedRunResult } from './runner/runResult.js';
import { tool, type AnyTool, type Tool } from './tool.js';

/** The zod schema of an agent tool's arguments, as the Agents SDKs have them: `{ input: string }`. */
export type AgentToolParameters = z.ZodObject<{ input: z.ZodString }>;

const agentToolParameters: AgentToolParameters = z.object({
  input: z.string().describe('The input to send to the agent: what it should do, in plain words.'),
});

/** A tool made by `agent.asTool()`: the model calls it with `{ input }`. */
export type AgentTool<TContext = unknown> = Tool<AgentToolParameters, unknown, TContext>;

/** The options of `agent.asTool()`. */
export interface AgentToolOptions<TOutput = string, TContext = unknown> {
  /** The tool's name (default: the agent's name in snake_case: `'Travel Agent'` → `'travel_agent'`). */
  readonly toolName?: string;
  /** What the tool does, for the model (default: the agent's `handoffDescription`). */
  readonly toolDescription?: string;
  /**
   * Makes the call's output from the nested run's result (default: its `finalOutput`). It may
   * return a value or a Promise (in `runSync()`, a value); a string is sent to the model as it is,
   * anything else as JSON.
   */
  readonly outputExtractor?: (result: CompletedRunResult<TOutput, TContext>) => unknown;
  /** The most model calls the nested run may make (default: the runner's `maxTurns`, 10). */
  readonly maxTurns?: number;
}

/** What the runner needs to run an agent tool's call as a nested run. Internal to the runner. */
export interface AgentToolRun<TContext> {
  readonly agent: Agent<unknown, TContext>;
  readonly maxTurns: number | undefined;
  readonly outputExtractor: ((result: CompletedRunResult<unknown, TContext>) => unknown) | undefined;
}

/** Where an agent tool keeps its {@link AgentToolRun}: a symbol, on a non-enumerable property. */
const agentToolKey = Symbol.for('rxjs-agents.agentTool');

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Makes `agent.asTool(options)`: a function tool whose `execute` is not what runs it. The runner
 * recognises it by {@link agentToolOf} and subscribes to a nested run of the agent instead, so that
 * the run's events, usage, mode and cancellation reach it; called directly, `execute` returns an
 * Observable that fails, saying so.
 *
 * @throws InvalidArgumentError naming the option that is wrong.
 */
export function agentTool<TOutput, TContext>(
  agent: Agent<TOutput, TContext>,
  options: AgentToolOptions<TOutput, TContext> = {},
): AgentTool<TContext> {
  const where = `agent '${agent.name}'.asTool()`;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      argument: 'options',
      message: `${where} takes an object { toolName?, toolDescription?, outputExtractor?, maxTurns? }.`,
    });
  }
  const { toolName, toolDescription, outputExtractor, maxTurns } = options;
  if (toolName !== undefined && (typeof toolName !== 'string' || !toolNamePattern.test(toolName))) {
    throw new InvalidArgumentError({
      argument: 'toolName',
      message: `${where}: a tool name must be 1 to 64 letters, digits, '_' or '-'; got ${JSON.stringify(toolName)}.`,
    });
  }
  const name = toolName ?? snakeCase(agent.name).slice(0, 64);
  if (name === '') {
    throw new InvalidArgumentError({
      argument: 'toolName',
      message: `${where}: the agent's name gives no tool name (it has no letters or digits a tool name can hold); give a toolName.`,
    });
  }
  if (toolDescription !== undefined && typeof toolDescription !== 'string') {
    throw new InvalidArgumentError({
      argument: 'toolDescription',
      message: `${where}: toolDescription must be a string.`,
    });
  }
  if (outputExtractor !== undefined && typeof outputExtractor !== 'function') {
    throw new InvalidArgumentError({
      argument: 'outputExtractor',
      message: `${where}: outputExtractor must be a function (result) => output.`,
    });
  }
  checkMaxTurns(maxTurns, 'maxTurns');

  const made = tool({
    name,
    description: toolDescription ?? agent.handoffDescription ?? `Asks the ${agent.name} agent; returns its answer.`,
    parameters: agentToolParameters,
    execute: () =>
      throwError(
        () =>
          new AgentsError({
            message:
              `Tool '${name}' runs agent '${agent.name}' as a nested run of the runner that calls it; ` +
              'it has nothing to run on its own. To run the agent yourself, use run(agent, input).',
          }),
      ),
  });
  const run: AgentToolRun<TContext> = {
    agent,
    maxTurns,
    // The nested run is the agent's own: its final output is a `TOutput`.
    outputExtractor: outputExtractor as AgentToolRun<TContext>['outputExtractor'],
  };
  Object.defineProperty(made, agentToolKey, { value: run, enumerable: false });
  return made;
}

/** The nested run an agent tool stands for, or `undefined` for any other tool. Internal to the runner. */
export function agentToolOf<TContext>(candidate: AnyTool<TContext>): AgentToolRun<TContext> | undefined {
  return (candidate as { [agentToolKey]?: AgentToolRun<TContext> })[agentToolKey];
}

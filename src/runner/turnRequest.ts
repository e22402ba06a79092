import { defer, from, of, type Observable } from 'rxjs';
import { handoffToolSpec, type Agent } from '../agent.js';
import { InvalidArgumentError } from '../errors.js';
import { outputSchemaOf } from '../internal/outputSchema.js';
import type { HostedToolSpec } from '../hostedTool.js';
import type { FunctionToolSpec, JsonSchema, Model, ModelRequest, ModelSettings } from '../model.js';
import type { RunSettings } from './runContext.js';
import type { LiveState } from './liveState.js';
import { turnInput, type ServerHistory } from './serverHistory.js';

/** The parts of a model request that depend only on the agent: made once per agent and run. */
export interface TurnPlan {
  readonly model: Model;
  readonly tools: readonly FunctionToolSpec[];
  readonly hostedTools: readonly HostedToolSpec[];
  readonly outputSchema: { readonly name: string; readonly schema: JsonSchema } | undefined;
  readonly settings: ModelSettings;
}

/** The turn plans of one run, made on first use of each agent. */
export class TurnPlans<TContext> {
  readonly #plans = new Map<Agent<unknown, TContext>, TurnPlan>();
  readonly #settings: RunSettings<TContext>;

  constructor(settings: RunSettings<TContext>) {
    this.#settings = settings;
  }

  get(agent: Agent<unknown, TContext>): TurnPlan {
    let plan = this.#plans.get(agent);
    if (!plan) {
      plan = planTurn(agent, this.#settings);
      this.#plans.set(agent, plan);
    }
    return plan;
  }
}

function resolveModel<TContext>(agent: Agent<unknown, TContext>, settings: RunSettings<TContext>): Model {
  if (typeof agent.model === 'object') return agent.model;
  const name = agent.model ?? settings.defaultModel;
  if (!settings.modelProvider) {
    throw new InvalidArgumentError({
      argument: 'modelProvider',
      message:
        `agent '${agent.name}' names the model '${name}', but this Runner has no modelProvider to resolve it: ` +
        'give the Runner (or the run) one, such as new OpenAIProvider(), give the agent a Model, ' +
        'or use the module functions run(), runStreamed() and runSync(), which use OpenAI.',
    });
  }
  return settings.modelProvider.getModel(name);
}

function planTurn<TContext>(agent: Agent<unknown, TContext>, settings: RunSettings<TContext>): TurnPlan {
  const model = resolveModel(agent, settings);
  return {
    model: settings.modelOf ? settings.modelOf(model) : model,
    tools: [...agent.tools.map((t) => t.spec), ...agent.handoffs.map(handoffToolSpec)],
    hostedTools: (agent.hostedTools ?? []).map((t) => t.spec),
    outputSchema: outputSchemaOf(agent),
    settings: { ...settings.modelSettings, ...agent.modelSettings },
  };
}

/**
 * The settings of this turn's request: the plan's, with a forced `toolChoice` (`'required'` or a
 * named tool) reset to `'auto'` once the agent has called a tool, unless the agent keeps it
 * (`resetToolChoice: false`), as both Agents SDKs do: a model that obeys a forced choice every
 * turn could never answer.
 */
export function turnSettings(agent: Agent<unknown, never>, plan: TurnPlan, state: LiveState): ModelSettings {
  const { toolChoice } = plan.settings;
  const forced = toolChoice !== undefined && toolChoice !== 'auto' && toolChoice !== 'none';
  if (forced && agent.resetToolChoice && state.toolUse.has(agent.name)) {
    return { ...plan.settings, toolChoice: 'auto' };
  }
  return plan.settings;
}

/** The agent's instructions for this turn: synchronously when they are a string or a sync function. */
export function resolveInstructions<TContext>(
  agent: Agent<unknown, TContext>,
  context: TContext,
): Observable<string | undefined> {
  const { instructions } = agent;
  if (typeof instructions !== 'function') return of(instructions);
  return defer(() => {
    const made = instructions(context);
    return typeof made === 'string' ? of(made) : from(Promise.resolve(made));
  });
}

/**
 * The request of one turn: the whole history, or, when the server keeps it (`server`), only what
 * it does not have yet (see {@link turnInput}); the plan's tools, then the agent's MCP tools.
 */
export function modelRequest(
  plan: TurnPlan,
  instructions: string | undefined,
  settings: ModelSettings,
  state: LiveState,
  server?: ServerHistory,
  mcpTools: readonly FunctionToolSpec[] = [],
): ModelRequest {
  // Built by assignment, not by spreading optional parts into a literal: spreads of this shape
  // were the runner's top self-time function before the first model call (bench/README, finding 11).
  const request = {} as Mutable<ModelRequest>;
  if (instructions !== undefined) request.instructions = instructions;
  Object.assign(request, turnInput(state, server));
  request.tools = mcpTools.length === 0 ? plan.tools : [...plan.tools, ...mcpTools];
  if (plan.hostedTools.length > 0) request.hostedTools = plan.hostedTools;
  if (plan.outputSchema) request.outputSchema = plan.outputSchema;
  request.settings = settings;
  return request;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

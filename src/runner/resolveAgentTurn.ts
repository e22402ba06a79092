import { from, of, type Observable, type SchedulerLike } from 'rxjs';
import { handoffToolSpec, type Agent } from '../agent.js';
import { InvalidArgumentError } from '../errors.js';
import { outputJsonSchema } from '../internal/zodSchemas.js';
import type { FunctionToolSpec, JsonSchema, Model, ModelProvider, ModelSettings } from '../model.js';
import type { ModelCaller } from './modelCaller.js';

/** What a run needs of its runner and options, resolved once per run. */
export interface RunSettings<TContext> {
  readonly modelProvider: () => ModelProvider;
  readonly defaultModel: string;
  readonly modelSettings: ModelSettings;
  readonly maxTurns: number;
  readonly toolErrors: 'report' | 'throw';
  readonly context: TContext;
  readonly signal: AbortSignal | undefined;
  /** `runSync()`: tools must answer synchronously, and models may be bridged to a worker. */
  readonly sync: boolean;
  /** Makes one model call under the run's idle timeout and retries (on a worker in `runSync()`). */
  readonly callModel: ModelCaller;
  /** Where tools' `timeoutMs` timers run. */
  readonly scheduler: SchedulerLike;
}

/** The parts of a model request that depend only on the agent: computed once per agent and run. */
export interface AgentTurnPlan {
  readonly model: Model;
  readonly tools: readonly FunctionToolSpec[];
  readonly outputSchema: { readonly name: string; readonly schema: JsonSchema } | undefined;
  readonly settings: ModelSettings;
}

// The JSON schema of an outputType is the same for every run: compute it once per schema.
const outputSchemas = new WeakMap<object, JsonSchema>();

export function planAgentTurn<TContext>(
  agent: Agent<unknown, TContext>,
  settings: RunSettings<TContext>,
): AgentTurnPlan {
  let model: Model;
  if (typeof agent.model === 'object') {
    model = agent.model;
  } else {
    const name = agent.model ?? settings.defaultModel;
    model = settings.modelProvider().getModel(name);
  }
  let outputSchema: AgentTurnPlan['outputSchema'];
  if (agent.outputType) {
    let schema = outputSchemas.get(agent.outputType);
    if (!schema) {
      try {
        schema = outputJsonSchema(agent.outputType, 'final_output');
      } catch (cause) {
        throw new InvalidArgumentError({
          argument: 'outputType',
          message: `agent '${agent.name}': the schema cannot be turned into a strict JSON schema.`,
          cause,
        });
      }
      outputSchemas.set(agent.outputType, schema);
    }
    outputSchema = { name: 'final_output', schema };
  }
  return {
    model,
    tools: [...agent.tools.map((t) => t.spec), ...agent.handoffs.map(handoffToolSpec)],
    outputSchema,
    settings: { ...settings.modelSettings, ...agent.modelSettings },
  };
}

/** The agent's instructions for this turn: synchronously when they are a string or a sync function. */
export function resolveInstructions<TContext>(
  agent: Agent<unknown, TContext>,
  context: TContext,
): Observable<string | undefined> {
  const { instructions } = agent;
  if (typeof instructions !== 'function') return of(instructions);
  const made = instructions(context);
  return typeof made === 'string' ? of(made) : from(Promise.resolve(made));
}

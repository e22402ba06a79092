import { handoffToolName, type Agent } from '../agent.js';
import { ModelBehaviorError } from '../errors.js';
import { isFunctionCallItem, type FunctionCallItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import { lastAssistantMessage, parseFinalOutput } from './finalOutput.js';

/** A function tool the model called: it runs in the `run-tools` step. */
export interface PlannedToolCall {
  readonly kind: 'function';
  readonly call: FunctionCallItem;
}

/** A `transfer_to_…` call the model made. */
export interface PlannedHandoff {
  readonly kind: 'handoff';
  readonly call: FunctionCallItem;
  /** The name of the agent it hands off to. */
  readonly target: string;
  /**
   * Whether the switch is made: only the first handoff of a response is; the others are answered
   * with an output that says so.
   */
  readonly carriedOut: boolean;
}

/**
 * What the run does next, as plain data: the run's state holds it between steps (so a stored run
 * knows where to go on), and the loop carries it out (`runLoop.ts`).
 *
 * - `call-model`: make the next turn's model call (the first step of every run; the step after
 *   tools, a handoff, or a response with nothing to act on).
 * - `run-tools`: run the function tools the model called, concurrently, and carry out the first
 *   handoff; their outputs join the history in call order.
 * - `final-output`: the run's answer, already validated; the run ends with it.
 */
export type NextStep =
  | { readonly type: 'call-model' }
  | { readonly type: 'run-tools'; readonly calls: readonly (PlannedToolCall | PlannedHandoff)[] }
  | { readonly type: 'final-output'; readonly output: unknown };

/**
 * Decides what follows a model response: a pure function of the agent and the response.
 *
 * <span class="informal">The Agents SDKs' `nextStep`: the response is read once, here, and the
 * loop only carries the decision out.</span>
 *
 * - Any function call: `run-tools`, each call matched to the agent's tool (an MCP server's too) or
 *   handoff of that name.
 * - Otherwise the last assistant message is the answer: `final-output` with its text, or, for an
 *   agent with an `outputType`, its JSON validated by the schema.
 * - A response with neither (only reasoning, say): `call-model`, the model is asked again.
 *
 * @param agent The agent whose turn it was.
 * @param response The finished model response.
 * @param tools The agent's function tools, its MCP servers' included (default: `agent.tools`).
 * @returns The next step.
 * @throws ModelBehaviorError for a call to a tool the agent does not have, or an answer that is
 * not valid JSON or fails the `outputType`; ModelRefusalError when the answer is a refusal.
 */
export function decideNextStep(
  agent: Agent<unknown, never>,
  response: ModelResponse,
  tools: readonly { readonly name: string }[] = agent.tools,
): NextStep {
  const calls = response.output.filter(isFunctionCallItem);
  if (calls.length > 0) return { type: 'run-tools', calls: planCalls(agent, calls, tools) };
  const message = lastAssistantMessage(response.output);
  if (message === undefined) return { type: 'call-model' };
  return { type: 'final-output', output: parseFinalOutput(agent, message) };
}

function planCalls(
  agent: Agent<unknown, never>,
  calls: readonly FunctionCallItem[],
  agentTools: readonly { readonly name: string }[],
): (PlannedToolCall | PlannedHandoff)[] {
  const tools = new Set(agentTools.map((tool) => tool.name));
  const handoffs = new Map(agent.handoffs.map((target) => [handoffToolName(target.name), target.name]));
  let handedOff = false;
  return calls.map((call) => {
    if (tools.has(call.name)) return { kind: 'function', call };
    const target = handoffs.get(call.name);
    if (target === undefined) {
      throw new ModelBehaviorError({
        message: `The model called a tool named '${call.name}', which agent '${agent.name}' does not have.`,
      });
    }
    const carriedOut = !handedOff;
    handedOff = true;
    return { kind: 'handoff', call, target, carriedOut };
  });
}

import { EMPTY, map, merge, Observable, Subscription, tap } from 'rxjs';
import type { Agent } from '../agent.js';
import { handoffToolName } from '../agent.js';
import { MaxTurnsExceededError, ModelBehaviorError, RunAbortedError } from '../errors.js';
import type { RunEvent } from '../events.js';
import { isFunctionCallItem, type FunctionCallOutputItem, type InputItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import type { AnyTool } from '../tool.js';
import { checkDelta, checkModelResponse } from './checkModelOutput.js';
import { lastAssistantText, parseFinalOutput } from './finalOutput.js';
import { planAgentTurn, resolveInstructions, type AgentTurnPlan, type RunSettings } from './resolveAgentTurn.js';
import type { RunResult } from './runResult.js';
import { RunState } from './runState.js';
import { parseArguments, runToolCall } from './toolCalls.js';

type AnyAgent<TContext> = Agent<unknown, TContext>;

/**
 * One run as a cold Observable of its events: each subscription is a run of its own.
 *
 * Each turn streams one model call; tool calls then run concurrently, their outputs join the
 * history in call order, and the next turn starts; a handoff switches the agent; a turn without
 * calls gives the final output. `onResult` receives the whole result just before `final-output`
 * is emitted (the Promise and blocking adapters are built on it).
 */
export function createRun<TOutput, TContext>(
  startAgent: Agent<TOutput, TContext>,
  input: readonly InputItem[],
  settings: RunSettings<TContext>,
  onResult?: (result: RunResult<TOutput, TContext>) => void,
): Observable<RunEvent<TOutput>> {
  return new Observable<RunEvent<TOutput>>((subscriber) => {
    const state = new RunState<TContext>(startAgent as AnyAgent<TContext>, input);
    const plans = new Map<AnyAgent<TContext>, AgentTurnPlan>();
    // Every phase in flight (a model call, a batch of tools); unsubscribing the run ends them all.
    const inFlight = new Subscription();
    let ended = false;

    const fail = (error: unknown): void => {
      if (ended) return;
      ended = true;
      subscriber.error(state.withPartial(error));
    };

    const planFor = (agent: AnyAgent<TContext>): AgentTurnPlan => {
      let plan = plans.get(agent);
      if (!plan) {
        plan = planAgentTurn(agent, settings);
        plans.set(agent, plan);
      }
      return plan;
    };

    const startTurn = (): void => {
      if (ended || subscriber.closed) return;
      if (state.turn >= settings.maxTurns) return fail(new MaxTurnsExceededError({ maxTurns: settings.maxTurns }));
      const turn = ++state.turn;
      const agent = state.agent;
      let plan: AgentTurnPlan;
      let instructions$: Observable<string | undefined>;
      try {
        plan = planFor(agent);
        instructions$ = resolveInstructions(agent, settings.context);
      } catch (error) {
        return fail(error);
      }
      inFlight.add(
        instructions$.subscribe({
          error: fail,
          next: (instructions) => {
            try {
              streamTurn(agent, turn, plan, instructions);
            } catch (error) {
              // A model whose stream() throws, or our own bug: fail the run rather than leave it hanging.
              fail(error);
            }
          },
        }),
      );
    };

    /** Makes the turn's model call, with the run's idle timeout and retries; its response leads on. */
    const streamTurn = (
      agent: AnyAgent<TContext>,
      turn: number,
      plan: AgentTurnPlan,
      instructions: string | undefined,
    ): void => {
      const { model } = plan;
      const source = model.name;
      const agentName = agent.name;
      let response: ModelResponse | undefined;
      const request = {
        ...(instructions === undefined ? {} : { instructions }),
        input: state.history.slice(),
        tools: plan.tools,
        ...(plan.outputSchema ? { outputSchema: plan.outputSchema } : {}),
        settings: plan.settings,
      };
      // The run's text before this turn: a restarted attempt's deltas are dropped back to it.
      const textBefore = state.textLength;
      const modelCall = settings.callModel(model, request).subscribe({
        next: (event) => {
          switch (event.type) {
            case 'text-delta': {
              let delta: string;
              try {
                delta = checkDelta(event.delta, source);
              } catch (error) {
                return fail(error);
              }
              state.appendText(delta);
              subscriber.next({ type: 'text-delta', agent: agentName, turn, delta });
              break;
            }
            case 'raw':
              subscriber.next({ type: 'raw', agent: agentName, turn, source, data: event.data });
              break;
            case 'response':
              response = event.response;
              break;
            case 'restart':
              state.truncateText(textBefore);
              response = undefined;
              subscriber.next({
                type: 'turn-restarted',
                agent: agentName,
                turn,
                reason: event.reason,
                attempt: event.attempt,
              });
              break;
          }
        },
        error: (error: unknown) => {
          state.addFailedUsage(error);
          fail(error);
        },
        complete: () => {
          if (response === undefined)
            return fail(
              new ModelBehaviorError({ message: `Model '${source}' completed its stream without a response event.` }),
            );
          try {
            afterResponse(agent, turn, checkModelResponse(response, source));
          } catch (error) {
            // Our own code threw (a bug or an unforeseen input): fail the run rather than leave it hanging.
            fail(error);
          }
        },
      });
      inFlight.add(modelCall);
    };

    const afterResponse = (agent: AnyAgent<TContext>, turn: number, response: ModelResponse): void => {
      if (ended || subscriber.closed) return;
      state.addResponse(response);
      const calls = response.output.filter(isFunctionCallItem);
      for (const call of calls) {
        subscriber.next({
          type: 'tool-call',
          agent: agent.name,
          turn,
          callId: call.call_id,
          name: call.name,
          arguments: parseArguments(call.arguments),
        });
      }
      subscriber.next({
        type: 'turn-completed',
        agent: agent.name,
        turn,
        ...(response.id === undefined ? {} : { responseId: response.id }),
        usage: response.usage,
      });
      if (calls.length === 0) return finish(agent, turn, response);

      const tools = new Map<string, AnyTool<TContext>>(agent.tools.map((t) => [t.name, t]));
      const handoffs = new Map<string, AnyAgent<TContext>>(agent.handoffs.map((a) => [handoffToolName(a.name), a]));
      for (const call of calls) {
        if (!tools.has(call.name) && !handoffs.has(call.name)) {
          return fail(
            new ModelBehaviorError({
              message: `The model called a tool named '${call.name}', which agent '${agent.name}' does not have.`,
            }),
          );
        }
      }

      const outputs: string[] = new Array<string>(calls.length);
      const setup = {
        agent,
        turn,
        context: settings.context,
        toolErrors: settings.toolErrors,
        sync: settings.sync,
        scheduler: settings.scheduler,
      };
      const toolRuns = calls.map((call, index) => {
        const tool = tools.get(call.name);
        if (!tool) return EMPTY;
        return runToolCall(call, tool, setup).pipe(
          tap((outcome) => (outputs[index] = outcome.outputText)),
          map((outcome) => outcome.event),
        );
      });
      inFlight.add(
        merge(...toolRuns).subscribe({
          next: (event) => subscriber.next(event),
          error: fail,
          complete: () => {
            try {
              afterTools(agent, turn, calls, outputs, handoffs);
            } catch (error) {
              fail(error);
            }
          },
        }),
      );
    };

    const afterTools = (
      agent: AnyAgent<TContext>,
      turn: number,
      calls: readonly { readonly call_id: string; readonly name: string }[],
      outputs: string[],
      handoffs: ReadonlyMap<string, AnyAgent<TContext>>,
    ): void => {
      if (ended || subscriber.closed) return;
      let target: AnyAgent<TContext> | undefined;
      calls.forEach((call, index) => {
        const handoff = handoffs.get(call.name);
        if (!handoff) return;
        if (target) {
          outputs[index] = 'Multiple handoffs were requested in one response; only the first was carried out.';
        } else {
          target = handoff;
          outputs[index] = JSON.stringify({ assistant: handoff.name });
        }
      });
      state.addItems(
        calls.map((call, index): FunctionCallOutputItem => ({
          type: 'function_call_output',
          call_id: call.call_id,
          output: outputs[index] ?? '',
        })),
      );
      if (target) {
        subscriber.next({ type: 'agent-updated', agent: target.name, turn, from: agent.name });
        state.agent = target;
      }
      startTurn();
    };

    const finish = (agent: AnyAgent<TContext>, turn: number, response: ModelResponse): void => {
      const text = lastAssistantText(response.output);
      // A response with neither a message nor a call (only reasoning, say) asks the model again.
      if (text === undefined) return startTurn();
      let output: TOutput;
      try {
        output = parseFinalOutput(agent as AnyAgent<never>, text) as TOutput;
      } catch (error) {
        return fail(error);
      }
      ended = true;
      onResult?.({
        finalOutput: output,
        newItems: state.newItems.slice(),
        history: state.history.slice(),
        lastAgent: agent,
        usage: state.usage,
        rawResponses: state.rawResponses.slice(),
      });
      subscriber.next({ type: 'final-output', agent: agent.name, turn, output, usage: state.usage });
      subscriber.complete();
    };

    const { signal } = settings;
    const onAbort = (): void => {
      inFlight.unsubscribe();
      fail(new RunAbortedError({ cause: signal?.reason }));
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    startTurn();
    return () => {
      signal?.removeEventListener('abort', onAbort);
      inFlight.unsubscribe();
    };
  });
}

import type { Agent } from '../agent.js';
import type { FinalOutputEvent } from '../events.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import type { Usage } from '../usage.js';

/** What a finished run produced. */
export interface RunResult<TOutput = string, TContext = unknown> {
  /** The answer: the last assistant message's text, or the structured output parsed by `outputType`. */
  readonly finalOutput: TOutput;
  /** The items this run produced: assistant messages, function calls and their outputs, reasoning. */
  readonly newItems: readonly RunItem[];
  /** The input followed by the new items: ready to be the next run's input. */
  readonly history: readonly InputItem[];
  /** The agent that gave the final output (another than the first after a handoff). */
  readonly lastAgent: Agent<unknown, TContext>;
  /** Usage summed over every model call of the run. */
  readonly usage: Usage;
  /** Every model response, in order. */
  readonly rawResponses: readonly ModelResponse[];
}

/**
 * A {@link RunResult} as plain data, as `toRunResult()` makes it from a run's events: the same
 * fields, with `lastAgent` the agent's name (events name agents; they carry no agent objects).
 */
export interface RunResultData<TOutput = string> extends Omit<RunResult<TOutput>, 'lastAgent'> {
  /** The name of the agent that gave the final output. */
  readonly lastAgent: string;
}

/** The result a `final-output` event carries, with `lastAgent` as given. */
export function runResultOf<TOutput, TAgent>(
  event: FinalOutputEvent<TOutput>,
  lastAgent: TAgent,
): Omit<RunResult<TOutput>, 'lastAgent'> & { readonly lastAgent: TAgent } {
  return {
    finalOutput: event.output,
    newItems: event.newItems,
    history: event.history,
    lastAgent,
    usage: event.usage,
    rawResponses: event.rawResponses,
  };
}

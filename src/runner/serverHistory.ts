import { InvalidArgumentError, ModelBehaviorError } from '../errors.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelRequest, ModelResponse } from '../model.js';

/**
 * A run whose conversation the model's server keeps (the Responses API), so that each request
 * sends only what the server does not have yet: the run options `previousResponseId` and
 * `conversationId`, at most one of them.
 */
export interface ServerHistory {
  /** The stored response the run's first model call continues; later calls continue the run's own. */
  readonly previousResponseId?: string;
  /** The server-side conversation every model call of the run continues and extends. */
  readonly conversationId?: string;
}

/** What of a run's state says what the server has already been sent. */
export interface SentSoFar {
  /** The run's input followed by its new items. */
  readonly history: readonly InputItem[];
  readonly newItems: readonly RunItem[];
  readonly rawResponses: readonly ModelResponse[];
}

/** Checks `previousResponseId` and `conversationId` of run options: non-empty strings, not both. */
export function checkServerHistory(options: ServerHistory, prefix: string): void {
  for (const key of ['previousResponseId', 'conversationId'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new InvalidArgumentError({
        argument: `${prefix}${key}`,
        message: `${key} must be a non-empty string (an id the server gave); got ${JSON.stringify(value) ?? typeof value}.`,
      });
    }
  }
  if (options.previousResponseId !== undefined && options.conversationId !== undefined) {
    throw new InvalidArgumentError({
      argument: `${prefix}conversationId`,
      message:
        'give previousResponseId or conversationId, not both: a run continues either a stored response or a conversation.',
    });
  }
}

/** The `ServerHistory` of run options (checked already), or `undefined` when the run sends everything. */
export function serverHistoryOf(options: ServerHistory | undefined): ServerHistory | undefined {
  const previousResponseId = options?.previousResponseId;
  const conversationId = options?.conversationId;
  if (previousResponseId !== undefined) return { previousResponseId };
  if (conversationId !== undefined) return { conversationId };
  return undefined;
}

/** An item's `id` (the Responses API gives every output item one), if it has one. */
const idOf = (item: unknown): unknown => (item as { readonly id?: unknown }).id;

/**
 * The items the run added after its last model response: its output is the last thing the
 * server recorded, so only what follows it (the tools' outputs) is new to the server. The
 * response's last item is found in `newItems` by identity, or, in a state read back from JSON, by
 * its id; failing both (a model whose items have no ids), what follows a response is what the
 * runner adds after one: its trailing `function_call_output` items.
 */
function itemsSinceLastResponse(state: SentSoFar, last: ModelResponse): readonly InputItem[] {
  const lastOutput = last.output.at(-1);
  // A response with nothing in it is followed at once by the next call: nothing was added.
  if (lastOutput === undefined) return [];
  const { newItems } = state;
  const id = idOf(lastOutput);
  let start = newItems.length;
  for (let index = start - 1; index >= 0; index -= 1) {
    const item = newItems[index];
    if (item === lastOutput || (typeof id === 'string' && idOf(item) === id)) return newItems.slice(index + 1);
  }
  while (start > 0 && newItems[start - 1]?.type === 'function_call_output') start -= 1;
  return newItems.slice(start);
}

/**
 * What one turn's request sends: the whole history; or, for a run whose server keeps it, only
 * the items the server does not have, and which stored response or conversation they continue.
 *
 * - `previousResponseId`: the first call sends the run's input with `previousResponseId`; every
 *   later call the items since the last response, with that response's id.
 * - `conversationId`: every call sends `conversationId`, and the run's input on the first call,
 *   then the items since the last response (which the server appended to the conversation with
 *   its input).
 *
 * @throws ModelBehaviorError when a response to continue from has no id (a model that is not
 *   the Responses API's).
 */
export function turnInput(
  state: SentSoFar,
  server: ServerHistory | undefined,
): Pick<ModelRequest, 'input' | 'previousResponseId' | 'conversationId'> {
  if (server === undefined) return { input: state.history };
  const last = state.rawResponses.at(-1);
  const input = last === undefined ? state.history : itemsSinceLastResponse(state, last);
  if (server.conversationId !== undefined) return { input, conversationId: server.conversationId };
  if (last === undefined) {
    return server.previousResponseId === undefined
      ? { input }
      : { input, previousResponseId: server.previousResponseId };
  }
  if (last.id === undefined) {
    throw new ModelBehaviorError({
      message:
        `previousResponseId: model response ${state.rawResponses.length} has no id to continue from ` +
        '(it needs the Responses API).',
    });
  }
  return { input, previousResponseId: last.id };
}

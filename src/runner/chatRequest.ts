import type { Agent } from '../agent.js';
import { InvalidArgumentError } from '../errors.js';
import type { InputItem } from '../items.js';
import type { RunInput } from './runInput.js';
import { RunState } from './runState.js';
import type { ApprovalDecisionData, RunStateData } from './runStateData.js';

/**
 * What a chat front end (`injectAgentChat` of `rxjs-agents/angular`) asks its server for, as the
 * JSON body of a `POST`: either a new run of the whole conversation, or the resumption of a run
 * that stopped for approvals, with the person's decisions.
 *
 * - `{ input }`: the conversation so far (a previous run's `history`) followed by the new user
 *   message. The client keeps the history; the server keeps nothing.
 * - `{ state, decisions }`: the `state` of the `run-interrupted` event the server sent, and one
 *   decision per call that waited for approval.
 *
 * The server answers with the run's events as server-sent events (`serveServerSentEvents` of
 * `rxjs-agents/node`, `toServerSentEvents()`), the stream `fromServerSentEvents` reads.
 */
export type AgentChatRequest =
  | { readonly input: readonly InputItem[] }
  | { readonly state: RunStateData; readonly decisions: readonly ApprovalDecisionData[] };

/**
 * The input of the run an {@link AgentChatRequest} asks for — what `runStreamed(agent, …)` takes:
 * the conversation, or the interrupted run's `RunState` with the decisions applied.
 *
 * The request is checked here, so a server can pass the parsed JSON body of a request straight
 * in and answer 400 on an `InvalidArgumentError`.
 *
 * Mind what comes from the client. The conversation (`input`) is the client's to write: a user
 * can put anything in it, as in any chat that sends its history. A `state` is checked against
 * `agent` (its agents and tools must exist), but a client could still forge a pending call of a
 * tool that needs approval and approve it; a server for which that matters keeps the states it
 * sent (by the `run-interrupted` event's position, or an id of its own) and takes only the
 * decisions from the client.
 *
 * ```ts
 * const body: unknown = JSON.parse(await readBody(req));
 * serveServerSentEvents(res, runStreamed(agent, chatRunInput(agent, body)));
 * ```
 *
 * @param agent The agent the chat runs (its first agent, when it hands off).
 * @param request The parsed body of the request.
 * @returns The run's input: the conversation, or the resumable state.
 * @throws InvalidArgumentError naming the field that is wrong.
 */
export function chatRunInput(agent: Agent<unknown, never>, request: unknown): RunInput | RunState {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw invalid('request', 'a chat request is an object: { input } or { state, decisions }.');
  }
  const { input, state, decisions } = request as Record<string, unknown>;
  if (state === undefined) {
    if (!Array.isArray(input)) throw invalid('request.input', 'the conversation must be an array of items.');
    return input as readonly InputItem[];
  }
  if (input !== undefined) throw invalid('request', 'give either input or state, not both.');
  if (!Array.isArray(decisions)) throw invalid('request.decisions', 'decisions must be an array.');
  const runState = RunState.fromJSON(agent, state);
  decisions.forEach((decision: unknown, index) => {
    const { callId, approved, message } = (decision ?? {}) as Record<string, unknown>;
    if (typeof callId !== 'string' || typeof approved !== 'boolean') {
      throw invalid(`request.decisions[${index}]`, 'a decision is { callId: string, approved: boolean }.');
    }
    if (approved) runState.approve(callId);
    else runState.reject(callId, typeof message === 'string' ? { message } : {});
  });
  return runState;
}

function invalid(argument: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument, message });
}

import type { Agent } from '../agent.js';
import { InvalidArgumentError } from '../errors.js';
import type { InputItem, RunItem } from '../items.js';
import type { Usage } from '../usage.js';
import { AgentGraph } from './agentGraph.js';
import { readRunStateData } from './readRunState.js';
import type { ApprovalDecisionData, RunStateData, ToolApprovalRequest } from './runStateData.js';

const runStateBrand = Symbol.for('rxjs-agents.run-state');

/**
 * A run that stopped before its end — calls waiting for approval, or `stopAfterTurn` — as a value
 * to store, decide on and resume, in this process or another one.
 *
 * ```ts
 * const result = await run(agent, 'Refund order 1234');
 * if (result.status === 'interrupted') {
 *   await db.save(JSON.stringify(result.state)); // plain, versioned data
 * }
 * // later, anywhere:
 * const state = RunState.fromJSON(agent, await db.load());
 * for (const request of state.interruptions) state.approve(request.callId);
 * const resumed = await run(agent, state); // the approved tools run; nothing done is repeated
 * ```
 *
 * A run from a state starts where it stopped: the calls that had run are not run again, decided
 * calls are carried out (a rejected one is answered with the rejection), calls still undecided
 * are asked for again, and the model is called for the next turn. Each run of a state starts
 * from the same data; once one has ended (with a final output, or interrupted again, which gives
 * a new state), the state is spent, and running it again throws: the tools it approved must not
 * run twice.
 */
export class RunState {
  readonly [runStateBrand] = true;
  readonly #data: RunStateData;
  readonly #pending: ToolApprovalRequest[];
  readonly #decisions: Map<string, ApprovalDecisionData>;
  #spent = false;

  private constructor(data: RunStateData) {
    this.#data = data;
    this.#pending = data.pendingApprovals.slice();
    this.#decisions = new Map(data.approvals.map((decision) => [decision.callId, decision]));
  }

  /**
   * The state stored as JSON (the text, or the parsed data), checked against `agent` — the run's
   * first agent, from which the state's agents are found by name through handoffs.
   *
   * @param agent The agent the run started with (as defined in this process).
   * @param json What `JSON.stringify(state)` gave, or its parsed value, or a `run-interrupted`
   * event's `state`.
   * @throws InvalidArgumentError naming what is wrong: text that is not JSON, another version, a
   * missing or mistyped field, an agent or tool that `agent`'s graph does not have, a finished run.
   */
  static fromJSON(agent: Agent<unknown, never>, json: unknown): RunState {
    const graph = new AgentGraph<never>(agent);
    return new RunState(readRunStateData(json, graph));
  }

  /**
   * Whether `value` is a `RunState`, from this or another copy of the package.
   */
  static isRunState(value: unknown): value is RunState {
    return (
      typeof value === 'object' && value !== null && (value as { [runStateBrand]?: unknown })[runStateBrand] === true
    );
  }

  /** The calls that wait for a decision and have none yet. */
  get interruptions(): readonly ToolApprovalRequest[] {
    return this.#pending.filter((request) => !this.#decisions.has(request.callId));
  }

  /** The name of the agent that is active where the run stopped. */
  get currentAgent(): string {
    return this.#data.agent;
  }

  /** The model calls made so far. */
  get turn(): number {
    return this.#data.turn;
  }

  /** Usage summed over the run so far. */
  get usage(): Usage {
    return this.#data.usage;
  }

  /** The items the run has produced so far. */
  get newItems(): readonly RunItem[] {
    return this.#data.newItems;
  }

  /** The run's input followed by its new items. */
  get history(): readonly InputItem[] {
    return [...this.#data.input, ...this.#data.newItems];
  }

  /**
   * Approves a call that waits for a decision: the run from this state runs it.
   *
   * @throws InvalidArgumentError when no call with this id waits for a decision.
   */
  approve(callId: string): this {
    this.#decide({ callId: this.#pendingCall(callId, 'approve'), approved: true });
    return this;
  }

  /**
   * Rejects a call that waits for a decision: it does not run, and the model is told it was
   * rejected — with `message` when given.
   *
   * @throws InvalidArgumentError when no call with this id waits for a decision.
   */
  reject(callId: string, options: { readonly message?: string } = {}): this {
    const { message } = options;
    if (message !== undefined && typeof message !== 'string') {
      throw new InvalidArgumentError({ argument: 'options.message', message: 'a rejection message must be a string.' });
    }
    this.#decide({
      callId: this.#pendingCall(callId, 'reject'),
      approved: false,
      ...(message === undefined ? {} : { message }),
    });
    return this;
  }

  /** The state as plain, versioned data, decisions included: what `JSON.stringify(state)` writes. */
  toJSON(): RunStateData {
    return { ...this.#data, approvals: [...this.#decisions.values()] };
  }

  /**
   * The data a run from this state starts from, marking the state spent when a run of it ends.
   *
   * @internal
   */
  static resumeData(state: RunState): { readonly data: RunStateData; readonly spend: () => void } {
    if (state.#spent) {
      throw new InvalidArgumentError({
        argument: 'input',
        message:
          "this RunState's run has already ended; resume from the state it ended with (result.state, or the run-interrupted event's state).",
      });
    }
    return { data: state.toJSON(), spend: () => (state.#spent = true) };
  }

  /**
   * The state a run stopped with, already checked (it comes from the run).
   *
   * @internal
   */
  static fromRun(data: RunStateData): RunState {
    return new RunState(data);
  }

  #pendingCall(callId: unknown, method: string): string {
    if (typeof callId !== 'string' || !this.#pending.some((request) => request.callId === callId)) {
      const waiting = this.#pending.map((request) => `'${request.callId}' (${request.name})`).join(', ') || 'none';
      throw new InvalidArgumentError({
        argument: 'callId',
        message: `${method}(${JSON.stringify(callId)}): no call with this id waits for approval in this state; waiting: ${waiting}.`,
      });
    }
    return callId;
  }

  #decide(decision: ApprovalDecisionData): void {
    this.#decisions.set(decision.callId, decision);
  }
}

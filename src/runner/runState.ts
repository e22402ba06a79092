import type { Agent } from '../agent.js';
import type { AgentsError, RunPartial } from '../errors.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import { addUsage, emptyUsage, type Usage } from '../usage.js';

/** Everything one run has produced so far; one per subscription, never shared. */
export class RunState<TContext> {
  agent: Agent<unknown, TContext>;
  turn = 0;
  /** Every text delta of the run, across turns. */
  text = '';
  usage: Usage = emptyUsage;
  readonly history: InputItem[];
  readonly newItems: RunItem[] = [];
  readonly rawResponses: ModelResponse[] = [];

  constructor(agent: Agent<unknown, TContext>, input: readonly InputItem[]) {
    this.agent = agent;
    this.history = input.slice();
  }

  /** Records a finished model response: its items join the history, its usage the sum. */
  addResponse(response: ModelResponse): void {
    this.rawResponses.push(response);
    this.usage = addUsage(this.usage, response.usage);
    this.addItems(response.output);
  }

  /**
   * Adds the usage a failed model call's error reports (a response cut at `max_output_tokens` was
   * still paid for), so that the error's `partial.usage` holds it.
   */
  addFailedUsage(error: unknown): void {
    const usage = typeof error === 'object' && error !== null ? (error as { usage?: unknown }).usage : undefined;
    if (isUsage(usage)) this.usage = addUsage(this.usage, usage);
  }

  addItems(items: readonly RunItem[]): void {
    for (const item of items) {
      this.newItems.push(item);
      this.history.push(item);
    }
  }

  partial(): RunPartial {
    return { text: this.text, newItems: this.newItems.slice(), usage: this.usage };
  }

  /** Gives `error` what the run had produced, so that nothing the user paid for is lost. */
  withPartial(error: unknown): unknown {
    if (typeof error === 'object' && error !== null && Object.isExtensible(error) && !('partial' in error && (error as AgentsError).partial)) {
      (error as { partial?: RunPartial }).partial = this.partial();
    }
    return error;
  }
}

function isUsage(value: unknown): value is Usage {
  if (typeof value !== 'object' || value === null) return false;
  const usage = value as Record<keyof Usage, unknown>;
  return ['requests', 'inputTokens', 'outputTokens', 'totalTokens'].every((key) => typeof usage[key as keyof Usage] === 'number');
}

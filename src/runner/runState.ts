import type { Agent } from '../agent.js';
import type { AgentsError, RunPartial } from '../errors.js';
import type { InputItem, RunItem } from '../items.js';
import type { ModelResponse } from '../model.js';
import { addUsage, emptyUsage, type Usage } from '../usage.js';

/** Everything one run has produced so far; one per subscription, never shared. */
export class RunState<TContext> {
  agent: Agent<unknown, TContext>;
  turn = 0;
  // The run's text is kept flat: `+=` per delta would make a 32-byte rope node per delta that
  // lives until the run ends (bench finding 2). Deltas are joined 64 at a time instead.
  #text = '';
  #pending: string[] = [];
  #length = 0;
  usage: Usage = emptyUsage;
  readonly history: InputItem[];
  readonly newItems: RunItem[] = [];
  readonly rawResponses: ModelResponse[] = [];

  constructor(agent: Agent<unknown, TContext>, input: readonly InputItem[]) {
    this.agent = agent;
    this.history = input.slice();
  }

  /** Every text delta of the run, across turns. */
  get text(): string {
    if (this.#pending.length > 0) {
      this.#text += this.#pending.join('');
      this.#pending = [];
    }
    return this.#text;
  }

  /** The length of {@link text}, without joining anything. */
  get textLength(): number {
    return this.#length;
  }

  appendText(delta: string): void {
    this.#pending.push(delta);
    this.#length += delta.length;
    if (this.#pending.length === 64) {
      this.#text += this.#pending.join('');
      this.#pending = [];
    }
  }

  /** Cuts the text back to its first `length` characters (a restarted turn's text is dropped). */
  truncateText(length: number): void {
    this.#text = this.text.slice(0, length);
    this.#length = this.#text.length;
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
    if (
      typeof error === 'object' &&
      error !== null &&
      Object.isExtensible(error) &&
      !('partial' in error && (error as AgentsError).partial)
    ) {
      (error as { partial?: RunPartial }).partial = this.partial();
    }
    return error;
  }
}

function isUsage(value: unknown): value is Usage {
  if (typeof value !== 'object' || value === null) return false;
  const usage = value as Record<keyof Usage, unknown>;
  return ['requests', 'inputTokens', 'outputTokens', 'totalTokens'].every(
    (key) => typeof usage[key as keyof Usage] === 'number',
  );
}

import type { RunItem } from '../items.js';
import type { Usage } from '../usage.js';

const marker = 'rxjs-agents.error';
const symbol = Symbol.for(marker);

/** What a run had produced when it failed: nothing the user paid for is lost. */
export interface RunPartial {
  /** Every text delta of the run, across turns, joined. */
  readonly text: string;
  /** The items the run had produced (complete turns and tool outputs). */
  readonly newItems: readonly RunItem[];
  /** Usage summed over the model responses that completed. */
  readonly usage: Usage;
}

/** Options every rxjs-agents error takes. */
export interface AgentsErrorOptions {
  /** The underlying error, such as the `openai` SDK's own. */
  readonly cause?: unknown;
}

/**
 * The base of every error rxjs-agents throws.
 *
 * Use {@link AgentsError.isInstance} (and each subclass's own `isInstance`) rather than
 * `instanceof`: it recognises errors from another copy of the package too. Each class carries a
 * `Symbol.for('rxjs-agents.error.<ClassName>')` marker beside the base's
 * `Symbol.for('rxjs-agents.error')`, so `ModelProviderError.isInstance(error)` is true only for a
 * `ModelProviderError` or a subclass of it, whichever copy made it.
 */
export class AgentsError extends Error {
  private readonly [symbol] = true;
  /** What the run had produced before this error ended it; set on errors that end a run. */
  partial?: RunPartial;

  constructor({ message, cause }: AgentsErrorOptions & { readonly message: string }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
  }

  /**
   * Whether `error` is an rxjs-agents error, from this or another copy of the package.
   *
   * @param error Anything caught.
   * @returns `true` for every `AgentsError`, whatever its subclass.
   */
  static isInstance(error: unknown): error is AgentsError {
    return AgentsError.hasMarker(error, marker);
  }

  /**
   * Whether `error` carries the `Symbol.for(marker)` brand: how each subclass's `isInstance` checks.
   *
   * @param error Anything caught.
   * @param marker The key of the class's `Symbol.for` marker, such as `'rxjs-agents.error.ToolCallError'`.
   */
  protected static hasMarker(error: unknown, marker: string): boolean {
    return (
      typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[Symbol.for(marker)] === true
    );
  }
}

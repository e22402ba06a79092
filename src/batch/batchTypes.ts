import type { Observable } from 'rxjs';
import type { RunPartial } from '../errors.js';
import type { RunInput } from '../runner/runInput.js';
import type { RunOptions } from '../runner/runOptions.js';
import type { Usage } from '../usage.js';
import type { BatchCheckpoint } from './checkpoint.js';
import type { OpenAIBatchEngine } from './engine/openAIBatch.js';

/** One input of a batch: its id (unique in the batch: the checkpoint knows items by it), input and context. */
export interface BatchItem<TContext = unknown> {
  readonly id: string;
  readonly input: RunInput;
  /** The run's `context` (default: the batch's `context` option). */
  readonly context?: TContext;
}

/**
 * A batch's inputs: {@link BatchItem}s, or bare inputs (a string or a list of items) whose ids are
 * their 0-based positions. An array, an iterable or an async iterable is read lazily — an item is
 * taken only when a run can start — so a file of millions of lines is never in memory at once; an
 * Observable is read as it emits.
 */
export type BatchItems<TContext = unknown> =
  | Iterable<BatchItem<TContext> | RunInput>
  | AsyncIterable<BatchItem<TContext> | RunInput>
  | Observable<BatchItem<TContext> | RunInput>;

/** The options of `runBatch()`: a run's options (each item's run gets them), and the batch's own. */
export interface BatchOptions<TContext = unknown> extends Omit<
  RunOptions<TContext>,
  'session' | 'previousResponseId' | 'conversationId' | 'stopAfterTurn'
> {
  /** The most runs at once (default 8). */
  readonly concurrency?: number;
  /** The most model requests per minute, over all runs of the batch (default: no limit). */
  readonly requestsPerMinute?: number;
  /**
   * The most tokens per minute, over all runs of the batch (default: no limit): each model call is
   * charged an estimate before it is made (a quarter of its request's characters, plus its
   * `maxOutputTokens`) and corrected by the usage its response reports.
   */
  readonly tokensPerMinute?: number;
  /**
   * How many times an item's model call that is refused with 429 (rate limited) is made again
   * (default 3). A 429 pauses the whole batch for its `Retry-After` (1 s when it gives none).
   */
  readonly maxRetries?: number;
  /** The least time between two `batch-progress` events, in ms (default 1000). */
  readonly progressIntervalMs?: number;
  /**
   * Where finished items are recorded, so that the same batch started again goes on where it
   * stopped: a path of a JSON Lines file (Node), or a {@link BatchCheckpoint} of your own. Items
   * whose ids it holds are skipped.
   */
  readonly checkpoint?: string | BatchCheckpoint;
  /**
   * Where the model calls are made: here, as each run asks (default), or as jobs of OpenAI's
   * Batch API, in rounds ({@link openAIBatch}). With the Batch API, `concurrency` is how many
   * items a round holds at most (default: all of them), the rate limits are the API's (so
   * `requestsPerMinute` and `tokensPerMinute` are refused), and `idleTimeoutMs` does not apply.
   */
  readonly engine?: OpenAIBatchEngine;
}

/** Why an item failed, as plain data. */
export interface BatchItemError {
  /** The error's class name, for example `'ModelProviderError'`. */
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  /** The HTTP status of a provider's error. */
  readonly status?: number;
}

/** An item's run finished with a final output. */
export interface ItemCompletedEvent<TOutput = unknown> {
  readonly type: 'item-completed';
  readonly id: string;
  readonly finalOutput: TOutput;
  readonly usage: Usage;
}

/** An item's run failed (or was interrupted): the other items go on. */
export interface ItemFailedEvent {
  readonly type: 'item-failed';
  readonly id: string;
  readonly error: BatchItemError;
  /** What the run had produced before it failed (its text, items and usage). */
  readonly partial?: RunPartial;
}

/** How far the batch is: at most every `progressIntervalMs`, and once at the end. */
export interface BatchProgressEvent {
  readonly type: 'batch-progress';
  /** How many items the batch has, when that is known (an array's length). */
  readonly total?: number;
  readonly completed: number;
  readonly failed: number;
  /** Items skipped because the checkpoint holds them. */
  readonly skipped: number;
  readonly inFlight: number;
  /** Usage summed over the items finished so far (failed ones' partial usage included). */
  readonly usage: Usage;
  /** Model requests made in the last minute (or, in the first minute, at that pace). */
  readonly requestsPerMinute: number;
  /** Tokens used in the last minute (or, in the first minute, at that pace). */
  readonly tokensPerMinute: number;
  /** With the Batch API engine: every job the batch submitted (or took up again), oldest first. */
  readonly jobs?: readonly BatchJobProgress[];
}

/** A Batch API job, as `batch-progress` reports it. */
export interface BatchJobProgress {
  /** The job's id at OpenAI, for example `'batch_abc123'`. */
  readonly id: string;
  /** `'validating'`, `'in_progress'`, `'finalizing'`, `'completed'`, `'failed'`, `'expired'`, `'cancelling'` or `'cancelled'`. */
  readonly status: string;
  readonly requestCounts: { readonly total: number; readonly completed: number; readonly failed: number };
}

/** The batch ended: every item completed, failed or was skipped. Last. */
export interface BatchCompletedEvent {
  readonly type: 'batch-completed';
  readonly completed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly usage: Usage;
}

/** What `runBatch()` emits: narrow on `type`. */
export type BatchEvent<TOutput = unknown> =
  ItemCompletedEvent<TOutput> | ItemFailedEvent | BatchProgressEvent | BatchCompletedEvent;

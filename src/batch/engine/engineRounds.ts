/**
 * How `batchEvents.ts` reaches an engine's rounds without importing them: the engine object made
 * by `openAIBatch()` carries its rounds' factory under a `Symbol.for` key, so that an app that
 * never calls `openAIBatch()` never bundles the Batch API code. Types only, and the key.
 *
 * Internal to `src/batch/`.
 */
import type { Model } from '../../model.js';
import type { BatchJobProgress } from '../batchTypes.js';
import type { BatchCheckpoint, CheckpointRecord } from '../checkpoint.js';
import type { SchedulerLike } from 'rxjs';
import type { OpenAIBatchEngine } from './openAIBatch.js';

/** What the rounds need from the batch around them. */
export interface RoundHooks {
  readonly scheduler: SchedulerLike;
  /** How many items are in flight. */
  readonly inFlight: () => number;
  /** Whether another item may start now (the source has more, and there is room). */
  readonly canGrow: () => boolean;
  readonly checkpoint: BatchCheckpoint | undefined;
  /** A job's status or counts changed. */
  readonly jobsChanged: (jobs: readonly BatchJobProgress[]) => void;
  /** A call was answered, with this many tokens (the measured rates). */
  readonly answered: (tokens: number) => void;
  /** The batch itself failed (its checkpoint). */
  readonly fail: (error: unknown) => void;
}

/** One subscription's rounds: see `batchRounds.ts`. */
export interface Rounds {
  resume(records: readonly CheckpointRecord[]): Promise<void>;
  modelsOf(itemId: string): (model: Model) => Model;
  check(): void;
  close(): void;
}

/** The key of an engine's rounds factory. */
export const roundsKey = Symbol.for('rxjs-agents.batch.rounds');

/** An engine as `batchEvents.ts` uses it. */
export interface RoundsEngine {
  readonly [roundsKey]: (hooks: RoundHooks) => Rounds;
}

/** Whether `value` is an engine made by `openAIBatch()`. */
export function isOpenAIBatchEngine(value: unknown): value is OpenAIBatchEngine & RoundsEngine {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'openai-batch' &&
    typeof (value as { options?: unknown }).options === 'object' &&
    typeof (value as Partial<RoundsEngine>)[roundsKey] === 'function'
  );
}

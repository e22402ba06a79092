/**
 * What `rxjs-agents batch` prints about a batch: the progress (a bar redrawn in place on a
 * terminal, a plain line otherwise) and the summary at the end. Pure functions of a snapshot, so
 * the wording is tested without a process or a clock.
 */

import type { BatchJobProgress } from '../batch/batchTypes.js';

/** How far a batch is, as the command has heard from its events. */
export interface BatchSnapshot {
  /** The number of items, when the command could count them cheaply (a small file); else unknown. */
  readonly total: number | undefined;
  readonly completed: number;
  readonly failed: number;
  /** Items the checkpoint (`--out` with `--resume`) already held. */
  readonly skipped: number;
  readonly inFlight: number;
  readonly totalTokens: number;
  /** Model requests in the last minute, as `batch-progress` measures them. */
  readonly requestsPerMinute: number;
  /** How long the batch has run, in ms: the ETA is the pace so far applied to what is left. */
  readonly elapsedMs: number;
  /** With `--engine openai-batch`: the Batch API jobs, as the last `batch-progress` gave them. */
  readonly jobs?: readonly BatchJobProgress[];
}

/** A count as people read it: `1,234`. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** A duration for an ETA: `45s`, `3m05s`, `2h07m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * The time left, when the total is known and some items have finished in this process (skipped
 * ones took no time, so they count neither as pace nor as work left).
 */
export function eta(snapshot: BatchSnapshot): number | undefined {
  const finished = snapshot.completed + snapshot.failed;
  if (snapshot.total === undefined || finished === 0 || snapshot.elapsedMs <= 0) return undefined;
  const left = Math.max(0, snapshot.total - finished - snapshot.skipped);
  return (left * snapshot.elapsedMs) / finished;
}

/**
 * The progress as words: `450/1,000 done, 3 failed, 16 in flight, 12,345 tokens, 480 req/min,
 * ETA 1m05s` (without `/total` and ETA when the total is unknown; `skipped` only when some were).
 */
export function progressText(snapshot: BatchSnapshot): string {
  const total = snapshot.total === undefined ? '' : `/${formatCount(snapshot.total)}`;
  const left = eta(snapshot);
  return [
    `${formatCount(snapshot.completed)}${total} done`,
    `${formatCount(snapshot.failed)} failed`,
    ...(snapshot.skipped > 0 ? [`${formatCount(snapshot.skipped)} skipped`] : []),
    `${formatCount(snapshot.inFlight)} in flight`,
    `${formatCount(snapshot.totalTokens)} tokens`,
    `${formatCount(snapshot.requestsPerMinute)} req/min`,
    ...(left === undefined || left === 0 ? [] : [`ETA ${formatDuration(left)}`]),
    ...jobsText(snapshot.jobs),
  ].join(', ');
}

/** The Batch API jobs that have not ended, for example `job batch_abc in_progress 120/500`. */
function jobsText(jobs: readonly BatchJobProgress[] | undefined): string[] {
  const running = (jobs ?? []).filter((job) => !['completed', 'failed', 'expired', 'cancelled'].includes(job.status));
  return running.map(({ id, status, requestCounts: { total, completed, failed } }) =>
    total === 0
      ? `job ${id} ${status}`
      : `job ${id} ${status} ${formatCount(completed + failed)}/${formatCount(total)}`,
  );
}

/**
 * The line a terminal shows, redrawn in place: a bar of `width` cells when the total is known
 * (finished and skipped items fill it), then {@link progressText}.
 */
export function progressBar(snapshot: BatchSnapshot, width = 24): string {
  if (snapshot.total === undefined || snapshot.total === 0) return progressText(snapshot);
  const share = Math.min(1, (snapshot.completed + snapshot.failed + snapshot.skipped) / snapshot.total);
  const filled = Math.floor(share * width);
  const percent = String(Math.floor(share * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${progressText(snapshot)}`;
}

/**
 * The last line: `1,234 completed, 5 failed (see answers.jsonl: lines with "status":"failed"),
 * 0 skipped; 123,456 tokens` — where the failures are is said only when there are some.
 */
export function summaryLine(snapshot: BatchSnapshot, out: string): string {
  const where = snapshot.failed > 0 ? ` (see ${out}: lines with "status":"failed")` : '';
  return (
    `${formatCount(snapshot.completed)} completed, ${formatCount(snapshot.failed)} failed${where}, ` +
    `${formatCount(snapshot.skipped)} skipped; ${formatCount(snapshot.totalTokens)} tokens`
  );
}

/**
 * One job of OpenAI's Batch API, from the round's lines to their answers: upload the JSON Lines
 * file, create the job, poll it (the pause growing while nothing changes), and download the output
 * and error files once it ended. Promise-based with an `AbortSignal`, which `batchRounds.ts` owns.
 *
 * Internal to `src/batch/engine/`.
 */
import type { SchedulerLike } from 'rxjs';
import type { BatchApiClient, BatchApiJob } from './openAIBatch.js';

/** How a line was answered: the status and body of its request, or the line's own error. */
export interface LineAnswer {
  readonly status?: number;
  readonly body?: unknown;
  readonly error?: unknown;
}

/** A job that ended, and the answers of its lines by `custom_id`. */
export interface EndedJob {
  readonly job: BatchApiJob;
  readonly answers: ReadonlyMap<string, LineAnswer>;
}

/** What a job is run with. */
export interface JobConfig {
  readonly client: BatchApiClient;
  readonly scheduler: SchedulerLike;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly signal: AbortSignal;
  /** Told of every state of the job a poll gives (the first one, when it is created). */
  readonly update: (job: BatchApiJob) => void;
}

/** The statuses after which a job changes no more. */
const endStatuses = new Set(['completed', 'failed', 'expired', 'cancelled']);

export function hasEnded(job: BatchApiJob): boolean {
  return endStatuses.has(job.status);
}

/**
 * Uploads `text` (the job's JSON Lines) and creates the job; `submitted` is awaited with the job
 * before it is polled (the checkpoint records it there).
 */
export async function submitJob(
  config: JobConfig,
  text: string,
  body: { endpoint: '/v1/responses' | '/v1/chat/completions'; metadata: Record<string, string> },
  submitted: (job: BatchApiJob, inputFileId: string) => Promise<void> | void,
): Promise<EndedJob> {
  const { client, signal } = config;
  const file = await client.files.create(
    { file: new File([text], 'rxjs-agents-batch.jsonl', { type: 'application/jsonl' }), purpose: 'batch' },
    { signal },
  );
  const job = await client.batches.create(
    { input_file_id: file.id, endpoint: body.endpoint, completion_window: '24h', metadata: body.metadata },
    { signal },
  );
  await submitted(job, file.id);
  return followJob(config, job);
}

/** Polls `job` until it ends, then downloads its answers. */
export async function followJob(config: JobConfig, first: BatchApiJob): Promise<EndedJob> {
  const { client, signal } = config;
  let job = first;
  config.update(job);
  let pause = config.pollIntervalMs;
  while (!hasEnded(job)) {
    await sleep(pause, config.scheduler, signal);
    const next = await client.batches.retrieve(job.id, { signal });
    pause = sameProgress(job, next) ? Math.min(pause * 1.5, config.maxPollIntervalMs) : config.pollIntervalMs;
    job = next;
    config.update(job);
  }
  const answers = new Map<string, LineAnswer>();
  for (const fileId of [job.output_file_id, job.error_file_id]) {
    if (typeof fileId !== 'string' || fileId === '') continue;
    const content = await client.files.content(fileId, { signal });
    readAnswers(await content.text(), answers);
  }
  return { job, answers };
}

/** The `custom_id`s of a job's input file, in order (to resume a job another process submitted). */
export async function customIdsOf(config: JobConfig, inputFileId: string): Promise<string[]> {
  const content = await config.client.files.content(inputFileId, { signal: config.signal });
  const ids: string[] = [];
  for (const line of (await content.text()).split('\n')) {
    if (line.trim() === '') continue;
    const { custom_id: id } = JSON.parse(line) as { custom_id?: unknown };
    if (typeof id === 'string') ids.push(id);
  }
  return ids;
}

/** Reads an output or error file's lines into `answers`. */
function readAnswers(text: string, answers: Map<string, LineAnswer>): void {
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as {
      custom_id?: unknown;
      response?: { status_code?: unknown; body?: unknown } | null;
      error?: unknown;
    };
    if (typeof parsed.custom_id !== 'string') continue;
    const { response, error } = parsed;
    answers.set(parsed.custom_id, {
      ...(typeof response?.status_code === 'number' ? { status: response.status_code } : {}),
      ...(response?.body === undefined ? {} : { body: response.body }),
      ...(error === null || error === undefined ? {} : { error }),
    });
  }
}

function sameProgress(before: BatchApiJob, after: BatchApiJob): boolean {
  const a = before.request_counts;
  const b = after.request_counts;
  return before.status === after.status && a?.completed === b?.completed && a?.failed === b?.failed;
}

/** Resolves after `ms` on `scheduler`; rejects when `signal` aborts, leaving no timer. */
function sleep(ms: number, scheduler: SchedulerLike, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = (): Error => (signal.reason instanceof Error ? signal.reason : new Error('The batch was stopped.'));
    if (signal.aborted) return reject(aborted());
    const onAbort = (): void => {
      timer.unsubscribe();
      reject(aborted());
    };
    const timer = scheduler.schedule(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The local server's Batch API, in memory and per server, as `client.batches.*` of the `openai`
 * SDK (6 and 7) calls it — create, retrieve, cancel, list — with OpenAI's status sequence in
 * compressed time (`ServerOptions.batches`). Each job is one async loop whose waits are timers the
 * server clears on `close()`; its lines are answered by `post`, which the HTTP server implements
 * by posting each line to itself.
 */
import type { Batch, BatchError, BatchRequestCounts, BatchUsage } from 'openai/resources/batches';
import { addUsage, emptyUsage, expiredLine, jsonl, readBatchLines, type OutputLine } from './batchLines.js';
import { createRefusal, isRecord } from './batchChecks.js';
import type { JsonAnswer } from './conversations.js';
import { cursorPage } from './cursorPage.js';
import { unixSeconds, type FileStore } from './files.js';
import { errorBody } from './respond.js';
import type { BatchLineRef, BatchOptions } from './types.js';

/** What answering one line gave: the HTTP status and the parsed body. */
export interface LineAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Answers one line's request at `endpoint` (non-streamed); rejects when the connection failed. */
export type PostLine = (endpoint: string, body: Record<string, unknown>, ref: BatchLineRef) => Promise<LineAnswer>;

/**
 * A batch as the API shows it: the SDK's `Batch`, every field present, and `null` where OpenAI
 * sends `null` (the SDK's types say optional; the API sends `"completed_at": null` and so on).
 */
type OptionalKey = { [K in keyof Batch]-?: object extends Pick<Batch, K> ? K : never }[keyof Batch];
type BatchBody = Omit<Batch, OptionalKey | 'request_counts' | 'usage'> & {
  -readonly [K in Exclude<OptionalKey, 'request_counts' | 'usage'>]-?: Exclude<Batch[K], undefined> | null;
} & { request_counts: BatchRequestCounts; usage: BatchUsage };

interface Job {
  readonly batch: BatchBody;
  readonly content: Buffer;
  readonly output: OutputLine[];
  readonly errors: OutputLine[];
}

/** The batches of one server. */
export class Batches {
  readonly #jobs = new Map<string, Job>();
  readonly #settings: Required<BatchOptions>;
  readonly #files: FileStore;
  readonly #post: PostLine;
  readonly #waits = new Set<{ readonly timer: ReturnType<typeof setTimeout>; readonly resolve: () => void }>();
  #count = 0;
  #lineCount = 0;
  #closed = false;

  constructor(settings: Required<BatchOptions>, files: FileStore, post: PostLine) {
    this.#settings = settings;
    this.#files = files;
    this.#post = post;
  }

  /** Answers a request to `/v1/batches…`, or `undefined` when `path` is not one of the Batch API's. */
  answer(method: string, path: string, query: URLSearchParams, body: unknown): JsonAnswer | undefined {
    const match = /^(?:\/v1)?\/batches(?:\/([^/]+)(\/cancel)?)?$/.exec(path);
    if (match === null) return undefined;
    const [, rawId, cancel] = match;
    if (rawId === undefined) {
      if (method === 'POST') return this.#create(body);
      if (method !== 'GET') return undefined;
      const newestFirst = [...this.#jobs.values()].map((job) => job.batch).reverse();
      return cursorPage(newestFirst, query, 20, 100);
    }
    const id = decodeURIComponent(rawId);
    const job = this.#jobs.get(id);
    if (job === undefined) return { status: 404, body: errorBody(404, `No batch found with id '${id}'.`, null, 'id') };
    if (cancel === undefined) return method === 'GET' ? { status: 200, body: job.batch } : undefined;
    if (method !== 'POST') return undefined;
    const { batch } = job;
    if (batch.status === 'validating' || batch.status === 'in_progress') {
      batch.status = 'cancelling';
      batch.cancelling_at = unixSeconds();
    } else if (batch.status !== 'cancelling') {
      const message = `Cannot cancel a batch with status '${batch.status}'.`;
      return { status: 409, body: errorBody(409, message, null) };
    }
    return { status: 200, body: batch };
  }

  /** Stops every job where it is and clears every timer; the jobs' loops end at their next step. */
  close(): void {
    this.#closed = true;
    for (const wait of this.#waits) {
      clearTimeout(wait.timer);
      wait.resolve();
    }
    this.#waits.clear();
  }

  #create(body: unknown): JsonAnswer {
    const fields = isRecord(body) ? body : {};
    const refused = createRefusal(fields, this.#files);
    if (refused !== undefined) return refused;
    const created = unixSeconds();
    const batch: BatchBody = {
      id: `batch_${(this.#count += 1)}`,
      object: 'batch',
      endpoint: fields['endpoint'] as string,
      model: null,
      errors: null,
      input_file_id: fields['input_file_id'] as string,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: created,
      in_progress_at: null,
      expires_at: created + 24 * 3600,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      usage: emptyUsage(),
      metadata: (fields['metadata'] as BatchBody['metadata']) ?? null,
    };
    // The file as it was when the batch was created: deleting it later changes nothing.
    const job: Job = { batch, content: this.#files.get(batch.input_file_id)!.content, output: [], errors: [] };
    this.#jobs.set(batch.id, job);
    this.#run(job).catch((error: unknown) => this.#fail(job, [{ code: 'server_error', message: String(error) }]));
    return { status: 200, body: batch };
  }

  /** Resolves after `ms`, or at once when the server closes. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#closed) return resolve();
      const wait = {
        timer: setTimeout(() => {
          this.#waits.delete(wait);
          resolve();
        }, ms),
        resolve,
      };
      this.#waits.add(wait);
    });
  }

  /** Whether the job must stop answering lines: the server closed, or the job is being cancelled. */
  #stopped(job: Job): boolean {
    return this.#closed || job.batch.status === 'cancelling';
  }

  async #run(job: Job): Promise<void> {
    const { batch } = job;
    const { stepMs, linesPerStep, outcome } = this.#settings;
    await this.#sleep(stepMs);
    if (this.#stopped(job)) return this.#cancelled(job);
    const read = readBatchLines(job.content, batch.endpoint, this.#settings.maxRequests);
    if (!read.ok) return this.#fail(job, read.errors);
    if (outcome === 'failed') {
      const message = `Enqueued token limit reached for ${read.model ?? 'the model'} (batches.outcome: 'failed').`;
      return this.#fail(job, [{ code: 'token_limit_exceeded', message, param: null, line: null }]);
    }
    batch.model = read.model ?? null;
    batch.status = 'in_progress';
    batch.in_progress_at = unixSeconds();
    batch.request_counts = { total: read.lines.length, completed: 0, failed: 0 };
    const answered = outcome === 'expired' ? Math.floor(read.lines.length / 2) : read.lines.length;
    for (let index = 0; index < answered; index += 1) {
      if (index % linesPerStep === 0) await this.#sleep(stepMs);
      if (this.#stopped(job)) return this.#cancelled(job);
      await this.#answer(job, read.lines[index]!);
    }
    if (this.#stopped(job)) return this.#cancelled(job);
    if (outcome === 'expired') {
      await this.#sleep(stepMs);
      if (this.#stopped(job)) return this.#cancelled(job);
      for (const line of read.lines.slice(answered)) {
        job.errors.push(expiredLine(this.#lineId(), line.customId));
        batch.request_counts.failed += 1;
      }
      this.#writeFiles(job);
      batch.status = 'expired';
      batch.expired_at = unixSeconds();
      return;
    }
    batch.status = 'finalizing';
    batch.finalizing_at = unixSeconds();
    await this.#sleep(stepMs);
    if (this.#closed) return;
    this.#writeFiles(job);
    batch.status = 'completed';
    batch.completed_at = unixSeconds();
  }

  #lineId(): string {
    return `batch_req_${(this.#lineCount += 1)}`;
  }

  /** Answers one line, into the output file (2xx) or the error file, and counts it. */
  async #answer(job: Job, line: { readonly customId: string; readonly body: Record<string, unknown> }): Promise<void> {
    const { batch } = job;
    const { stream: _stream, ...body } = line.body;
    let answer: LineAnswer;
    try {
      answer = await this.#post(batch.endpoint, body, { id: batch.id, customId: line.customId });
    } catch (error) {
      if (this.#closed) return;
      const message = `The local server's answer to this line failed: ${String(error)}`;
      answer = { status: 500, body: errorBody(500, message, 'server_error') };
    }
    if (this.#closed) return;
    const id = this.#lineId();
    const response = {
      status_code: answer.status,
      request_id: `req_${id.slice('batch_req_'.length)}`,
      body: answer.body,
    };
    const ok = answer.status >= 200 && answer.status < 300;
    (ok ? job.output : job.errors).push({ id, custom_id: line.customId, response, error: null });
    if (ok) addUsage(batch.usage, answer.body);
    batch.request_counts[ok ? 'completed' : 'failed'] += 1;
  }

  /** The job was cancelled: `cancelled` after `stepMs`, with the files of what was answered. */
  async #cancelled(job: Job): Promise<void> {
    if (this.#closed) return;
    await this.#sleep(this.#settings.stepMs);
    if (this.#closed) return;
    this.#writeFiles(job);
    job.batch.status = 'cancelled';
    job.batch.cancelled_at = unixSeconds();
  }

  #fail(job: Job, errors: readonly BatchError[]): void {
    job.batch.status = 'failed';
    job.batch.failed_at = unixSeconds();
    job.batch.errors = { object: 'list', data: [...errors] };
  }

  /** Writes the output and error files, each only when it has a line (as OpenAI does). */
  #writeFiles(job: Job): void {
    const { batch } = job;
    if (job.output.length > 0) {
      batch.output_file_id = this.#files.add(jsonl(job.output), `${batch.id}_output.jsonl`, 'batch_output').id;
    }
    if (job.errors.length > 0) {
      batch.error_file_id = this.#files.add(jsonl(job.errors), `${batch.id}_error.jsonl`, 'batch_output').id;
    }
  }
}

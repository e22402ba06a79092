/**
 * The rounds of a batch run on OpenAI's Batch API: every model call of every run becomes a line
 * waiting here; when every run in flight waits (and no more may start), the waiting lines are
 * submitted as one job (or several, past a job's limits), and each answer goes back to its call.
 *
 * One per subscription of `runBatch()`; internal to `src/batch/engine/`.
 */
import OpenAI from 'openai';
import { Observable, type Subscriber } from 'rxjs';
import { InvalidArgumentError } from '../../errors.js';
import type { Model, ModelEvent } from '../../model.js';
import {
  batchAnswerEvents,
  batchEndpointUrls,
  batchLineBody,
  batchLineError,
  type BatchEndpoint,
} from '../../models/batchLines.js';
import { OpenAIModelBase } from '../../models/openaiModelBase.js';
import { toModelProviderError } from '../../models/providerErrors.js';
import type { BatchJobProgress } from '../batchTypes.js';
import type { RoundHooks, Rounds } from './engineRounds.js';
import { isJobRecord, type CheckpointRecord } from '../checkpoint.js';
import {
  customIdsOf,
  followJob,
  hasEnded,
  submitJob,
  type EndedJob,
  type JobConfig,
  type LineAnswer,
} from './batchJob.js';
import type { BatchApiClient, BatchApiJob, OpenAIBatchEngine } from './openAIBatch.js';

/** A model call waiting for its answer. */
interface Line {
  readonly customId: string;
  readonly itemId: string;
  /** The line of the job's JSON Lines file. */
  readonly text: string;
  readonly subscriber: Subscriber<ModelEvent>;
  job?: Job;
}

/** A job: its lines (in the input file's order), and what the API said of it. */
interface Job {
  /** Submitted by an earlier process (found in the checkpoint): lines it cannot answer are sent again. */
  readonly resumed: boolean;
  readonly order: string[];
  readonly lines: Map<string, Line>;
  state?: BatchApiJob;
  ended?: EndedJob;
}

const megabyte = 1024 * 1024;
const utf8 = new TextEncoder();

export class BatchRounds implements Rounds {
  readonly #hooks: RoundHooks;
  readonly #endpoint: BatchEndpoint;
  readonly #engine: OpenAIBatchEngine['options'];
  readonly #abort = new AbortController();
  readonly #unsubmitted = new Map<string, Line>();
  /** Per item, how many of its calls wait. */
  readonly #waiting = new Map<string, number>();
  /** The lines of jobs an earlier process submitted, by `custom_id`. */
  readonly #known = new Map<string, Job>();
  readonly #jobs: Job[] = [];
  #client: BatchApiClient | undefined;
  #delivering = 0;
  #rounds = 0;

  constructor(options: OpenAIBatchEngine['options'], hooks: RoundHooks) {
    this.#engine = options;
    this.#endpoint = options.endpoint ?? 'responses';
    this.#hooks = hooks;
  }

  /**
   * Takes up the jobs `records` name (a batch started again with its checkpoint): their lines are
   * answered from them, polling the ones that run. Rejects when a job cannot be read.
   */
  async resume(records: readonly CheckpointRecord[]): Promise<void> {
    await Promise.all(
      records.filter(isJobRecord).map(async (record) => {
        const job: Job = { resumed: true, order: [], lines: new Map() };
        const config = this.#config(job);
        let state: BatchApiJob;
        try {
          state = await this.#api().batches.retrieve(record.job, { signal: this.#abort.signal });
          job.order.push(...(await customIdsOf(config, record.inputFileId)));
        } catch (error) {
          throw new InvalidArgumentError({
            argument: 'checkpoint',
            message: `the checkpoint names the Batch API job ${record.job}, which cannot be read: ${messageOf(error)}`,
            cause: error,
          });
        }
        for (const id of job.order) this.#known.set(id, job);
        this.#jobs.push(job);
        if (hasEnded(state)) job.ended = await followJob(config, state);
        else this.#follow(job, followJob(config, state));
      }),
    );
  }

  /** What the runs of item `itemId` call instead of `model`: a model whose calls are lines here. */
  modelsOf(itemId: string): (model: Model) => Model {
    let calls = 0;
    return (model) => {
      const modelId = modelIdOf(model);
      const describe = model.describe?.bind(model);
      const url = batchEndpointUrls[this.#endpoint];
      return {
        name: model.name,
        ...(describe ? { describe } : {}),
        stream: (request) =>
          new Observable<ModelEvent>((subscriber) => {
            // Numbered as made: the same run makes the same calls in the same order, so a batch
            // started again finds its calls in the jobs it recorded.
            const customId = `${itemId}~${(calls += 1)}`;
            let text: string;
            try {
              const body = batchLineBody(this.#endpoint, modelId, request);
              text = JSON.stringify({ custom_id: customId, method: 'POST', url, body });
            } catch (error) {
              subscriber.error(error);
              return;
            }
            const line: Line = { customId, itemId, text, subscriber };
            this.#enqueue(line);
            return () => this.#withdraw(line);
          }),
      };
    };
  }

  /** Submits the waiting lines if every run in flight waits and no item may start. */
  check(): void {
    if (this.#delivering > 0 || this.#unsubmitted.size === 0 || this.#abort.signal.aborted) return;
    if (this.#waiting.size < this.#hooks.inFlight() || this.#hooks.canGrow()) return;
    const lines = [...this.#unsubmitted.values()];
    this.#unsubmitted.clear();
    this.#rounds += 1;
    for (const group of this.#split(lines)) this.#submit(group);
  }

  /** Stops polling, and cancels the jobs that run (unless `leaveJobsRunning`). */
  close(): void {
    if (this.#abort.signal.aborted) return;
    this.#abort.abort();
    if (this.#engine.leaveJobsRunning) return;
    for (const job of this.#jobs) {
      if (job.state === undefined || job.ended || hasEnded(job.state)) continue;
      // Nobody is left to tell of a failed cancel: the job then ends at its window, unread.
      this.#api()
        .batches.cancel(job.state.id)
        .then(
          () => undefined,
          () => undefined,
        );
    }
  }

  #enqueue(line: Line): void {
    this.#count(line.itemId, 1);
    const known = this.#known.get(line.customId);
    if (known?.ended) {
      const answer = known.ended.answers.get(line.customId);
      if (answer !== undefined && !unanswered(answer)) return this.#settle(line, answer);
    } else if (known) {
      line.job = known;
      known.lines.set(line.customId, line);
      return;
    }
    this.#unsubmitted.set(line.customId, line);
    this.check();
  }

  #withdraw(line: Line): void {
    const waiting = line.job ? line.job.lines.delete(line.customId) : this.#unsubmitted.delete(line.customId);
    if (waiting) this.#count(line.itemId, -1);
  }

  #count(itemId: string, change: number): void {
    const count = (this.#waiting.get(itemId) ?? 0) + change;
    if (count > 0) this.#waiting.set(itemId, count);
    else this.#waiting.delete(itemId);
  }

  /** The lines in jobs within the limits; a line too large for any job fails its call. */
  #split(lines: Line[]): Line[][] {
    const most = this.#engine.maxRequestsPerJob ?? 50_000;
    const bytes = this.#engine.maxBytesPerJob ?? 200 * megabyte;
    const groups: Line[][] = [];
    let group: Line[] = [];
    let size = 0;
    for (const line of lines) {
      const length = utf8.encode(line.text).length + 1;
      if (length > bytes) {
        this.#settle(line, {
          error: { code: 'batch_line_too_large', message: `the request is ${length} bytes, over a job's ${bytes}.` },
        });
        continue;
      }
      if (group.length === most || size + length > bytes) {
        groups.push(group);
        group = [];
        size = 0;
      }
      group.push(line);
      size += length;
    }
    if (group.length > 0) groups.push(group);
    return groups;
  }

  #submit(lines: Line[]): void {
    const job: Job = { resumed: false, order: lines.map((line) => line.customId), lines: new Map() };
    for (const line of lines) {
      line.job = job;
      job.lines.set(line.customId, line);
    }
    this.#jobs.push(job);
    const text = `${lines.map((line) => line.text).join('\n')}\n`;
    const metadata = { ...this.#engine.metadata, rxjs_agents_round: String(this.#rounds) };
    const endpoint = batchEndpointUrls[this.#endpoint];
    const submitted = async (state: BatchApiJob, inputFileId: string): Promise<void> => {
      job.state = state;
      try {
        await this.#hooks.checkpoint?.append({ type: 'batch-job', job: state.id, inputFileId });
      } catch (error) {
        this.#hooks.fail(error);
        throw error;
      }
    };
    this.#follow(job, submitJob(this.#config(job), text, { endpoint, metadata }, submitted));
  }

  #follow(job: Job, ending: Promise<EndedJob>): void {
    ending.then(
      (ended) => this.#ended(job, ended),
      (error: unknown) => {
        if (this.#abort.signal.aborted) return;
        const failure = toModelProviderError(error, 'OpenAI Batch API', { secret: this.#secret() });
        this.#deliver(job, (line) => line.subscriber.error(failure));
      },
    );
  }

  #ended(job: Job, ended: EndedJob): void {
    if (this.#abort.signal.aborted) return;
    job.ended = ended;
    job.state = ended.job;
    this.#progress();
    this.#deliver(job, (line) => {
      const answer = ended.answers.get(line.customId);
      if (job.resumed && (answer === undefined || unanswered(answer))) {
        // Not answered by the earlier process's job (cancelled, expired): asked again.
        line.job = undefined;
        this.#count(line.itemId, 1);
        this.#unsubmitted.set(line.customId, line);
        return;
      }
      this.#settle(line, answer ?? missingAnswer(ended.job, job.order.indexOf(line.customId) + 1));
    });
  }

  /** Hands each line of `job` to `settle`, then submits what the runs asked for next. */
  #deliver(job: Job, settle: (line: Line) => void): void {
    const lines = [...job.lines.values()];
    job.lines.clear();
    this.#delivering += 1;
    try {
      for (const line of lines) {
        this.#count(line.itemId, -1);
        settle(line);
      }
    } finally {
      this.#delivering -= 1;
    }
    this.check();
  }

  /** Answers one call: the answer's events, or the line's error. */
  #settle(line: Line, answer: LineAnswer): void {
    if (line.job === undefined && !this.#unsubmitted.has(line.customId)) this.#count(line.itemId, -1);
    this.#unsubmitted.delete(line.customId);
    const { subscriber } = line;
    if (subscriber.closed) return;
    const secret = this.#secret();
    let events: ModelEvent[];
    try {
      if (answer.error !== undefined || answer.status === undefined || answer.status >= 300) {
        throw batchLineError(answer, secret);
      }
      events = batchAnswerEvents(this.#endpoint, answer.body, secret);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    const response = events[events.length - 1];
    this.#hooks.answered(response?.type === 'response' ? response.response.usage.totalTokens : 0);
    for (const event of events) subscriber.next(event);
    subscriber.complete();
  }

  #progress(): void {
    const jobs: BatchJobProgress[] = [];
    for (const { state } of this.#jobs) {
      if (state === undefined) continue;
      const counts = state.request_counts;
      jobs.push({
        id: state.id,
        status: state.status,
        requestCounts: { total: counts?.total ?? 0, completed: counts?.completed ?? 0, failed: counts?.failed ?? 0 },
      });
    }
    this.#hooks.jobsChanged(jobs);
  }

  #config(job: Job): JobConfig {
    const pollIntervalMs = this.#engine.pollIntervalMs ?? 10_000;
    return {
      client: this.#api(),
      scheduler: this.#hooks.scheduler,
      pollIntervalMs,
      maxPollIntervalMs: Math.max(pollIntervalMs, this.#engine.maxPollIntervalMs ?? 60_000),
      signal: this.#abort.signal,
      update: (state) => {
        job.state = state;
        this.#progress();
      },
    };
  }

  #api(): BatchApiClient {
    return (this.#client ??= this.#engine.client ?? new OpenAI());
  }

  #secret(): string | undefined {
    const key = this.#client?.apiKey;
    return typeof key === 'string' && key !== '' ? key : undefined;
  }
}

/** A line the job did not answer: it expired or was cancelled first. */
function unanswered(answer: LineAnswer): boolean {
  const code = (answer.error as { code?: unknown } | undefined)?.code;
  return code === 'batch_expired' || code === 'batch_cancelled';
}

/** The answer of a line a job ended without answering: why, as the job says. */
function missingAnswer(job: BatchApiJob, line: number): LineAnswer {
  switch (job.status) {
    case 'expired':
      return { error: { code: 'batch_expired', message: `the job ${job.id} expired before this request was made.` } };
    case 'cancelled':
      return {
        error: { code: 'batch_cancelled', message: `the job ${job.id} was cancelled before this request was made.` },
      };
    case 'failed': {
      const errors = job.errors?.data ?? [];
      const error = errors.find((e) => e.line === line) ?? errors[0];
      return {
        error: {
          code: error?.code ?? 'batch_failed',
          message: `the job ${job.id} failed: ${error?.message ?? 'no reason given'}`,
        },
      };
    }
    default:
      return {
        error: { code: 'batch_missing_answer', message: `the job ${job.id} ended without this request's answer.` },
      };
  }
}

/** The model id a line asks for. */
function modelIdOf(model: Model): string {
  if (model instanceof OpenAIModelBase) return model.model;
  const id = model.describe?.().model;
  if (typeof id === 'string' && id !== '') return id;
  throw new InvalidArgumentError({
    argument: 'agent.model',
    message: `the Batch API engine sends each call to an OpenAI model id; the model '${model.name}' has none (give it describe()).`,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

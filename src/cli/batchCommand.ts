/**
 * `rxjs-agents batch`: `runBatch()` from the command line, so a script answers a JSON Lines file
 * of questions with an agent module without writing the plumbing (limits, progress, a results file
 * that is also the checkpoint). This file checks the files, loads the agent and runs the batch
 * (`batchArgs.ts` reads the flags); `main.ts` owns the process: output of the summary, exit codes, signals.
 */
import { stat, open } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent } from '../agent.js';
import type { BatchEvent, BatchItems } from '../batch/batchTypes.js';
import { jsonLinesCheckpoint } from '../batch/checkpoint.js';
import { openAIBatch } from '../batch/engine/openAIBatch.js';
import { AgentsError } from '../errors.js';
import { runBatch } from '../runner/defaultRunner.js';
import { checkReadable, countItems, messageOf, readJsonLines } from './jsonLinesInput.js';
import { progressBar, progressText, type BatchSnapshot } from './progressLine.js';
import type { BatchConfig } from './batchArgs.js';

/** A file or the agent module cannot be used: printed, exit code 2 (no pointer to --help). */
export class BatchSetupError extends AgentsError {}

/** What an export is, for the message about a module that exports no Agent. */
function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
    const name = prototype?.constructor?.name;
    return `an object that is not an Agent${typeof name === 'string' && name !== 'Object' ? ` (a ${name})` : ''}`;
  }
  return `a ${typeof value}`;
}

/**
 * Imports the agent module (a path from `cwd`) and gives its default export, or its export named
 * `agent`, when that is an `Agent` (of any copy of the package: `Agent.isAgent`). Throws
 * {@link BatchSetupError} naming the module and what it exports otherwise.
 */
export async function loadAgent(path: string, cwd: string): Promise<Agent<unknown, unknown>> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  try {
    if (!(await stat(file)).isFile()) throw new BatchSetupError({ message: `the agent module ${path} is not a file.` });
  } catch (error) {
    if (error instanceof BatchSetupError) throw error;
    throw new BatchSetupError({ message: `cannot find the agent module ${path} (${file}).`, cause: error });
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const typescript =
      (error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?ts$/.test(file)
        ? ' A .ts module needs node to run under a TypeScript loader (node --import tsx …), or build it to .js first.'
        : '';
    throw new BatchSetupError({
      message: `cannot import the agent module ${path}: ${messageOf(error)}.${typescript}`,
      cause: error,
    });
  }
  const agent = [module.default, module.agent].find((value) => Agent.isAgent(value));
  if (agent === undefined) {
    const names = Object.keys(module).filter((name) => name !== 'default');
    throw new BatchSetupError({
      message:
        `the agent module ${path} exports no Agent: its default export is ${kind(module.default)}` +
        `${'agent' in module ? `, its export 'agent' is ${kind(module.agent)}` : ''}` +
        `${names.length > 0 ? ` (its named exports: ${names.join(', ')})` : ''}. ` +
        'Write export default new Agent({ ... }) (or export const agent = ...).',
    });
  }
  return agent as Agent<unknown, unknown>;
}

/**
 * Refuses an existing non-empty `--out` without `--resume` (results are never overwritten by
 * accident), and checks that it can be appended to (creating it empty when missing).
 */
export async function checkOut(out: string, resume: boolean): Promise<void> {
  const size = await stat(out).then(
    (info) => (info.isFile() ? info.size : -1),
    () => 0,
  );
  if (size < 0) throw new BatchSetupError({ message: `--out ${out} is not a file.` });
  if (size > 0 && !resume) {
    throw new BatchSetupError({ message: `${out} exists; pass --resume to go on, or remove it.` });
  }
  try {
    await (await open(out, 'a')).close();
  } catch (error) {
    throw new BatchSetupError({ message: `cannot write --out ${out}: ${messageOf(error)}`, cause: error });
  }
}

/** Where the command's progress goes. */
export interface BatchOutput {
  /** Whether stderr is a terminal: a bar redrawn in place (every 200 ms) instead of lines (every 2 s). */
  readonly tty: boolean;
  readonly write: (text: string) => void;
  /** A clock in ms, for the rate and the ETA. */
  readonly now: () => number;
}

/** How a batch ended: the last snapshot, and whether `stop()` ended it. */
export interface BatchOutcome {
  readonly snapshot: BatchSnapshot;
  readonly stopped: boolean;
}

/** A running batch: `done` settles when it ends (rejects when it could not go on); `stop()` cancels it. */
export interface BatchJob {
  readonly done: Promise<BatchOutcome>;
  stop(): void;
}

/**
 * Checks the files, loads the agent and starts the batch. Throws {@link BatchSetupError} or
 * `InputFileError` (exit code 2) before anything runs.
 */
export async function startBatch(config: BatchConfig, output: BatchOutput, cwd: string): Promise<BatchJob> {
  await checkReadable(config.input);
  const agent = await loadAgent(config.agentModule, cwd);
  await checkOut(config.out, config.resume);
  const total = await countItems(config.input);

  const startedAt = output.now();
  let snapshot: BatchSnapshot = {
    total,
    completed: 0,
    failed: 0,
    skipped: 0,
    inFlight: 0,
    totalTokens: 0,
    requestsPerMinute: 0,
    elapsedMs: 0,
  };
  const clear = output.tty ? '\r\x1b[2K' : '';
  let shown = false;
  const draw = (): void => {
    snapshot = { ...snapshot, elapsedMs: output.now() - startedAt };
    if (output.tty) output.write(`${clear}${progressBar(snapshot)}`);
    else output.write(`${progressText(snapshot)}\n`);
    shown = output.tty;
  };
  const say = (line: string): void => {
    output.write(`${shown ? clear : ''}${line}\n`);
    if (shown) output.write(progressBar(snapshot));
  };

  const items = readJsonLines(config.input, (bad) =>
    say(
      `rxjs-agents batch: ${config.input} line ${bad.lineNumber} is not JSON (${bad.message}): item ${bad.index} is recorded as failed.`,
    ),
  ) as BatchItems<unknown>;
  const events = runBatch(agent, items, {
    checkpoint: jsonLinesCheckpoint(config.out),
    progressIntervalMs: output.tty ? 200 : 2000,
    ...(config.concurrency === undefined ? {} : { concurrency: config.concurrency }),
    ...(config.requestsPerMinute === undefined ? {} : { requestsPerMinute: config.requestsPerMinute }),
    ...(config.tokensPerMinute === undefined ? {} : { tokensPerMinute: config.tokensPerMinute }),
    ...(config.context === undefined ? {} : { context: config.context.value }),
    ...(config.batchApi === undefined ? {} : { engine: openAIBatch(config.batchApi) }),
  });

  const update = (event: BatchEvent): void => {
    if (event.type === 'item-completed') {
      snapshot = {
        ...snapshot,
        completed: snapshot.completed + 1,
        totalTokens: snapshot.totalTokens + event.usage.totalTokens,
      };
    } else if (event.type === 'item-failed') {
      const tokens = event.partial?.usage.totalTokens ?? 0;
      snapshot = { ...snapshot, failed: snapshot.failed + 1, totalTokens: snapshot.totalTokens + tokens };
    } else if (event.type === 'batch-progress') {
      snapshot = {
        ...snapshot,
        completed: event.completed,
        failed: event.failed,
        skipped: event.skipped,
        inFlight: event.inFlight,
        totalTokens: event.usage.totalTokens,
        requestsPerMinute: event.requestsPerMinute,
        ...(event.jobs === undefined ? {} : { jobs: event.jobs }),
      };
      draw();
    } else {
      snapshot = {
        ...snapshot,
        completed: event.completed,
        failed: event.failed,
        skipped: event.skipped,
        inFlight: 0,
        totalTokens: event.usage.totalTokens,
      };
    }
  };

  const end = (): BatchSnapshot => {
    if (shown) output.write(clear);
    shown = false;
    return { ...snapshot, elapsedMs: output.now() - startedAt };
  };
  let stop = (): void => undefined;
  const done = new Promise<BatchOutcome>((resolveDone, rejectDone) => {
    const subscription = events.subscribe({
      next: update,
      error: (error: unknown) => {
        end();
        rejectDone(error instanceof Error ? error : new Error(messageOf(error)));
      },
      complete: () => resolveDone({ snapshot: end(), stopped: false }),
    });
    stop = () => {
      if (subscription.closed) return;
      // The runs in flight are cancelled; what finished is in --out already.
      subscription.unsubscribe();
      resolveDone({ snapshot: { ...end(), inFlight: 0 }, stopped: true });
    };
  });
  return { done, stop: () => stop() };
}

#!/usr/bin/env node
/**
 * The `rxjs-agents` command (package.json `bin`): `serve`, the local OpenAI-compatible server,
 * and `batch`, an agent over a JSON Lines file. This file owns the process: output, exit codes,
 * signals.
 */
import { describeThrown } from '../testing/server/errors.js';
import { batchUsage, parseBatchArgs } from './batchArgs.js';
import type { BatchJob } from './batchCommand.js';
import { InputFileError, messageOf } from './jsonLinesInput.js';
import { summaryLine } from './progressLine.js';
import { describeConfig, parseServeArgs, serveUsage, startServe, UsageError } from './serveCommand.js';

const usage = `Usage: rxjs-agents <command>

Commands:
  serve    run the local OpenAI-compatible server (rxjs-agents serve --help)
  batch    run an agent over a JSON Lines file of inputs (rxjs-agents batch --help)`;

function fail(code: number, message: string, hint?: string): void {
  process.stderr.write(`rxjs-agents: ${message}\n${hint === undefined ? '' : `${hint}\n`}`);
  process.exitCode = code;
}

async function serve(args: readonly string[]): Promise<void> {
  let config;
  try {
    config = parseServeArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(2, `serve: ${error.message}`, "Run 'rxjs-agents serve --help' for usage.");
  }
  if (config.help) return void process.stdout.write(`${serveUsage}\n`);

  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  let server;
  try {
    server = await startServe(config, log);
  } catch (error) {
    return fail(1, `serve: ${error instanceof Error ? error.message : describeThrown(error)}`);
  }
  log(`rxjs-agents local server at ${server.url}, answering with ${describeConfig(config)}. Ctrl+C stops it.`);
  process.stdout.write(`OPENAI_BASE_URL=${server.url}\n`);

  const stop = (): void => {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    // The responder's failures were printed as they happened; closing is all that is left.
    server.close().catch(() => undefined);
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
}

/** The exit code after a signal: 128 + its number, as shells report it. */
const signalCodes = { SIGINT: 130, SIGTERM: 143 } as const;

async function batch(args: readonly string[]): Promise<void> {
  let config;
  try {
    config = parseBatchArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(2, `batch: ${error.message}`, "Run 'rxjs-agents batch --help' for usage.");
  }
  if (config.help) return void process.stdout.write(`${batchUsage}\n`);

  const write = (text: string): void => void process.stderr.write(text);
  // Loaded only now: the library takes a moment to load, and a wrong command line is told without it.
  const { BatchSetupError, startBatch } = await import('./batchCommand.js');
  let job: BatchJob;
  try {
    job = await startBatch(
      config,
      { tty: process.stderr.isTTY === true, write, now: () => performance.now() },
      process.cwd(),
    );
  } catch (error) {
    const setup = error instanceof BatchSetupError || error instanceof InputFileError;
    return fail(setup ? 2 : 1, `batch: ${messageOf(error)}`);
  }

  let signal: keyof typeof signalCodes | undefined;
  const onSignal = (received: keyof typeof signalCodes): void => {
    signal ??= received;
    job.stop();
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt).on('SIGTERM', onTerm);
  let outcome;
  try {
    outcome = await job.done;
  } catch (error) {
    return fail(error instanceof InputFileError ? 2 : 1, `batch: ${messageOf(error)}`);
  } finally {
    process.off('SIGINT', onInt).off('SIGTERM', onTerm);
  }
  if (signal !== undefined) {
    write(
      `rxjs-agents batch: stopped by ${signal}; the runs in flight were cancelled, the finished ones are in ${config.out} (--resume goes on).\n`,
    );
  }
  write(`${summaryLine(outcome.snapshot, config.out)}\n`);
  process.exitCode = signal !== undefined ? signalCodes[signal] : outcome.snapshot.failed > 0 ? 1 : 0;
  // A cancelled request's socket may take a moment to close; nothing is left to save by then.
  if (signal !== undefined) setTimeout(() => process.exit(), 2000).unref();
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    return void process.stdout.write(`${usage}\n`);
  }
  if (command === 'serve') return serve(rest);
  if (command === 'batch') return batch(rest);
  fail(2, command === undefined ? 'no command given.' : `unknown command '${command}'.`, usage);
}

main(process.argv.slice(2)).catch((error: unknown) => fail(1, describeThrown(error)));

#!/usr/bin/env node
/**
 * The `rxjs-agents` command (package.json `bin`). One command so far: `serve`, the local
 * OpenAI-compatible server. This file owns the process: output, exit codes, signals.
 */
import { describeThrown } from '../testing/server/errors.js';
import { describeConfig, parseServeArgs, serveUsage, startServe, UsageError } from './serveCommand.js';

const usage = `Usage: rxjs-agents <command>

Commands:
  serve    run the local OpenAI-compatible server (rxjs-agents serve --help)`;

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

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    return void process.stdout.write(`${usage}\n`);
  }
  if (command === 'serve') return serve(rest);
  fail(2, command === undefined ? 'no command given.' : `unknown command '${command}'.`, usage);
}

main(process.argv.slice(2)).catch((error: unknown) => fail(1, describeThrown(error)));

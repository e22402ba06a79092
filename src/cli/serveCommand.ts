/**
 * `rxjs-agents serve`: the local OpenAI-compatible server from the command line, so an app (a
 * front end, a server, a demo) runs offline against echo, recordings or a script without anyone
 * writing a test. This file reads the flags and starts the server; `main.ts` owns the process.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AgentsError } from '../errors.js';
import type { ServerTurn } from '../testing/script.js';
import { describeThrown } from '../testing/server/errors.js';
import { echo } from '../testing/server/echo.js';
import { fixtureResponder } from '../testing/server/fixtureResponder.js';
import { startServer } from '../testing/server/httpServer.js';
import type { LocalServer, Responder } from '../testing/server/types.js';

export const serveUsage = `Usage: rxjs-agents serve (--echo | --fixture <file.jsonl>... | --script <file.json>) [options]

Runs the rxjs-agents local OpenAI-compatible server (POST /v1/responses and
POST /v1/chat/completions, streamed or not) until Ctrl+C, and prints the base URL
to give the OpenAI client: OPENAI_BASE_URL=http://127.0.0.1:<port>/v1
Any API key is accepted.

Answers (--script may come with --echo or --fixture: its turns are served first):
  --echo                 answer with the last user message's text, word by word
  --fixture <file>       replay a .jsonl recording (one event per line), by request
                         order, looping; repeat the flag for more recordings (each
                         API gets its own: Responses API or Chat Completions)
  --script <file>        serve a JSON array of scripted turns in order, then 500s
Options:
  --port <n>             the port to listen on (default 0: a free port)
  --host <address>       the address to listen on (default 127.0.0.1)
  --delay <ms>           wait this long between streamed events (default 0)
  -h, --help             print this help

Exit codes: 0 after Ctrl+C or SIGTERM, 1 when a file cannot be used or the
server cannot start, 2 when the command line is wrong.`;

/** The command line is wrong: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends AgentsError {}

/** A file or the server itself failed: printed, exit code 1. */
export class StartError extends AgentsError {}

/** What `rxjs-agents serve` was asked to do. */
export interface ServeConfig {
  readonly help: boolean;
  readonly echo: boolean;
  readonly fixtures: readonly string[];
  readonly script: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly delayMs: number | undefined;
}

function integer(flag: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) {
    throw new UsageError({ message: `${flag} takes a whole number from 0 to ${max}; got '${text}'.` });
  }
  return value;
}

/** Reads `rxjs-agents serve`'s flags; throws `UsageError` for anything wrong with them. */
export function parseServeArgs(args: readonly string[]): ServeConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        echo: { type: 'boolean' },
        fixture: { type: 'string', multiple: true },
        script: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        delay: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError({ message: error instanceof Error ? error.message : String(error) });
  }
  const config: ServeConfig = {
    help: values.help === true,
    echo: values.echo === true,
    fixtures: values.fixture ?? [],
    script: values.script,
    port: integer('--port', values.port, 65_535) ?? 0,
    host: values.host ?? '127.0.0.1',
    delayMs: integer('--delay', values.delay, 3_600_000),
  };
  if (config.help) return config;
  if (config.echo && config.fixtures.length > 0) {
    throw new UsageError({ message: 'give --echo or --fixture, not both.' });
  }
  if (!config.echo && config.fixtures.length === 0 && config.script === undefined) {
    throw new UsageError({ message: 'say how to answer: --echo, --fixture <file.jsonl> or --script <file.json>.' });
  }
  return config;
}

function readScript(path: string): ServerTurn[] {
  let turns: unknown;
  try {
    turns = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new StartError({ message: `--script ${path}: ${describeThrown(error)}`, cause: error });
  }
  if (!Array.isArray(turns)) {
    throw new StartError({ message: `--script ${path}: a JSON array of turns, such as [{ "text": "Hello." }].` });
  }
  return turns as ServerTurn[];
}

/** A responder that also prints what it throws (the request still gets its 500). */
function logged(responder: Responder, log: (line: string) => void): Responder {
  return async (request) => {
    try {
      return await responder(request);
    } catch (error) {
      log(`rxjs-agents serve: request ${request.index} answered 500: ${describeThrown(error)}`);
      throw error;
    }
  };
}

/** Starts the server `config` describes; files are read first, and their problems are `StartError`s. */
export async function startServe(config: ServeConfig, log: (line: string) => void): Promise<LocalServer> {
  try {
    const turns = config.script === undefined ? undefined : readScript(config.script);
    const responder = config.echo
      ? echo
      : config.fixtures.length > 0
        ? fixtureResponder(config.fixtures, '--fixture')
        : undefined;
    return await startServer({
      ...(turns === undefined ? {} : { turns }),
      ...(responder === undefined ? {} : { respond: logged(responder, log) }),
      ...(config.delayMs === undefined ? {} : { delayMs: config.delayMs }),
      port: config.port,
      host: config.host,
    });
  } catch (error) {
    if (error instanceof StartError) throw error;
    throw new StartError({ message: describeThrown(error), cause: error });
  }
}

/** What the server answers with, for the line printed at start. */
export function describeConfig(config: ServeConfig): string {
  const parts = [
    ...(config.script === undefined ? [] : [`the script ${config.script}`]),
    ...(config.echo ? ['echo'] : []),
    ...(config.fixtures.length > 0 ? [`the recordings ${config.fixtures.join(', ')} (looping)`] : []),
  ];
  return parts.join(', then ');
}

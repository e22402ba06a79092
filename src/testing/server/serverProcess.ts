/**
 * Runs the local server in a child process, for tests whose calling thread blocks (`runSync`
 * waits with `Atomics.wait`, so a server on that thread could never answer).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../../errors.js';
import { answersFor } from './answers.js';
import { batchSettings } from './batchChecks.js';
import { RateBudget } from './rateBudget.js';
import { ResponderError } from './errors.js';
import { shiftTimes, type ChildMessage, type ChildServerOptions, type ParentMessage } from './protocol.js';
import type { RecordedRequest, ServerOptions } from './types.js';

/**
 * Options of `startServerProcess`: those of `startServer` that can cross to another process as
 * data — `turns` (plain JSON), `echo`, `fixture` (paths), `delayMs`, `batches`, `rateLimits`,
 * `port`, `host`. Not
 * `respond`: a function cannot be sent to the child, so giving one throws `InvalidArgumentError`;
 * answer by request in the child with `fixture` or `echo`, or use `startServer` where the calling
 * thread does not block.
 */
export interface ServerProcessOptions extends Omit<ServerOptions, 'respond'> {
  /** Not available here (a function cannot cross to the child process); see `startServer`. */
  readonly respond?: never;
}

/** A local server running in a child process. */
export interface ServerProcess {
  /** The base URL for the OpenAI client, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** The requests so far, with times on this process's `performance.now()` clock. */
  requests(): Promise<RecordedRequest[]>;
  /**
   * Closes the server and waits for the child process to exit. Rejects, then, with a
   * `ResponderError` (of the messages) when the child's responder failed for any request.
   */
  close(): Promise<void>;
}

/** How long `close()` waits for the child to leave on its own before killing it. */
const exitGraceMs = 5_000;

/**
 * The child's entry and the `execArgv` to run it: the built `child.js` as is, or, when this module
 * runs from TypeScript source (under vitest or tsx), `child.ts` through tsx's loader.
 */
function childEntry(): { path: string; execArgv: string[] } {
  const fromSource = /\.[cm]?ts$/.test(new URL(import.meta.url).pathname);
  const path = fileURLToPath(new URL(fromSource ? './child.ts' : './child.js', import.meta.url));
  if (!fromSource) return { path, execArgv: [] };
  let loader = 'tsx';
  try {
    loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    // Let Node resolve `tsx` from the working directory.
  }
  return { path, execArgv: ['--import', loader] };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function toPath(file: string | URL): string {
  return file instanceof URL ? fileURLToPath(file) : resolve(file);
}

/**
 * The options as data for the child, checked here first (the same checks as `startServer`'s, so a
 * mistake throws `InvalidArgumentError` in the caller, not in the other process).
 */
function childOptions(options: ServerProcessOptions): ChildServerOptions {
  if ((options as ServerOptions).respond !== undefined) {
    throw new InvalidArgumentError({
      argument: 'options.respond',
      message:
        'startServerProcess cannot take a function: it cannot cross to the child process. ' +
        'Use turns, echo or fixture here, or startServer({ respond }) where the calling thread does not block.',
    });
  }
  answersFor(options);
  batchSettings(options.batches);
  RateBudget.of(options.rateLimits);
  const { fixture } = options;
  const files = fixture === undefined ? undefined : Array.isArray(fixture) ? fixture : [fixture as string | URL];
  return {
    ...(options.turns === undefined ? {} : { turns: options.turns }),
    ...(options.echo === undefined ? {} : { echo: options.echo }),
    ...(files === undefined ? {} : { fixture: files.map(toPath) }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    ...(options.batches === undefined ? {} : { batches: { ...options.batches } }),
    ...(options.rateLimits === undefined ? {} : { rateLimits: { ...options.rateLimits } }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  };
}

/**
 * Starts the local server (`startServer`) in a child process forked with `node:child_process`,
 * and talks to it over IPC. It takes `startServer`'s options that are data (see
 * {@link ServerProcessOptions}): scripted `turns` (plain JSON), `echo`, `fixture`; not `respond`.
 */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const start = childOptions(options);
  const { path, execArgv } = childEntry();
  const child = fork(path, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  const send = (message: ParentMessage): void => {
    if (child.connected) child.send(message);
  };

  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type === 'ready') settle(() => resolve(message.url));
      if (message.type === 'failed')
        settle(() => reject(new Error(`The local server process failed: ${message.message}`)));
    };
    const onExit = (code: number | null): void =>
      settle(() => reject(new Error(`The local server process exited (code ${code}) before it was ready.`)));
    const onError = (error: Error): void => settle(() => reject(error));
    const settle = (then: () => void): void => {
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
      then();
    };
    child.on('message', onMessage).on('exit', onExit).on('error', onError);
    send({ type: 'start', options: start });
  });

  let nextId = 0;
  let closing: Promise<void> | undefined;
  let responderErrors: readonly string[] = [];
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'closed') responderErrors = message.errors;
  });
  return {
    url,
    requests(): Promise<RecordedRequest[]> {
      const id = (nextId += 1);
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          return reject(new Error('The local server process has exited.'));
        }
        const onMessage = (message: ChildMessage): void => {
          if (message.type !== 'requests' || message.id !== id) return;
          child.off('message', onMessage).off('exit', onExit);
          resolve(message.requests.map((request) => shiftTimes(request, -performance.timeOrigin)));
        };
        const onExit = (): void => {
          child.off('message', onMessage);
          reject(new Error('The local server process has exited.'));
        };
        child.on('message', onMessage).once('exit', onExit);
        send({ type: 'requests', id });
      });
    },
    close(): Promise<void> {
      closing ??= (async () => {
        const exit = exited(child);
        send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), exitGraceMs);
        await exit;
        clearTimeout(timer);
        if (responderErrors.length > 0) throw new ResponderError({ errors: responderErrors });
      })();
      return closing;
    },
  };
}

/**
 * Runs the local server in a child process, for tests whose calling thread blocks (`runSync`
 * waits with `Atomics.wait`, so a server on that thread could never answer).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shiftTimes, type ChildMessage, type ParentMessage } from './protocol.js';
import type { ServerTurn } from '../script.js';
import type { RecordedRequest } from './types.js';

/** A local server running in a child process. */
export interface ServerProcess {
  /** The base URL for the OpenAI client, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** The requests so far, with times on this process's `performance.now()` clock. */
  requests(): Promise<RecordedRequest[]>;
  /** Closes the server and waits for the child process to exit. */
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

/**
 * Starts the local server (`startServer`) in a child process forked with `node:child_process`,
 * scripted with `turns`, and talks to it over IPC. The turns must be plain JSON data.
 */
export async function startServerProcess(options: { turns: readonly ServerTurn[] }): Promise<ServerProcess> {
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
    send({ type: 'start', turns: options.turns });
  });

  let nextId = 0;
  let closing: Promise<void> | undefined;
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
      })();
      return closing;
    },
  };
}

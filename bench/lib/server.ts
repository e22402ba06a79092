/**
 * Runs the local OpenAI-compatible server in a child process (see `serverChild.ts`), so that its
 * CPU work (building and writing every server-sent event) runs on the other core and not on the
 * event loop being measured — the way a real API server is somewhere else.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerTurn } from 'rxjs-agents/testing/server';

export interface BenchServer {
  /** The base URL for an OpenAI client, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** Queues `count` copies of `turn`; resolves once the server has them. */
  push(turn: ServerTurn, count: number): Promise<void>;
  /** How many requests are still open (and the total since the last call that found none open). */
  stats(): Promise<{ open: number; total: number }>;
  close(): Promise<void>;
}

export interface BenchServerOptions {
  /**
   * Answer from bytes encoded once (`preEncodedServer.ts`) rather than by the local server
   * itself, whose pace of about 25 µs an event is slower than the clients over the wire.
   * Only for turns without faults.
   */
  readonly preEncoded?: boolean;
}

export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const args = options.preEncoded ? ['--pre-encoded'] : [];
  const child = fork(fileURLToPath(new URL('./serverChild.ts', import.meta.url)), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type: string; url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`The benchmark server exited early (code ${code}).`)));
  });
  let nextId = 0;
  const ask = <T>(message: object): Promise<T> => {
    const id = ++nextId;
    return new Promise<T>((resolve) => {
      const onMessage = (reply: { type: string; id: number }): void => {
        if (reply.type !== 'done' || reply.id !== id) return;
        child.off('message', onMessage);
        resolve(reply as T);
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  };
  return {
    url,
    push: async (turn, count) => void (await ask({ type: 'push', turn, count })),
    stats: () => ask<{ open: number; total: number }>({ type: 'stats' }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}

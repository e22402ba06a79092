/**
 * The local server of `rxjs-agents/testing/server`, one per test: `serve(...turns)` starts it, and
 * it is closed after each test of the file that calls `useLocalServer()`.
 */
import { afterEach } from 'vitest';
import { startServer, type LocalServer, type ServerTurn } from '../../src/testing/server/index.js';

export interface LocalServerPerTest {
  /** Starts this test's server, scripted with `turns`. */
  readonly serve: (...turns: ServerTurn[]) => Promise<LocalServer>;
  /** This test's server, once `serve` has started it. */
  readonly current: LocalServer | undefined;
}

/** Registers an `afterEach` that closes the server; call it at the top of a spec file or `describe`. */
export function useLocalServer(): LocalServerPerTest {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    serve: async (...turns) => {
      server = await startServer({ turns });
      return server;
    },
    get current() {
      return server;
    },
  };
}

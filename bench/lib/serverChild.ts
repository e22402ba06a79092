/**
 * The benchmark's server process: rxjs-agents' local OpenAI-compatible server (`startServer`),
 * scripted over IPC one turn at a time. `startServerProcess` takes its whole script as JSON up front;
 * here the parent sends a turn once with a count, and the child queues that many references to it,
 * so 200 runs of 20,000 deltas cost one IPC message rather than 4,000,000 strings.
 *
 * With `--pre-encoded`, the child answers from a front of its own (`preEncodedServer.ts`): each
 * answer is built by the local server once, and then sent again from its recorded bytes.
 */
import { startServer } from 'rxjs-agents/testing/server';
import type { LocalServer, ServerTurn } from 'rxjs-agents/testing/server';
import { startPreEncodedServer, type ScriptedServer } from './preEncodedServer.js';

type Message =
  | { readonly type: 'push'; readonly id: number; readonly turn: ServerTurn; readonly count: number }
  | { readonly type: 'stats'; readonly id: number }
  | { readonly type: 'close' };

function scripted(server: LocalServer): ScriptedServer {
  return {
    url: server.url,
    push: (turn, count) => server.push(...new Array<ServerTurn>(count).fill(turn)),
    stats: () => {
      const open = server.requests.filter((request) => request.closedAt === undefined).length;
      // The records hold every request body; drop them so a long benchmark does not grow the server.
      const total = server.requests.length;
      if (open === 0) (server.requests as unknown[]).length = 0;
      return { open, total };
    },
    close: () => server.close(),
  };
}

const local = await startServer();
const server = process.argv.includes('--pre-encoded') ? await startPreEncodedServer(local) : scripted(local);
process.send?.({ type: 'ready', url: server.url });

process.on('message', (message: Message) => {
  switch (message.type) {
    case 'push':
      server.push(message.turn, message.count);
      process.send?.({ type: 'done', id: message.id });
      return;
    case 'stats':
      process.send?.({ type: 'done', id: message.id, ...server.stats() });
      return;
    case 'close':
      void server.close().then(() => process.disconnect());
      return;
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));

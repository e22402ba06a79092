/**
 * The benchmark's server process: rxjs-agents' local OpenAI-compatible server (`startServer`),
 * scripted over IPC one turn at a time. `startServerProcess` takes its whole script up front as JSON;
 * here the parent sends a turn once with a count, and the child queues that many references to it,
 * so 200 runs of 20,000 deltas cost one IPC message rather than 4,000,000 strings.
 */
import { startServer } from 'rxjs-agents/testing/server';
import type { LocalServer, ServerTurn } from 'rxjs-agents/testing/server';

type Message =
  | { readonly type: 'push'; readonly id: number; readonly turn: ServerTurn; readonly count: number }
  | { readonly type: 'stats'; readonly id: number }
  | { readonly type: 'close' };

const server: LocalServer = await startServer();
process.send?.({ type: 'ready', url: server.url });

process.on('message', (message: Message) => {
  switch (message.type) {
    case 'push':
      server.push(...new Array<ServerTurn>(message.count).fill(message.turn));
      process.send?.({ type: 'done', id: message.id });
      return;
    case 'stats': {
      const open = server.requests.filter((request) => request.closedAt === undefined).length;
      // The records hold every request body; drop them so a long benchmark does not grow the server.
      const total = server.requests.length;
      if (open === 0) (server.requests as unknown[]).length = 0;
      process.send?.({ type: 'done', id: message.id, open, total });
      return;
    }
    case 'close':
      void server.close().then(() => process.disconnect());
      return;
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));

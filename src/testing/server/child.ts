/**
 * The entry of the child process `startServerProcess` forks: runs `startServer` and answers the
 * parent over IPC. It closes the server and leaves when told to, or when the parent goes away.
 */
import { performance } from 'node:perf_hooks';
import { startServer } from './httpServer.js';
import { shiftTimes, type ChildMessage, type ParentMessage } from './protocol.js';
import type { LocalServer } from './types.js';

let server: LocalServer | undefined;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function shutdown(): Promise<void> {
  process.off('message', onMessage);
  await server?.close();
  if (process.connected) process.disconnect();
}

function onMessage(message: ParentMessage): void {
  switch (message.type) {
    case 'start':
      startServer({ turns: message.turns }).then(
        (started) => {
          server = started;
          send({ type: 'ready', url: started.url });
        },
        (error: unknown) => send({ type: 'failed', message: String(error) }),
      );
      return;
    case 'requests':
      send({
        type: 'requests',
        id: message.id,
        requests: (server?.requests ?? []).map((request) => shiftTimes(request, performance.timeOrigin)),
      });
      return;
    case 'close':
      void shutdown();
      return;
  }
}

process.on('message', onMessage);
process.on('disconnect', () => void shutdown());

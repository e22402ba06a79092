/**
 * The entry of the child process `startServerProcess` forks: runs `startServer` and answers the
 * parent over IPC. It closes the server and leaves when told to, or when the parent goes away.
 */
import { performance } from 'node:perf_hooks';
import { describeThrown, ResponderError } from './errors.js';
import { startServer } from './httpServer.js';
import { shiftTimes, type ChildMessage, type ParentMessage } from './protocol.js';
import type { LocalServer } from './types.js';

let server: LocalServer | undefined;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function shutdown(): Promise<void> {
  process.off('message', onMessage);
  let errors: string[] = [];
  try {
    await server?.close();
  } catch (error) {
    errors = ResponderError.isInstance(error) ? error.errors.map(describeThrown) : [describeThrown(error)];
  }
  if (!process.connected) return;
  // Disconnect once the report is handed over, so the parent has it before the exit.
  process.send?.({ type: 'closed', errors } satisfies ChildMessage, () => {
    if (process.connected) process.disconnect();
  });
}

function onMessage(message: ParentMessage): void {
  switch (message.type) {
    case 'start':
      startServer(message.options).then(
        (started) => {
          server = started;
          send({ type: 'ready', url: started.url });
        },
        (error: unknown) => send({ type: 'failed', message: describeThrown(error) }),
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

/**
 * A model server that never stops talking: it answers every request with a stream of text deltas
 * that has no end, on the Responses API or Chat Completions, and writes the way a real server does
 * — `write()` until the socket is full, then wait for `drain`. So `written` tells how much of the
 * stream the client has taken off the wire: with backpressure it stops growing when the client
 * stops reading.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EndlessModelServer {
  /** The base URL for the OpenAI client. */
  readonly url: string;
  /** The number of text deltas written so far, over every request. */
  readonly written: number;
  /** The bytes of the stream written so far, over every request. */
  readonly writtenBytes: number;
  /** How many responses are streaming now (a client that leaves closes its own). */
  readonly open: number;
  close(): Promise<void>;
}

/** The text of each delta: 1 kB, so that a few thousand fill every buffer on the way. */
export const endlessDelta = 'lorem ipsum '.repeat(85);

function responsesFrame(sequence: number): string {
  const event = {
    type: 'response.output_text.delta',
    sequence_number: sequence,
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    delta: endlessDelta,
  };
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function chatFrame(): string {
  const chunk = {
    id: 'chatcmpl-endless',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'endless',
    choices: [{ index: 0, delta: { content: endlessDelta }, finish_reason: null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export async function startEndlessModelServer(): Promise<EndlessModelServer> {
  let written = 0;
  let writtenBytes = 0;
  let open = 0;
  const sockets = new Set<Socket>();

  const stream = (path: string, response: ServerResponse): void => {
    const chat = path.endsWith('/chat/completions');
    open += 1;
    response.once('close', () => (open -= 1));
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    if (!chat) {
      const created = { type: 'response.created', sequence_number: 0, response: { id: 'resp_endless' } };
      response.write(`event: response.created\ndata: ${JSON.stringify(created)}\n\n`);
    }
    let sequence = 1;
    const pump = (): void => {
      while (!response.destroyed) {
        const frame = chat ? chatFrame() : responsesFrame(sequence++);
        written += 1;
        writtenBytes += Buffer.byteLength(frame);
        if (!response.write(frame)) {
          response.once('drain', pump);
          return;
        }
      }
    };
    pump();
  };

  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => stream(request.url ?? '/', response));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get written() {
      return written;
    },
    get writtenBytes() {
      return writtenBytes;
    },
    get open() {
      return open;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

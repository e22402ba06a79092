/**
 * Backpressure over real loopback HTTP: an endless model stream, served to a client that reads
 * once and then stops. The server must stop reading the model while the client does not read
 * (what the model server managed to write, and the deltas the run produced, stop growing), and go
 * on when the client reads again.
 */
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { filter, finalize, tap, type Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent.js';
import type { RunEvent } from '../../src/events.js';
import { toAsyncIterable } from '../../src/interop/toAsyncIterable.js';
import { toReadableStream } from '../../src/interop/toReadableStream.js';
import { OpenAIChatCompletionsModel, OpenAIResponsesModel } from '../../src/models/index.js';
import { serveServerSentEvents } from '../../src/node/index.js';
import { Runner } from '../../src/runner/runner.js';
import { startEndlessModelServer, type EndlessModelServer } from '../helpers/endlessModelServer.js';
import { until } from '../helpers/waiting.js';

/**
 * Far more than every buffer between the model server and the client holds (the sockets' kernel
 * buffers, the responses' own, the SDK's; about 10 MB on loopback): without backpressure the
 * server reads the model stream whatever the client does, and these counts pass it in seconds.
 */
const cap = { bytes: 48 * 2 ** 20, deltas: 32 * 2 ** 10 };

/**
 * Waits until `count()` stops growing (the same over 300 ms of polls) and returns it; fails once
 * it passes `cap`. Time only decides when to look: what is asserted is a count.
 */
async function settled(count: () => number, bound: number): Promise<number> {
  let last = -1;
  let same = 0;
  for (;;) {
    const now = count();
    expect(now, 'the count grew past the bound: the stream is read whatever the client does').toBeLessThan(bound);
    same = now === last ? same + 1 : 0;
    if (same >= 6) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An endless answer passes any default bound on a response's text: this one is far off. */
const endlessRunner = (): Runner => new Runner({ maxOutputCharacters: 2 ** 28 });

let model: EndlessModelServer | undefined;
let app: Server | undefined;
afterEach(async () => {
  app?.closeAllConnections();
  await new Promise<void>((resolve) => (app === undefined ? resolve() : app.close(() => resolve())));
  await model?.close();
  app = undefined;
  model = undefined;
});

describe.each([
  ['Responses API', (client: OpenAI) => new OpenAIResponsesModel({ model: 'endless', client })],
  ['Chat Completions', (client: OpenAI) => new OpenAIChatCompletionsModel({ model: 'endless', client })],
] as const)('serveServerSentEvents with a client that stops reading (%s)', (_api, makeModel) => {
  it('stops reading the endless model stream while the client stalls, and goes on when it reads', async () => {
    model = await startEndlessModelServer();
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: model.url, maxRetries: 0 });
    const agent = new Agent({ name: 'Endless', model: makeModel(client) });
    let deltas = 0;
    let runEnded = false;
    app = createServer((_request, response) => {
      const run$ = endlessRunner()
        .runStreamed(agent, 'Talk forever.')
        .pipe(
          filter((event) => event.type !== 'raw'),
          tap({ next: (event) => (deltas += event.type === 'text-delta' ? 1 : 0), finalize: () => (runEnded = true) }),
        );
      serveServerSentEvents(response, run$);
    });
    await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve));
    const { port } = app.address() as AddressInfo;

    // The client: reads one chunk, then stops reading (its socket fills up).
    let received = 0;
    const response = await new Promise<IncomingMessage>((resolve) => get(`http://127.0.0.1:${port}/`, resolve));
    await new Promise<void>((resolve) =>
      response.once('data', (chunk: Buffer) => {
        received += chunk.length;
        response.pause();
        resolve();
      }),
    );
    response.on('data', (chunk: Buffer) => (received += chunk.length));

    const stalledDeltas = await settled(() => deltas, cap.deltas);
    const stalledWritten = await settled(() => model!.writtenBytes, cap.bytes);
    expect(stalledDeltas).toBeGreaterThan(0);
    expect(stalledDeltas).toBeLessThanOrEqual(model.written);
    const receivedWhileStalled = received;

    // The client reads again: the model stream goes on.
    response.resume();
    await until(() => model!.writtenBytes > stalledWritten + 4 * 2 ** 20 && deltas > stalledDeltas + 4_000, 10_000);
    expect(received).toBeGreaterThan(receivedWhileStalled);

    // And leaving still ends the run (a paused run is no exception).
    response.pause();
    await settled(() => model!.writtenBytes, cap.bytes);
    expect(model.open).toBe(1);
    response.destroy();
    await until(() => runEnded, 5_000);
    await until(() => model!.open === 0, 5_000); // the paused model call was aborted, not left waiting
  });
});

/** A reader of a run's events through one of the adapters. */
interface RunReader {
  read(): Promise<void>;
  stop(): Promise<void>;
}

describe.each([
  [
    'toReadableStream',
    (events: Observable<RunEvent<string>>): RunReader => {
      const reader = toReadableStream(events).getReader();
      return { read: async () => void (await reader.read()), stop: () => reader.cancel() };
    },
  ],
  [
    'toAsyncIterable',
    (events: Observable<RunEvent<string>>): RunReader => {
      const iterator = toAsyncIterable(events)[Symbol.asyncIterator]();
      return { read: async () => void (await iterator.next()), stop: async () => void (await iterator.return?.()) };
    },
  ],
] as const)('%s of a run whose reader stops reading', (_adapter, open) => {
  it('stops reading the endless model stream while stalled, goes on when read, and ends on cancel', async () => {
    model = await startEndlessModelServer();
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: model.url, maxRetries: 0 });
    const agent = new Agent({ name: 'Endless', model: new OpenAIResponsesModel({ model: 'endless', client }) });
    let runEnded = false;
    const reader = open(
      endlessRunner()
        .runStreamed(agent, 'Talk forever.')
        .pipe(finalize(() => (runEnded = true))),
    );

    await reader.read();
    const stalled = await settled(() => model!.writtenBytes, cap.bytes);

    for (let i = 0; i < 20_000; i += 1) await reader.read();
    expect(model.writtenBytes).toBeGreaterThan(stalled);
    await settled(() => model!.writtenBytes, stalled + cap.bytes);

    expect(model.open).toBe(1);
    await reader.stop();
    expect(runEnded).toBe(true);
    await until(() => model!.open === 0, 5_000); // the paused model call was aborted, not left waiting
  });
});

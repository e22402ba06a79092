import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { concat, NEVER, Observable, of, throwError } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, type AgUiEvent } from '../../src/index.js';
import { serveAgUi } from '../../src/node/index.js';
import { until } from '../helpers/waiting.js';

const started: AgUiEvent = { type: 'RUN_STARTED', threadId: 't', runId: 'r' };
const finished: AgUiEvent = { type: 'RUN_FINISHED', threadId: 't', runId: 'r', outcome: { type: 'success' } };

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  server = undefined;
  if (!open) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

async function serve(events: () => Observable<AgUiEvent>): Promise<string> {
  server = createServer((_request, response) => void serveAgUi(response, events()));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('serveAgUi', () => {
  it('sends status 200, event-stream headers, and one data frame per event, then ends', async () => {
    const response = await fetch(await serve(() => of(started, finished)));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(await response.text()).toBe(`data: ${JSON.stringify(started)}\n\ndata: ${JSON.stringify(finished)}\n\n`);
  });

  it('ends with a generic RUN_ERROR frame when the events error', async () => {
    const response = await fetch(
      await serve(() =>
        concat(
          of(started),
          throwError(() => new Error('/srv/secret')),
        ),
      ),
    );
    expect(await response.text()).toBe(
      `data: ${JSON.stringify(started)}\n\ndata: {"type":"RUN_ERROR","message":"The run failed.","code":"Error"}\n\n`,
    );
  });

  it('unsubscribes the events when the client aborts', async () => {
    let unsubscribed = false;
    const url = await serve(
      () =>
        new Observable<AgUiEvent>((subscriber) => {
          subscriber.next(started);
          const inner = NEVER.subscribe();
          return () => {
            inner.unsubscribe();
            unsubscribed = true;
          };
        }),
    );
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    await response.body!.getReader().read();
    expect(unsubscribed).toBe(false);
    controller.abort();
    await until(() => unsubscribed);
  });

  it('throws InvalidArgumentError naming the response when its headers were already sent', () => {
    const response = { headersSent: true } as ServerResponse;
    expect(() => serveAgUi(response, of())).toThrow(InvalidArgumentError);
    expect(() => serveAgUi(response, of())).toThrow(expect.objectContaining({ argument: 'response' }));
  });

  it('starts no run on a response that is already destroyed', () => {
    let subscribed = false;
    const response = { headersSent: false, destroyed: true, writableEnded: false } as ServerResponse;
    const subscription = serveAgUi(response, new Observable(() => void (subscribed = true)));
    expect(subscribed).toBe(false);
    expect(subscription.closed).toBe(true);
  });
});

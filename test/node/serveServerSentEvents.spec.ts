import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { concat, lastValueFrom, NEVER, Observable, of, take, throwError, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentsError, InvalidArgumentError, MaxTurnsExceededError } from '../../src/errors.js';
import type { RunEvent } from '../../src/events.js';
import { RemoteRunError } from '../../src/interop/errors.js';
import { fromServerSentEvents } from '../../src/interop/fromServerSentEvents.js';
import { serveServerSentEvents } from '../../src/node/index.js';
import { sampleRun, sampleRunEvents } from '../helpers/sampleRunEvents.js';
import { until } from '../helpers/waiting.js';

/** Server-side state the tests look at: how many runs started, and which were torn down. */
const runs = { started: 0, tornDown: 0 };

function tracked(events: Observable<RunEvent<string>>): Observable<RunEvent<string>> {
  return new Observable<RunEvent<string>>((subscriber) => {
    runs.started++;
    const subscription = events.subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      runs.tornDown++;
    };
  });
}

const routes: Record<string, () => Observable<RunEvent<string>>> = {
  '/run': () => sampleRun(3),
  '/sync': () => of(...sampleRunEvents),
  '/error': () =>
    concat(
      sampleRun(2, sampleRunEvents.slice(0, 4)),
      throwError(() => new MaxTurnsExceededError({ maxTurns: 3 })),
    ),
  '/forever': () => concat(sampleRun(2, sampleRunEvents.slice(0, 3)), NEVER),
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const publicErrors = request.url === '/error-public';
    const route = routes[publicErrors ? '/error' : (request.url ?? '')];
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    // '/error-public' is '/error' served with an errorMessage that shows our own error's message.
    const errorMessage = (error: unknown): string =>
      MaxTurnsExceededError.isInstance(error) ? error.message : 'Something went wrong.';
    serveServerSentEvents(response, tracked(route()), publicErrors ? { errorMessage } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('serveServerSentEvents + fromServerSentEvents over loopback HTTP', () => {
  it('delivers every event of a run, deep-equal and in order, then completes', async () => {
    const received = await lastValueFrom(fromServerSentEvents<string>(`${base}/run`).pipe(toArray()));
    // toEqual, not toStrictEqual: the failed tool's `output: undefined` is absent after JSON, as documented.
    expect(received).toEqual(sampleRunEvents);
    expect(received.at(-1)?.type).toBe('final-output');
  });

  it('delivers a synchronous run the same way', async () => {
    expect(await lastValueFrom(fromServerSentEvents<string>(`${base}/sync`).pipe(toArray()))).toEqual(sampleRunEvents);
  });

  it('sends status 200, event-stream headers, and one frame per event', async () => {
    const response = await fetch(`${base}/sync`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('connection')).toBe('keep-alive');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const frames = (await response.text()).split('\n\n').filter((frame) => frame !== '');
    expect(frames).toHaveLength(sampleRunEvents.length);
    expect(frames[0]).toBe(`event: raw\ndata: ${JSON.stringify(sampleRunEvents[0])}`);
  });

  it("errors the client with the server error's name and a generic message, after the events before it", async () => {
    const { received, error } = await failedRun('/error');
    expect(received).toEqual(sampleRunEvents.slice(0, 4));
    expect(error).toBeInstanceOf(RemoteRunError);
    expect(AgentsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'MaxTurnsExceededError',
      message: 'The run failed (MaxTurnsExceededError).',
    });
  });

  it('sends the message errorMessage makes of the error', async () => {
    const { received, error } = await failedRun('/error-public');
    expect(received).toEqual(sampleRunEvents.slice(0, 4));
    expect(error).toBeInstanceOf(RemoteRunError);
    expect(error).toMatchObject({
      name: 'MaxTurnsExceededError',
      message: new MaxTurnsExceededError({ maxTurns: 3 }).message,
    });
  });

  it('throws InvalidArgumentError at the call when errorMessage is not a function', () => {
    const response = { headersSent: false } as ServerResponse;
    expect(() => serveServerSentEvents(response, of(), { errorMessage: 'no' as unknown as () => string })).toThrow(
      expect.objectContaining({ argument: 'options.errorMessage' }),
    );
  });

  async function failedRun(path: string): Promise<{ received: RunEvent<string>[]; error: unknown }> {
    const received: RunEvent<string>[] = [];
    const error = await new Promise<unknown>((resolve, reject) => {
      fromServerSentEvents<string>(`${base}${path}`).subscribe({
        next: (event) => received.push(event),
        error: resolve,
        complete: () => reject(new Error('completed instead of erroring')),
      });
    });
    return { received, error };
  }

  it('unsubscribes the server-side run when the client unsubscribes', async () => {
    const before = { ...runs };
    const first = await lastValueFrom(fromServerSentEvents<string>(`${base}/forever`).pipe(take(2), toArray()));
    expect(first).toEqual(sampleRunEvents.slice(0, 2));
    expect(runs.started).toBe(before.started + 1);
    await until(() => runs.tornDown === before.tornDown + 1, 1000);
  });

  it('unsubscribes the server-side run when the client aborts its fetch', async () => {
    const before = { ...runs };
    const controller = new AbortController();
    const response = await fetch(`${base}/forever`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    expect(runs.tornDown).toBe(before.tornDown);
    controller.abort();
    await until(() => runs.tornDown === before.tornDown + 1, 1000);
  });

  it('tears the server-side run down once it completes too', async () => {
    const before = { ...runs };
    await lastValueFrom(fromServerSentEvents<string>(`${base}/sync`).pipe(toArray()));
    await until(() => runs.tornDown === before.tornDown + 1, 1000);
  });
});

describe('serveServerSentEvents', () => {
  it('throws InvalidArgumentError naming the response when its headers were already sent', () => {
    const response = { headersSent: true } as ServerResponse;
    expect(() => serveServerSentEvents(response, of())).toThrow(InvalidArgumentError);
    expect(() => serveServerSentEvents(response, of())).toThrow(expect.objectContaining({ argument: 'response' }));
  });

  it('starts no run on a response that is already destroyed', () => {
    let subscribed = false;
    const response = { headersSent: false, destroyed: true, writableEnded: false } as ServerResponse;
    const subscription = serveServerSentEvents(response, new Observable(() => void (subscribed = true)));
    expect(subscribed).toBe(false);
    expect(subscription.closed).toBe(true);
  });
});

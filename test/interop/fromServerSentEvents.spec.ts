import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentsError, InvalidArgumentError, RunAbortedError } from '../../src/errors.js';
import type { RunEvent } from '../../src/events.js';
import { EventStreamError, RemoteRunError } from '../../src/interop/errors.js';
import { fromServerSentEvents } from '../../src/interop/fromServerSentEvents.js';
import { sampleRunEvents } from '../helpers/sampleRunEvents.js';
import { nextMacrotask, quietFor } from '../helpers/waiting.js';

const frame = (event: RunEvent<string>): string => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
const allFrames = sampleRunEvents.map(frame).join('');
const sseHeaders = { 'content-type': 'text/event-stream' };

/** A `/hang` request as the server sees it: when it arrived, and when its socket closed. */
interface Hang {
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;
}
const hangs: { open: () => void; close: () => void }[] = [];

/** The next `/hang` request the server will get: proof that a request (or the client's abort) reached it. */
function nextHang(): Hang {
  let open!: () => void;
  let close!: () => void;
  const hang = {
    opened: new Promise<void>((resolve) => (open = resolve)),
    closed: new Promise<void>((resolve) => (close = resolve)),
  };
  hangs.push({ open, close });
  return hang;
}

const handlers: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
  '/ok': (_request, response) => response.writeHead(200, sseHeaders).end(allFrames),
  '/unavailable': (_request, response) => response.writeHead(503, { 'content-type': 'text/plain' }).end('overloaded'),
  '/error-frame': (_request, response) =>
    response
      .writeHead(200, sseHeaders)
      .end(
        frame(sampleRunEvents[0]!) + 'event: error\ndata: {"name":"ToolCallError","message":"Tool `book` failed"}\n\n',
      ),
  '/cut': (_request, response) =>
    response.writeHead(200, sseHeaders).end(sampleRunEvents.slice(0, 5).map(frame).join('')),
  '/malformed': (_request, response) => response.writeHead(200, sseHeaders).end('event: raw\ndata: {not json\n\n'),
  '/html': (_request, response) =>
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!DOCTYPE html><html><head><title>Sign in</title></head><body>${'x'.repeat(1000)}</body></html>`),
  '/json': (_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"output":"not streamed"}'),
  '/hang': (request, response) => {
    response.writeHead(200, sseHeaders);
    response.write(frame(sampleRunEvents[0]!));
    const hang = hangs.shift();
    request.socket.once('close', () => hang?.close());
    hang?.open();
  },
  '/echo': (request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const output = `${request.method} ${request.headers['x-question']} ${body}`;
      response.writeHead(200, sseHeaders).end(frame({ ...sampleRunEvents.at(-1)!, output } as RunEvent<string>));
    });
  },
};

let server: Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    const handler = handlers[request.url ?? ''];
    if (handler) handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function errorOf(source: Observable<unknown>): Promise<unknown> {
  return lastValueFrom(source).then(
    () => {
      throw new Error('expected an error, but the Observable completed');
    },
    (error: unknown) => error,
  );
}

/** A Response whose body arrives in the given byte chunks. */
function chunkedResponse(chunks: readonly Uint8Array[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { headers: sseHeaders });
}

describe('fromServerSentEvents', () => {
  it.each([
    ["a proxy's HTML page", '/html', 'text/html; charset=utf-8', '"<!DOCTYPE html><html><head><title>Sign in'],
    ['a JSON body', '/json', 'application/json', '{\\"output\\":\\"not streamed\\"}'],
  ])(
    'a 200 that is not an event stream (%s) errors with EventStreamError naming its content type and first bytes',
    async (_name, path, type, start) => {
      const error = await errorOf(fromServerSentEvents(`${base}${path}`));
      expect(EventStreamError.isInstance(error)).toBe(true);
      expect((error as EventStreamError).status).toBe(200);
      const { message } = error as EventStreamError;
      expect(message).toContain(`content-type ${JSON.stringify(type)}`);
      expect(message).toContain('not an event stream');
      expect(message).toContain(start);
      // The first 200 bytes at most, not the whole page.
      expect(message).not.toContain('x'.repeat(300));
    },
  );

  it('reads the run events of a URL, deep-equal, and completes after final-output', async () => {
    const received = await lastValueFrom(fromServerSentEvents<string>(`${base}/ok`).pipe(toArray()));
    expect(received).toEqual(sampleRunEvents);
  });

  it('is cold: each subscription is a new request, to a string or a URL', async () => {
    const before = requests;
    const events$ = fromServerSentEvents<string>(new URL('/ok', base));
    expect(await lastValueFrom(events$.pipe(toArray()))).toEqual(sampleRunEvents);
    expect(await lastValueFrom(events$.pipe(toArray()))).toEqual(sampleRunEvents);
    expect(requests).toBe(before + 2);
  });

  it('does nothing before subscription', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const events$ = fromServerSentEvents(`${base}/ok`);
      // Calling fetch at once, or in a promise continuation, would have happened by now.
      await nextMacrotask();
      expect(fetchSpy).not.toHaveBeenCalled();
      await lastValueFrom(events$);
      expect(fetchSpy).toHaveBeenCalledTimes(1);
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('passes init to fetch', async () => {
    const events$ = fromServerSentEvents<string>(`${base}/echo`, {
      method: 'POST',
      headers: { 'x-question': 'weather?' },
      body: 'in Oslo',
    });
    const [event] = await lastValueFrom(events$.pipe(toArray()));
    expect(event).toMatchObject({ type: 'final-output', output: 'POST weather? in Oslo' });
  });

  it('errors with EventStreamError naming the status of a non-2xx answer', async () => {
    const error = await errorOf(fromServerSentEvents(`${base}/unavailable`));
    expect(error).toBeInstanceOf(EventStreamError);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('503 Service Unavailable') });
    expect(AgentsError.isInstance(error)).toBe(true);
  });

  it('errors with RemoteRunError carrying the remote name and message after the events before it', async () => {
    const received: unknown[] = [];
    const error = await new Promise((resolve) =>
      fromServerSentEvents(`${base}/error-frame`).subscribe({ next: (event) => received.push(event), error: resolve }),
    );
    expect(received).toEqual([sampleRunEvents[0]]);
    expect(error).toBeInstanceOf(RemoteRunError);
    expect(AgentsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name: 'ToolCallError', message: 'Tool `book` failed' });
  });

  it('errors with EventStreamError when the stream ends before final-output', async () => {
    const received: unknown[] = [];
    const error = await new Promise((resolve) =>
      fromServerSentEvents(`${base}/cut`).subscribe({ next: (event) => received.push(event), error: resolve }),
    );
    expect(received).toEqual(sampleRunEvents.slice(0, 5));
    expect(error).toBeInstanceOf(EventStreamError);
    expect((error as Error).message).toMatch(/ended before the final output/);
  });

  it('errors with EventStreamError on a frame that is not a run event', async () => {
    const error = await errorOf(fromServerSentEvents(`${base}/malformed`));
    expect(error).toBeInstanceOf(EventStreamError);
    expect((error as Error).message).toMatch(/not a run event: \{not json/);
  });

  it('errors with EventStreamError with the cause when the connection fails', async () => {
    const error = await errorOf(fromServerSentEvents('http://127.0.0.1:1/unreachable'));
    expect(error).toBeInstanceOf(EventStreamError);
    expect((error as EventStreamError).cause).toBeInstanceOf(Error);
  });

  it('aborts the request when unsubscribed, without an error', async () => {
    const seen: string[] = [];
    const hang = nextHang();
    let subscription: { unsubscribe(): void } | undefined;
    await new Promise<void>((resolve) => {
      subscription = fromServerSentEvents(`${base}/hang`).subscribe({
        next: (event) => {
          seen.push(event.type);
          resolve();
        },
        error: () => seen.push('error'),
        complete: () => seen.push('complete'),
      });
    });
    subscription?.unsubscribe();
    await hang.closed; // the abort reached the server: the test times out otherwise
    await quietFor(20); // nothing is the point: a late error or completion would arrive meanwhile
    expect(seen).toEqual(['raw']);
  });

  it("errors with RunAbortedError when init's signal aborts", async () => {
    const controller = new AbortController();
    const hang = nextHang();
    const result = errorOf(fromServerSentEvents(`${base}/hang`, { signal: controller.signal }));
    await hang.opened; // abort a request in flight, not one still to be made
    controller.abort(new Error('user left'));
    const error = await result;
    expect(error).toBeInstanceOf(RunAbortedError);
    expect((error as RunAbortedError).cause).toEqual(new Error('user left'));
    expect(await errorOf(fromServerSentEvents(`${base}/ok`, { signal: controller.signal }))).toBeInstanceOf(
      RunAbortedError,
    );
  });

  it('reads a Response whose frames and characters are split across chunks', async () => {
    const bytes = new TextEncoder().encode(allFrames);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.slice(i, i + 7)); // splits '☀️' and '°'
    const received = await lastValueFrom(fromServerSentEvents<string>(chunkedResponse(chunks)).pipe(toArray()));
    expect(received).toEqual(sampleRunEvents);
  });

  it('reads a Response once: a second subscription errors clearly', async () => {
    const events$ = fromServerSentEvents<string>(chunkedResponse([new TextEncoder().encode(allFrames)]));
    expect(await lastValueFrom(events$.pipe(toArray()))).toEqual(sampleRunEvents);
    const error = await errorOf(events$);
    expect(error).toBeInstanceOf(EventStreamError);
    expect((error as Error).message).toMatch(/body was already read/);
  });

  it('refuses a Response whose body was already read', async () => {
    const response = chunkedResponse([new TextEncoder().encode(allFrames)]);
    await response.text();
    expect(await errorOf(fromServerSentEvents(response))).toBeInstanceOf(EventStreamError);
  });

  it('throws InvalidArgumentError at creation for an input that is neither a URL nor a Response', () => {
    expect(() => fromServerSentEvents(42 as unknown as string)).toThrow(expect.objectContaining({ argument: 'input' }));
    expect(() => fromServerSentEvents({} as Response)).toThrow(InvalidArgumentError);
  });
});

/**
 * An AG-UI endpoint on loopback HTTP, as a user would write one: the body read with
 * `fromAgUiInput`, the client's tools added to the agent, the run's events through `toAgUiEvents`,
 * served with `serveAgUi` (Node) or returned by `toAgUiResponse` (a web `Response`, written to the
 * Node response the way a fetch-style adapter does). A run that waits for approval has its state
 * kept per thread, and a request with resume entries resumes it. It records what a test checks:
 * each request's `fromAgUiInput` result, the run's events, the AG-UI events sent, and each run's
 * end (`finalize`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finalize, tap, type Observable } from 'rxjs';
import { toAgUiEvents } from '../../operators/toAgUiEvents.js';
import {
  Agent,
  fromAgUiInput,
  InvalidArgumentError,
  RunState,
  runStreamed,
  toAgUiResponse,
  type AgentConfig,
  type AgUiEvent,
  type AgUiRunInput,
  type RunEvent,
  type RunStateData,
} from '../../src/index.js';
import { serveAgUi } from '../../src/node/index.js';

export interface AgUiEndpoint {
  readonly url: string;
  /** Each request's `fromAgUiInput()`. */
  readonly inputs: AgUiRunInput[];
  /** Each request's run events. */
  readonly runEvents: RunEvent<unknown>[][];
  /** Each request's AG-UI events, as sent. */
  readonly sent: AgUiEvent[][];
  /** How many runs have ended (completed, failed or unsubscribed). */
  readonly ended: () => number;
  close(): Promise<void>;
}

export type Serving = 'serveAgUi' | 'toAgUiResponse';

export async function startAgUiEndpoint(config: AgentConfig<unknown>, serving: Serving): Promise<AgUiEndpoint> {
  const inputs: AgUiRunInput[] = [];
  const runEvents: RunEvent<unknown>[][] = [];
  const sent: AgUiEvent[][] = [];
  const interrupted = new Map<string, RunStateData>();
  let ended = 0;

  const events = (agUi: AgUiRunInput): Observable<AgUiEvent> => {
    const agent = new Agent({ ...config, tools: [...(config.tools ?? []), ...agUi.tools] });
    const stored = interrupted.get(agUi.threadId);
    let input: AgUiRunInput['input'] | RunState = agUi.input;
    if (stored && agUi.approvals.length > 0) {
      const state = RunState.fromJSON(agent, stored);
      for (const { callId, approved } of agUi.approvals) {
        if (approved) state.approve(callId);
        else state.reject(callId);
      }
      input = state;
    }
    const seen: RunEvent<unknown>[] = [];
    const out: AgUiEvent[] = [];
    runEvents.push(seen);
    sent.push(out);
    return runStreamed(agent, input).pipe(
      tap((event) => {
        seen.push(event);
        if (event.type === 'run-interrupted') interrupted.set(agUi.threadId, event.state);
      }),
      finalize(() => ended++),
      toAgUiEvents(agUi),
      tap((event) => out.push(event)),
    );
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    let agUi: AgUiRunInput;
    try {
      agUi = fromAgUiInput(JSON.parse(body));
    } catch (error) {
      if (!InvalidArgumentError.isInstance(error)) throw error;
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message }));
      return;
    }
    inputs.push(agUi);
    if (serving === 'serveAgUi') {
      serveAgUi(response, events(agUi));
      return;
    }
    await writeWebResponse(toAgUiResponse(events(agUi)), response);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => response.destroy(error as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/agent`,
    inputs,
    runEvents,
    sent,
    ended: () => ended,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** What a fetch-style server adapter does: status and headers, the body's chunks, and a cancel when the client goes. */
async function writeWebResponse(web: Response, response: ServerResponse): Promise<void> {
  web.headers.forEach((value, name) => response.setHeader(name, value));
  response.writeHead(web.status);
  response.flushHeaders();
  const reader = web.body!.getReader();
  response.once('close', () => void reader.cancel());
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    response.write(value);
  }
  response.end();
}

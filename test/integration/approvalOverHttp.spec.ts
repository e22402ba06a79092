/**
 * Approval in each mode over loopback HTTP with the real `openai` client: the streamed run waits
 * for an Observable; run() is interrupted here and resumed from its JSON in a second Node process;
 * runSync() is interrupted and resumed. The local server counts the model calls: none repeats.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromServerSentEvents, run, runStreamed, runSync, RunState } from '../../src/index.js';
import { serveServerSentEvents } from '../../src/node/index.js';
import { toRunResult } from '../../operators/index.js';
import {
  startServer,
  startServerProcess,
  type LocalServer,
  type ServerProcess,
} from '../../src/testing/server/index.js';
import { runTsxChild } from '../helpers/tsxChild.js';
import { refundAgent } from './children/refundAgent.js';

const child = fileURLToPath(new URL('./children/resumeApproved.ts', import.meta.url));

let server: LocalServer | ServerProcess | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const client = (url: string) => new OpenAI({ apiKey: 'sk-test-approval', baseURL: url, maxRetries: 0 });
const turns = [
  {
    toolCalls: [
      { callId: 'call_refund', name: 'refund', arguments: { order: 7 } },
      { callId: 'call_lookup', name: 'lookup', arguments: { order: 7 } },
    ],
  },
  { text: 'Order 7 is refunded.' },
];

/** Resumes the stored state in another process; what it printed. */
const resumeInChild = (stateFile: string, url: string, decision: 'approve' | 'reject') =>
  runTsxChild<{ status: string; finalOutput: string; ran: string[] }>(child, [stateFile, url, decision]);

describe('approval over HTTP', () => {
  it('runStreamed with approve as an Observable: the call waits, then runs; two model calls in all', async () => {
    const local = await startServer({ turns });
    server = local;
    const ran: string[] = [];
    const decision = new Subject<boolean>();
    const events = lastValueFrom(
      runStreamed(refundAgent(client(local.url), ran), 'Refund order 7', { approve: () => decision }).pipe(toArray()),
    );
    await vi.waitFor(() => expect(ran).toContain('lookup 7'));
    expect(ran).toEqual(['lookup 7']);
    decision.next(true);
    const all = await events;
    expect(all.at(-1)).toMatchObject({ type: 'final-output', output: 'Order 7 is refunded.' });
    expect(ran).toEqual(['lookup 7', 'refund 7']);
    expect(local.requests).toHaveLength(2);
  });

  it('run() interrupted here, resumed from its JSON in another Node process: nothing repeats', async () => {
    const local = await startServer({ turns });
    server = local;
    const ran: string[] = [];
    const result = await run(refundAgent(client(local.url), ran), 'Refund order 7');
    expect(result.status).toBe('interrupted');
    expect(result.interruptions?.map((request) => request.name)).toEqual(['refund']);
    expect(ran).toEqual(['lookup 7']);
    expect(local.requests).toHaveLength(1);

    const stateFile = join(mkdtempSync(join(tmpdir(), 'rxjs-agents-state-')), 'state.json');
    writeFileSync(stateFile, JSON.stringify(result.state));
    const resumed = await resumeInChild(stateFile, local.url, 'approve');
    expect(resumed).toEqual({ status: 'completed', finalOutput: 'Order 7 is refunded.', ran: ['refund 7'] });
    // One more model call, sent both tool outputs; the lookup did not run again, nor the first turn.
    expect(local.requests).toHaveLength(2);
    const input = (local.requests[1]!.body as { input: { type: string; call_id?: string; output?: string }[] }).input;
    expect(input.filter((item) => item.type === 'function_call_output')).toEqual([
      { type: 'function_call_output', call_id: 'call_refund', output: 'refunded 7' },
      { type: 'function_call_output', call_id: 'call_lookup', output: '{"order":7,"total":40}' },
    ]);
    // Nothing of the client is in the stored state.
    expect(JSON.stringify(result.state)).not.toContain('sk-test');
  });

  it('runSync(): interrupted, then resumed with the call rejected; the model is told why', async () => {
    const remote = await startServerProcess({ turns });
    server = remote;
    const ran: string[] = [];
    const agent = refundAgent(client(remote.url), ran);
    const result = runSync(agent, 'Refund order 7');
    if (result.status !== 'interrupted') throw new Error('expected an interruption');
    const state = RunState.fromJSON(agent, JSON.stringify(result.state)).reject('call_refund', {
      message: 'Declined by a manager.',
    });
    const resumed = runSync(agent, state);
    expect(resumed).toMatchObject({ status: 'completed', finalOutput: 'Order 7 is refunded.' });
    expect(ran).toEqual(['lookup 7']);
    const requests = await remote.requests();
    expect(requests).toHaveLength(2);
    const input = (requests[1]!.body as { input: { call_id?: string; output?: string }[] }).input;
    expect(input.find((item) => item.call_id === 'call_refund' && item.output !== undefined)?.output).toBe(
      'Declined by a manager.',
    );
  });

  it('an interrupted run crosses server-sent events: the browser side gets the state, and it resumes', async () => {
    const local = await startServer({ turns });
    server = local;
    const ran: string[] = [];
    const agent = refundAgent(client(local.url), ran);
    const app = createServer((_request, response) =>
      serveServerSentEvents(response, runStreamed(agent, 'Refund order 7')),
    );
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = app.address() as AddressInfo;
      const result = await lastValueFrom(fromServerSentEvents(`http://127.0.0.1:${port}/`).pipe(toRunResult()));
      expect(result.status).toBe('interrupted');
      if (result.status !== 'interrupted') return;
      const state = RunState.fromJSON(agent, result.state).approve('call_refund');
      expect(await run(agent, state)).toMatchObject({ status: 'completed', finalOutput: 'Order 7 is refunded.' });
      expect(ran).toEqual(['lookup 7', 'refund 7']);
      expect(local.requests).toHaveLength(2);
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});

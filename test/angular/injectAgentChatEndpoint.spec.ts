// @vitest-environment happy-dom
/**
 * `injectAgentChat` with the `endpoint` form, against a real local HTTP server that runs the
 * agent with `chatRunInput` and serves its events with `serveServerSentEvents`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestBed } from '@angular/core/testing';
import { tap } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { injectAgentChat, type AgentChat } from '../../src/angular/index.js';
import { chatRunInput, RemoteRunError, type Agent } from '../../src/index.js';
import { serveServerSentEvents } from '../../src/node/index.js';
import { runner, scriptedAgent } from './chatHelpers.js';
import { useTestBed } from './testBed.js';

useTestBed();

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server for `agent` at `/chat`; `ended` resolves when a run is unsubscribed before its end. */
async function serve(agent: Agent<string>) {
  const bodies: unknown[] = [];
  let unsubscribed!: () => void;
  const ended = new Promise<void>((resolve) => (unsubscribed = resolve));
  server = createServer((req, res) => {
    // happy-dom's fetch is a browser's: a JSON POST to another origin is preflighted.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST' });
      res.end();
      return;
    }
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body: unknown = JSON.parse(text);
      bodies.push(body);
      const events = runner.runStreamed(agent, chatRunInput(agent, body)).pipe(tap({ unsubscribe: unsubscribed }));
      serveServerSentEvents(res, events);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { bodies, ended, endpoint: `http://127.0.0.1:${port}/chat` };
}

const settled = (chat: AgentChat) =>
  vi.waitFor(() => expect(['idle', 'awaiting-approval', 'error']).toContain(chat.status()), { timeout: 5_000 });

describe('injectAgentChat({ endpoint })', () => {
  it('posts the conversation, carries the history, and resumes after an approval', async () => {
    const { agent, booked } = scriptedAgent(
      [
        'Lisbon is lovely.',
        { toolCalls: [{ callId: 'c1', name: 'book_trip', arguments: { city: 'Lisbon' } }] },
        'Booked!',
      ],
      { tools: true },
    );
    const { bodies, endpoint } = await serve(agent);
    const chat = TestBed.runInInjectionContext(() => injectAgentChat({ endpoint }));

    chat.send('Where?');
    await settled(chat);
    expect(chat.messages().at(-1)).toMatchObject({ role: 'assistant', text: 'Lisbon is lovely.' });

    chat.send('Book it.');
    await settled(chat);
    expect(chat.status()).toBe('awaiting-approval');
    expect(JSON.stringify(bodies[1])).toContain('Lisbon is lovely.');

    chat.approve('c1');
    await settled(chat);
    expect(booked).toEqual(['Lisbon']);
    expect(bodies[2]).toMatchObject({ decisions: [{ callId: 'c1', approved: true }] });
    expect(chat.messages().map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'tool', 'assistant']);
    expect(chat.messages().at(-1)).toMatchObject({ text: 'Booked!' });
  });

  it('stop() aborts the request, and the server unsubscribes from the run', async () => {
    const { agent } = scriptedAgent([{ text: 'Thinking', stall: true }]);
    const { ended, endpoint } = await serve(agent);
    const chat = TestBed.runInInjectionContext(() => injectAgentChat({ endpoint }));
    chat.send('Where?');
    await vi.waitFor(() => expect(chat.messages()[1]).toMatchObject({ text: 'Thinking' }), { timeout: 5_000 });
    chat.stop();
    await ended;
    expect(chat.status()).toBe('idle');
  });

  it("reports the server's error in error()", async () => {
    const { agent } = scriptedAgent([{ error: new Error('model down') }]);
    const { endpoint } = await serve(agent);
    const chat = TestBed.runInInjectionContext(() => injectAgentChat({ endpoint }));
    chat.send('Where?');
    await settled(chat);
    expect(chat.status()).toBe('error');
    expect(RemoteRunError.isInstance(chat.error())).toBe(true);
  });
});

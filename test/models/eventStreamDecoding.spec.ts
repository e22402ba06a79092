/**
 * The models read the body's server-sent events themselves (`src/models/eventStreamBody.ts`):
 * what arrives on the wire, in whatever pieces and with whatever line endings a server uses, is
 * what the `raw` events and the text say — over real loopback HTTP, with the real `openai` client.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelProviderError } from '../../src/errors.js';
import type { ModelEvent } from '../../src/model.js';
import { OpenAIChatCompletionsModel, OpenAIResponsesModel } from '../../src/models/index.js';
import { apiKey, clientFor, collect, modelRequest, rawOf, textOf } from './helpers.js';

/** A server that answers every request with `pieces`, written one by one with a pause between. */
async function serveBytes(pieces: readonly (string | Uint8Array)[]): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      void (async () => {
        for (const piece of pieces) {
          response.write(piece);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        response.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, server };
}

/** The UTF-8 bytes of `text` cut into pieces of `size` bytes (a multi-byte character may be cut too). */
function byteSlices(text: string, size: number): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8');
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) pieces.push(bytes.subarray(start, start + size));
  return pieces;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'chatcmpl-7',
    object: 'chat.completion.chunk',
    model: 'm',
    choices: [{ index: 0, delta, ...(finish === null ? {} : { finish_reason: finish }) }],
    ...extra,
  });

const usageChunk = JSON.stringify({
  id: 'chatcmpl-7',
  object: 'chat.completion.chunk',
  model: 'm',
  choices: [],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

let servers: Server[] = [];
afterEach(() => {
  for (const server of servers) server.close();
  servers = [];
});

async function chatEvents(
  pieces: readonly (string | Uint8Array)[],
): Promise<{ events: ModelEvent[]; error?: unknown }> {
  const { url, server } = await serveBytes(pieces);
  servers.push(server);
  const model = new OpenAIChatCompletionsModel({ model: 'm', client: clientFor(url) });
  return collect(model.stream(modelRequest()));
}

describe('reading the event stream', () => {
  it('reads events cut anywhere, a multi-byte character included, and CRLF line endings, comments and ids', async () => {
    const text =
      'data: ' +
      chunk({ role: 'assistant', content: 'héllo 🌍' }) +
      '\r\n\r\n' +
      ': keep-alive\r\n\r\n' +
      'id: 2\r\nevent: message\r\ndata: ' +
      chunk({ content: ' wörld' }, 'stop') +
      '\r\n\r\n' +
      'data: ' +
      usageChunk +
      '\r\n\r\n' +
      'data: [DONE]\r\n\r\n';
    const { events, error } = await chatEvents(byteSlices(text, 3));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('héllo 🌍 wörld');
    expect(rawOf(events)).toHaveLength(3);
  });

  it('gives each chunk as the server sent it: a choice without finish_reason stays without one', async () => {
    const first = chunk({ role: 'assistant', content: 'hi' });
    const { events } = await chatEvents([
      `data: ${first}\n\n`,
      `data: ${chunk({}, 'stop')}\n\n`,
      `data: ${usageChunk}\n\ndata: [DONE]\n\n`,
    ]);
    expect(rawOf(events)[0]).toEqual(JSON.parse(first));
    expect(rawOf(events)[0]).not.toHaveProperty('choices.0.finish_reason');
  });

  it('counts a last event the server did not close with a blank line, and ignores what follows [DONE]', async () => {
    const closedWithoutBlankLine = await chatEvents([
      `data: ${chunk({ content: 'ok' }, 'stop')}\n\n`,
      `data: ${usageChunk}`,
    ]);
    expect(closedWithoutBlankLine.error).toBeUndefined();
    expect(rawOf(closedWithoutBlankLine.events)).toHaveLength(2);

    const afterDone = await chatEvents([
      `data: ${chunk({ content: 'ok' }, 'stop')}\n\ndata: ${usageChunk}\n\ndata: [DONE]\n\n`,
      `data: ${chunk({ content: ' and more' })}\n\n`,
    ]);
    expect(afterDone.error).toBeUndefined();
    expect(textOf(afterDone.events)).toBe('ok');
  });

  it('an event that is not JSON fails the call with a retryable ModelProviderError', async () => {
    const { error, events } = await chatEvents([`data: ${chunk({ content: 'so far' })}\n\n`, 'data: {not json\n\n']);
    expect(textOf(events)).toBe('so far');
    expect(error).toBeInstanceOf(ModelProviderError);
    expect((error as ModelProviderError).message).toMatch(/not valid JSON/);
    expect((error as ModelProviderError).retryable).toBe(true);
  });

  it('an error chunk fails the call with the provider code and message, as the SDK reports it', async () => {
    const { error } = await chatEvents([
      `data: ${chunk({ content: 'so far' })}\n\n`,
      `data: ${JSON.stringify({ error: { code: 'server_error', message: 'The model crashed.' } })}\n\n`,
    ]);
    expect(error).toBeInstanceOf(ModelProviderError);
    expect(error).toMatchObject({ code: 'server_error', retryable: true });
    expect((error as Error).message).toMatch(/The model crashed\./);
  });

  it('the API key never shows in a raw event, whether the server writes it plainly or escaped', async () => {
    const escaped = [...apiKey].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const { events } = await chatEvents([
      `data: ${chunk({ role: 'assistant', content: `key ${apiKey}` })}\n\n`,
      `data: ${chunk({ content: ' again' }, null, { note: 'x' }).replace('"x"', `"${escaped}"`)}\n\n`,
      `data: ${chunk({}, 'stop')}\n\ndata: ${usageChunk}\n\ndata: [DONE]\n\n`,
    ]);
    const shown = JSON.stringify(events);
    expect(shown).not.toContain(apiKey);
    expect(textOf(events)).toBe('key [redacted] again');
    expect(rawOf(events)[1]).toMatchObject({ note: '[redacted]' });
  });

  it('the Responses API: event lines and data split across reads', async () => {
    const completed = {
      type: 'response.completed',
      response: {
        id: 'resp_9',
        output: [
          {
            type: 'message',
            id: 'msg_1',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: 'Bonjour', annotations: [] }],
          },
        ],
        usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
      },
    };
    const text =
      `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'Bon' })}\n\n` +
      `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'jour' })}\n\n` +
      `event: response.completed\ndata: ${JSON.stringify(completed)}\n\n`;
    const { url, server } = await serveBytes(byteSlices(text, 7));
    servers.push(server);
    const model = new OpenAIResponsesModel({ model: 'm', client: clientFor(url) });
    const { events, error } = await collect(model.stream(modelRequest()));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Bonjour');
    expect(events.at(-1)).toMatchObject({ type: 'response', response: { id: 'resp_9' } });
  });
});

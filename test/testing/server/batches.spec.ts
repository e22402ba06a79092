/**
 * The local server's Batch API through the real `openai` client, in compressed time: the status
 * sequence a poller sees, request counts growing, the output and error files' lines matched by
 * `custom_id`, each line answered as a direct request would be (and seen so by `respond`).
 */
import type { Batch } from 'openai/resources/batches';
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startServerProcess, type ServerRequest } from '../../../src/testing/server/index.js';
import { jsonl, line, pollToEnd, readLines, statuses, upload, useServer } from '../../helpers/batchServer.js';

const batches = useServer();

describe('startServer: the Batch API', () => {
  it('goes validating → in_progress → finalizing → completed, counts growing line by line', async () => {
    // Line c waits until the test has seen the job in progress with two lines answered.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = await batches.serve({
      respond: async (request) => {
        if (request.batch?.customId === 'c') await gate;
        return request.lastUserText ?? '';
      },
      batches: { stepMs: 150, linesPerStep: 4 },
    });
    const input_file_id = await upload(client, jsonl(['a', 'b', 'c', 'd'].map((id) => line(id, `say ${id}`))));
    const created = await client.batches.create({
      input_file_id,
      endpoint: '/v1/responses',
      completion_window: '24h',
      metadata: { job: 'nightly' },
    });
    expect(created).toEqual({
      id: 'batch_1',
      object: 'batch',
      endpoint: '/v1/responses',
      model: null,
      errors: null,
      input_file_id,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: expect.any(Number),
      in_progress_at: null,
      expires_at: created.created_at + 24 * 3600,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      usage: {
        input_tokens: 0,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 0,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 0,
      },
      metadata: { job: 'nightly' },
    });
    let midway = await client.batches.retrieve(created.id);
    while (midway.request_counts!.completed < 2) midway = await client.batches.retrieve(created.id);
    expect(midway).toMatchObject({ status: 'in_progress', request_counts: { total: 4, completed: 2, failed: 0 } });
    release();
    const seen = [created, midway, ...(await pollToEnd(client, created.id))];
    expect(statuses(seen)).toEqual(['validating', 'in_progress', 'finalizing', 'completed']);
    const counts = seen.map((batch) => batch.request_counts!.completed);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const done = seen.at(-1)!;
    expect(done).toMatchObject({
      status: 'completed',
      model: 'm',
      request_counts: { total: 4, completed: 4, failed: 0 },
      error_file_id: null,
      in_progress_at: expect.any(Number),
      finalizing_at: expect.any(Number),
      completed_at: expect.any(Number),
      usage: { input_tokens: 40, output_tokens: 8, total_tokens: 48 },
    });
    expect(await client.files.retrieve(done.output_file_id!)).toMatchObject({
      purpose: 'batch_output',
      filename: 'batch_1_output.jsonl',
    });
    const output = await readLines(client, done.output_file_id!);
    expect(output.map((entry) => entry['custom_id'])).toEqual(['a', 'b', 'c', 'd']);
    expect(output[1]).toEqual({
      id: expect.stringMatching(/^batch_req_\d+$/),
      custom_id: 'b',
      response: {
        status_code: 200,
        request_id: expect.stringMatching(/^req_/),
        body: expect.objectContaining({
          object: 'response',
          status: 'completed',
          output: [expect.objectContaining({ content: [expect.objectContaining({ text: 'say b' })] })],
        }),
      },
      error: null,
    });
  });

  it('answers each line as a direct request: scripted turns first, then respond, which is told the batch and custom_id', async () => {
    const seen: ServerRequest[] = [];
    const client = await batches.serve({
      turns: ['scripted first'],
      respond: (request) => {
        seen.push(request);
        return request.api === 'chat-completions' ? `chat: ${request.lastUserText ?? ''}` : 'no';
      },
      batches: { stepMs: 1 },
    });
    const url = '/v1/chat/completions';
    const input_file_id = await upload(client, jsonl([line('x-1', 'one', url), line('x-2', 'two', url)]));
    const { id } = await client.batches.create({ input_file_id, endpoint: url, completion_window: '24h' });
    const done = (await pollToEnd(client, id)).at(-1)!;
    const output = await readLines(client, done.output_file_id!);
    const texts = output.map((entry) => {
      const body = (entry['response'] as { body: { choices: { message: { content: string } }[] } }).body;
      return [entry['custom_id'], body.choices[0]!.message.content];
    });
    expect(texts).toEqual([
      ['x-1', 'scripted first'],
      ['x-2', 'chat: two'],
    ]);
    // Chat Completions' usage (prompt_tokens, completion_tokens) summed into the batch's.
    expect(done.usage).toMatchObject({ input_tokens: 20, output_tokens: 4, total_tokens: 24 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ api: 'chat-completions', stream: false, batch: { id, customId: 'x-2' } });
    const lineRequests = batches.server.requests.filter((request) => request.batch !== undefined);
    expect(lineRequests.map((request) => [request.path, request.batch])).toEqual([
      ['/v1/chat/completions', { id, customId: 'x-1' }],
      ['/v1/chat/completions', { id, customId: 'x-2' }],
    ]);
  });

  it('puts a line answered with an HTTP error in the error file with its status and body', async () => {
    const client = await batches.serve({
      respond: (request) =>
        request.batch?.customId === 'bad'
          ? {
              status: 400,
              body: { error: { message: 'no such model', type: 'invalid_request_error', code: 'model_not_found' } },
            }
          : `ok ${request.batch?.customId ?? ''}`,
      batches: { stepMs: 1 },
    });
    const input_file_id = await upload(client, jsonl([line('good', 'g'), line('bad', 'b'), line('fine', 'f')]));
    const { id } = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    const done = (await pollToEnd(client, id)).at(-1)!;
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 3, completed: 2, failed: 1 } });
    expect((await readLines(client, done.output_file_id!)).map((entry) => entry['custom_id'])).toEqual([
      'good',
      'fine',
    ]);
    expect(await readLines(client, done.error_file_id!)).toEqual([
      {
        id: expect.any(String),
        custom_id: 'bad',
        response: {
          status_code: 400,
          request_id: expect.any(String),
          body: { error: { message: 'no such model', type: 'invalid_request_error', code: 'model_not_found' } },
        },
        error: null,
      },
    ]);
  });

  it('has no output file when every line failed', async () => {
    const client = await batches.serve({ turns: [{ status: 500 }], batches: { stepMs: 1 } });
    const input_file_id = await upload(client, jsonl([line('only', 'x')]));
    const { id } = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    const done = (await pollToEnd(client, id)).at(-1)!;
    expect(done).toMatchObject({
      status: 'completed',
      output_file_id: null,
      request_counts: { completed: 0, failed: 1 },
    });
    expect((await readLines(client, done.error_file_id!))[0]).toMatchObject({ response: { status_code: 500 } });
  });

  it('lists batches newest first, and auto-paginates', async () => {
    const client = await batches.serve({ echo: true, batches: { stepMs: 1 } });
    const input_file_id = await upload(client, jsonl([line('a', 'a')]));
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      ids.push(
        (await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' })).id,
      );
    }
    const page = await client.batches.list({ limit: 2 });
    expect(page.data.map((batch) => batch.id)).toEqual(['batch_5', 'batch_4']);
    expect(page.has_more).toBe(true);
    const listed: Batch[] = [];
    for await (const batch of client.batches.list({ limit: 2 })) listed.push(batch);
    expect(listed.map((batch) => batch.id)).toEqual([...ids].reverse());
    for (const id of ids) await pollToEnd(client, id);
  });

  it('runs in a child process too (startServerProcess), options and all', async () => {
    const child = await startServerProcess({ echo: true, batches: { stepMs: 1, outcome: 'expired' } });
    try {
      const client = new OpenAI({ apiKey: 'test', baseURL: child.url, maxRetries: 0 });
      const input_file_id = await upload(client, jsonl([line('a', 'a'), line('b', 'b')]));
      const { id } = await client.batches.create({
        input_file_id,
        endpoint: '/v1/responses',
        completion_window: '24h',
      });
      expect((await pollToEnd(client, id)).at(-1)).toMatchObject({
        status: 'expired',
        request_counts: { total: 2, completed: 1, failed: 1 },
      });
    } finally {
      await child.close();
    }
  });
});

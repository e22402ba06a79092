/**
 * The local server's Batch API checks what OpenAI checks: the create request itself (an HTTP 400
 * naming the parameter), then, while `validating`, the input file, which fails the batch with
 * `errors.data` naming each bad line instead of an HTTP error.
 */
import { BadRequestError, NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import { jsonl, line, pollToEnd, statuses, upload, useServer } from '../../helpers/batchServer.js';

const batches = useServer();

async function failedWith(text: string, options: Parameters<typeof batches.serve>[0] = {}) {
  const client = await batches.serve({ echo: true, ...options, batches: { stepMs: 1, ...options.batches } });
  const input_file_id = await upload(client, text);
  const created = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
  const seen = [created, ...(await pollToEnd(client, created.id))];
  expect(statuses(seen)).toEqual(['validating', 'failed']);
  const done = seen.at(-1)!;
  expect(done).toMatchObject({
    failed_at: expect.any(Number),
    in_progress_at: null,
    output_file_id: null,
    error_file_id: null,
    request_counts: { total: 0, completed: 0, failed: 0 },
  });
  expect(done.errors?.object).toBe('list');
  // No line was answered.
  expect(batches.server.requests.filter((request) => request.batch !== undefined)).toEqual([]);
  return done.errors?.data;
}

describe('startServer: the Batch API validates the input file', () => {
  it('names each bad line: not JSON, a missing field, a wrong method or url, a duplicate custom_id, another model', async () => {
    const text = jsonl([
      line('ok-1', 'fine'),
      '{not json',
      { method: 'POST', url: '/v1/responses', body: { model: 'm' } },
      { ...line('get', 'x'), method: 'GET' },
      line('chat', 'x', '/v1/chat/completions'),
      line('ok-1', 'again'),
      { ...line('other-model', 'x'), body: { model: 'n', input: 'x' } },
      { ...line('no-body', 'x'), body: 'text' },
    ]);
    expect(await failedWith(text)).toEqual([
      { code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null, line: 2 },
      {
        code: 'missing_required_parameter',
        message: expect.stringContaining('custom_id'),
        param: 'custom_id',
        line: 3,
      },
      { code: 'invalid_value', message: expect.any(String), param: 'method', line: 4 },
      { code: 'url_mismatch', message: expect.stringContaining('/v1/chat/completions'), param: 'url', line: 5 },
      { code: 'duplicate_custom_id', message: expect.stringContaining('ok-1'), param: 'custom_id', line: 6 },
      { code: 'model_mismatch', message: expect.any(String), param: 'body.model', line: 7 },
      { code: 'invalid_value', message: expect.any(String), param: 'body', line: 8 },
    ]);
  });

  it('fails an empty file', async () => {
    expect(await failedWith('\n\n')).toEqual([
      { code: 'empty_file', message: expect.any(String), param: null, line: null },
    ]);
  });

  it('fails a file of more than 50,000 requests, and takes one of exactly 50,000 (OpenAI’s limit)', async () => {
    const lines = Array.from(
      { length: 50_001 },
      (_, index) => `{"custom_id":"${index}","method":"POST","url":"/v1/responses","body":{}}`,
    );
    expect(await failedWith(jsonl(lines))).toEqual([
      { code: 'too_many_tasks', message: expect.stringContaining('50000'), param: null, line: null },
    ]);
    // One line fewer passes validation (ended here by cancelling it, not by answering 50,000 lines).
    const client = await batches.serve({ echo: true, batches: { stepMs: 1, linesPerStep: 1 } });
    const input_file_id = await upload(client, jsonl(lines.slice(1)));
    const { id } = await client.batches.create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h' });
    let batch = await client.batches.retrieve(id);
    while (batch.status === 'validating') batch = await client.batches.retrieve(id);
    expect(batch).toMatchObject({ status: 'in_progress', request_counts: { total: 50_000 } });
    await client.batches.cancel(id);
    expect((await pollToEnd(client, id)).at(-1)?.status).toBe('cancelled');
  });

  it('takes its line limit from batches.maxRequests', async () => {
    const text = jsonl([line('a', 'a'), line('b', 'b'), line('c', 'c')]);
    expect(await failedWith(text, { batches: { maxRequests: 2 } })).toMatchObject([{ code: 'too_many_tasks' }]);
  });

  it("fails every valid job at validation with batches.outcome 'failed'", async () => {
    expect(await failedWith(jsonl([line('a', 'a')]), { batches: { outcome: 'failed' } })).toEqual([
      { code: 'token_limit_exceeded', message: expect.any(String), param: null, line: null },
    ]);
  });

  it('refuses a create request that is wrong in itself with a 400 naming the parameter', async () => {
    const client = await batches.serve({ echo: true, batches: { stepMs: 1 } });
    const input_file_id = await upload(client, jsonl([line('a', 'a')]));
    const param = async (body: Record<string, unknown>) => {
      const error = await client.batches
        .create({ input_file_id, endpoint: '/v1/responses', completion_window: '24h', ...body } as never)
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(BadRequestError);
      return (error as BadRequestError).param;
    };
    expect(await param({ input_file_id: 'file-404' })).toBe('input_file_id');
    expect(await param({ endpoint: '/v1/embeddings' })).toBe('endpoint');
    expect(await param({ completion_window: '48h' })).toBe('completion_window');
    expect(await param({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) })).toBe(
      'metadata',
    );
    const other = await client.files.create({ file: new File(['x'], 'x.txt'), purpose: 'user_data' });
    expect(await param({ input_file_id: other.id })).toBe('input_file_id');
    await expect(client.batches.retrieve('batch_404')).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.batches.list()).data).toEqual([]);
  });
});

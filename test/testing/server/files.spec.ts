/**
 * The local server's Files API through the real `openai` client: upload (multipart), retrieve,
 * the exact bytes back, list by cursor, delete, and OpenAI's rules for batch input files.
 */
import { BadRequestError, NotFoundError, toFile } from 'openai';
import { describe, expect, it } from 'vitest';
import { jsonl, line, useServer } from '../../helpers/batchServer.js';

const files = useServer();

describe('startServer: the Files API', () => {
  it('uploads a file and gives back its object and its exact bytes', async () => {
    const client = await files.serve();
    const text = jsonl([line('a', 'Hello'), line('b', 'Grüße, 世界')]);
    const created = await client.files.create({
      file: await toFile(Buffer.from(text), 'batch.jsonl'),
      purpose: 'batch',
    });
    expect(created).toEqual({
      id: 'file-1',
      object: 'file',
      bytes: Buffer.byteLength(text),
      created_at: expect.any(Number),
      expires_at: created.created_at + 30 * 24 * 3600,
      filename: 'batch.jsonl',
      purpose: 'batch',
      status: 'processed',
    });
    expect(Math.abs(created.created_at - Date.now() / 1000)).toBeLessThan(60);
    expect(await client.files.retrieve('file-1')).toEqual(created);
    const content = await client.files.content('file-1');
    expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(text))).toBe(true);
    expect(files.server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/files',
      body: { purpose: 'batch', file: { filename: 'batch.jsonl', bytes: Buffer.byteLength(text) } },
    });
  });

  it('keeps binary bytes as they are, and an expiry only where one was asked for', async () => {
    const client = await files.serve();
    const bytes = Buffer.from([0, 255, 13, 10, 128, 1]);
    const created = await client.files.create({ file: await toFile(bytes, 'blob.bin'), purpose: 'user_data' });
    expect(created).not.toHaveProperty('expires_at');
    const back = Buffer.from(await (await client.files.content(created.id)).arrayBuffer());
    expect([...back]).toEqual([...bytes]);
    const expiring = await client.files.create({
      file: await toFile(Buffer.from('{}\n'), 'x.jsonl'),
      purpose: 'batch',
      expires_after: { anchor: 'created_at', seconds: 7200 },
    });
    expect(expiring.expires_at).toBe(expiring.created_at + 7200);
  });

  it('lists newest first by cursor, filters by purpose, and auto-paginates', async () => {
    const client = await files.serve();
    for (let index = 0; index < 5; index += 1) {
      const purpose = index % 2 === 0 ? 'batch' : 'user_data';
      await client.files.create({ file: await toFile(Buffer.from(`${index}\n`), `f${index}.jsonl`), purpose });
    }
    const first = await client.files.list({ limit: 2 });
    expect(first.data.map((file) => file.id)).toEqual(['file-5', 'file-4']);
    expect(first.has_more).toBe(true);
    const all: string[] = [];
    for await (const file of client.files.list({ limit: 2 })) all.push(file.id);
    expect(all).toEqual(['file-5', 'file-4', 'file-3', 'file-2', 'file-1']);
    const batchOnes: string[] = [];
    for await (const file of client.files.list({ purpose: 'batch', order: 'asc', limit: 1 })) batchOnes.push(file.id);
    expect(batchOnes).toEqual(['file-1', 'file-3', 'file-5']);
  });

  it('deletes a file, after which it is not found', async () => {
    const client = await files.serve();
    const { id } = await client.files.create({ file: await toFile(Buffer.from('x\n'), 'a.jsonl'), purpose: 'batch' });
    expect(await client.files.delete(id)).toEqual({ id, object: 'file', deleted: true });
    await expect(client.files.retrieve(id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.files.content(id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.files.list()).data).toEqual([]);
  });

  it('refuses a batch file that is not .jsonl or is over the size limit, and a purpose it does not know', async () => {
    const client = await files.serve({ batches: { maxFileBytes: 10 } });
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => {
          expect(error).toBeInstanceOf(BadRequestError);
          return (error as BadRequestError).param;
        },
      );
    expect(
      await refused(client.files.create({ file: await toFile(Buffer.from('{}'), 'a.json'), purpose: 'batch' })),
    ).toBe('file');
    const big = await toFile(Buffer.alloc(11, 'a'), 'big.jsonl');
    expect(await refused(client.files.create({ file: big, purpose: 'batch' }))).toBe('file');
    const wrong = client.files.create({
      file: await toFile(Buffer.from('{}'), 'a.jsonl'),
      purpose: 'nonsense' as 'batch',
    });
    expect(await refused(wrong)).toBe('purpose');
    // The limit is for batch files: the same bytes upload with another purpose.
    expect((await client.files.create({ file: big, purpose: 'user_data' })).bytes).toBe(11);
    expect(
      (await client.files.create({ file: await toFile(Buffer.alloc(10, 'a'), 'ok.jsonl'), purpose: 'batch' })).bytes,
    ).toBe(10);
  });
});

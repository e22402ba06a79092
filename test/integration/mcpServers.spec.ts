/**
 * MCP tools end to end over real transports: the reference "everything" server in its streamable
 * HTTP mode (a child process on a free port), driven by a model on the local OpenAI-compatible
 * server through the real `openai` client; and the filesystem server over stdio on a temporary
 * folder. Both servers are dev dependencies, started here: no network.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, McpServerError, OpenAIResponsesModel, run, runStreamed } from '../../src/index.js';
import { mcpServerStdio, mcpServerStreamableHttp } from '../../src/mcp/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { startServer } from '../../src/testing/server/index.js';
import { filesystemEntry, startEverythingHttp, type EverythingHttp } from '../helpers/mcpServers.js';

describe('the everything server over streamable HTTP, with the model over loopback HTTP', () => {
  let everything: EverythingHttp;
  beforeAll(async () => {
    everything = await startEverythingHttp();
  }, 20_000);
  afterAll(() => everything.stop());

  it('a run offers the server’s tools on the wire, calls one through MCP and sends its output back', async () => {
    const model = await startServer({
      turns: [
        { toolCalls: [{ name: 'get-sum', arguments: { a: 20, b: 22 }, callId: 'call_sum' }] },
        { text: 'It is 42.' },
      ],
    });
    try {
      const mcp = mcpServerStreamableHttp({
        url: everything.url,
        headers: { 'x-test': 'mcp' },
        toolFilter: ['get-sum', 'echo'],
      });
      const agent = new Agent({
        name: 'Adder',
        model: new OpenAIResponsesModel({
          model: 'gpt-4.1-mini',
          client: new OpenAI({ apiKey: 'sk-test-mcp', baseURL: model.url, maxRetries: 0 }),
        }),
        mcpServers: [mcp],
      });
      const events = await lastValueFrom(runStreamed(agent, 'What is 20 + 22?').pipe(toArray()));
      expect(events.find((event) => event.type === 'tool-output')).toMatchObject({
        name: 'get-sum',
        output: 'The sum of 20 and 22 is 42.',
      });
      expect(events.at(-1)).toMatchObject({ type: 'final-output', output: 'It is 42.' });
      const [first, second] = model.requests.map((request) => request.body as Record<string, unknown>);
      expect(first!.tools).toEqual([
        expect.objectContaining({ type: 'function', name: 'echo', strict: false }),
        {
          type: 'function',
          name: 'get-sum',
          description: 'Returns the sum of two numbers',
          strict: false,
          parameters: expect.objectContaining({
            type: 'object',
            properties: { a: { type: 'number', description: 'First number' }, b: expect.any(Object) },
            required: ['a', 'b'],
          }),
        },
      ]);
      expect(second!.input).toEqual(
        expect.arrayContaining([
          { type: 'function_call_output', call_id: 'call_sum', output: 'The sum of 20 and 22 is 42.' },
        ]),
      );
      // The run opened the session, and ended it.
      expect(mcp.connected).toBe(false);
    } finally {
      await model.close();
    }
  });

  it('a URL where no MCP server answers fails the run with an McpServerError', async () => {
    const mcp = mcpServerStreamableHttp({ url: `${everything.url}-nothing-here`, name: 'nowhere' });
    const agent = new Agent({ name: 'A', model: fakeModel(['Hi.']), mcpServers: [mcp] });
    const error = await run(agent, 'Hi').catch((thrown: unknown) => thrown);
    expect(McpServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ serverName: 'nowhere', operation: 'connect' });
  });
});

describe('the filesystem server over stdio, on a temporary folder', () => {
  let folder: string;
  beforeAll(() => {
    folder = realpathSync(mkdtempSync(join(tmpdir(), 'rxjs-agents-mcp-fs-')));
    writeFileSync(join(folder, 'notes.txt'), 'Remember the milk.\n');
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('lists the folder and reads the file the test wrote', async () => {
    const files = mcpServerStdio({
      command: process.execPath,
      args: [filesystemEntry, folder],
      name: 'files',
      toolFilter: ['list_directory', 'read_text_file'],
    });
    const model = fakeModel([
      {
        toolCalls: [
          { name: 'list_directory', arguments: { path: folder }, callId: 'ls' },
          { name: 'read_text_file', arguments: { path: join(folder, 'notes.txt') }, callId: 'cat' },
        ],
      },
      'You should buy milk.',
    ]);
    const agent = new Agent({ name: 'Librarian', model, mcpServers: [files] });
    const result = await run(agent, 'What do my notes say?');
    expect(result.finalOutput).toBe('You should buy milk.');
    expect(model.requests[0]!.tools.map((spec) => spec.name)).toEqual(['read_text_file', 'list_directory']);
    const outputs = result.newItems.filter((item) => item.type === 'function_call_output');
    expect(outputs).toEqual([
      { type: 'function_call_output', call_id: 'ls', output: '[FILE] notes.txt' },
      { type: 'function_call_output', call_id: 'cat', output: 'Remember the milk.\n' },
    ]);
    expect(files.connected).toBe(false);
  });
});

/**
 * The runner and an agent's MCP servers, with an in-memory `McpServer` (the interface users may
 * implement themselves): what the run connects and closes, and the signal each call is given.
 * The real servers are in test/mcp and test/integration.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { Agent, McpServerError, run, runStreamed, type McpCallToolResult, type McpServer } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';

/** An MCP server in memory: one tool, `wait`, that answers when `answer` is called (or never). */
function memoryServer(connected = false) {
  const calls: { args: Record<string, unknown>; signal: AbortSignal | undefined }[] = [];
  let pending: ((result: McpCallToolResult) => void) | undefined;
  const server = {
    name: 'memory',
    connected,
    connect: vi.fn(async () => {
      server.connected = true;
    }),
    close: vi.fn(async () => {
      server.connected = false;
    }),
    listTools: vi.fn(async () => [
      { name: 'wait', description: 'Waits.', inputSchema: { type: 'object', properties: { ms: { type: 'number' } } } },
    ]),
    callTool: vi.fn(
      (_name: string, args: Record<string, unknown>, options?: { readonly signal?: AbortSignal }) =>
        new Promise<McpCallToolResult>((resolve) => {
          calls.push({ args, signal: options?.signal });
          pending = resolve;
        }),
    ),
    answer: (result: McpCallToolResult) => pending?.(result),
    calls,
  } satisfies McpServer & Record<string, unknown>;
  return server;
}

const callWait = () => fakeModel([{ toolCalls: [{ name: 'wait', arguments: { ms: 5 } }] }, 'Waited.']);

describe('a run and its agent’s MCP servers', () => {
  it('connects a server it found not connected, passes the arguments as they are, and closes it at the end', async () => {
    const server = memoryServer();
    const agent = new Agent({ name: 'A', model: callWait(), mcpServers: [server] });
    const result = run(agent, 'Wait');
    await vi.waitFor(() => expect(server.calls).toHaveLength(1));
    expect(server.connect).toHaveBeenCalledTimes(1);
    expect(server.calls[0]!.args).toEqual({ ms: 5 });
    server.answer({
      content: [
        { type: 'text', text: 'one' },
        { type: 'text', text: 'two' },
      ],
    });
    const done = await result;
    expect(done.newItems.find((item) => item.type === 'function_call_output')).toMatchObject({ output: 'one\ntwo' });
    expect(server.close).toHaveBeenCalledTimes(1);
  });

  it('leaves open a server that was connected before the run', async () => {
    const server = memoryServer(true);
    const result = run(new Agent({ name: 'A', model: callWait(), mcpServers: [server] }), 'Wait');
    await vi.waitFor(() => expect(server.calls).toHaveLength(1));
    server.answer({ content: [], structuredContent: { ok: true } });
    expect((await result).newItems.find((item) => item.type === 'function_call_output')).toMatchObject({
      output: '{"ok":true}',
    });
    expect(server.connect).not.toHaveBeenCalled();
    expect(server.close).not.toHaveBeenCalled();
  });

  it('unsubscribing during a call aborts the call’s signal (the MCP request is cancelled) and closes the server', async () => {
    const server = memoryServer();
    const model = callWait();
    const subscription = runStreamed(new Agent({ name: 'A', model, mcpServers: [server] }), 'Wait').subscribe();
    server.callTool.mockImplementationOnce((_name, args, options) => {
      server.calls.push({ args, signal: options?.signal });
      return new Promise(() => undefined);
    });
    await vi.waitFor(() => expect(server.calls).toHaveLength(1));
    const { signal } = server.calls[0]!;
    expect(signal?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
    expect(server.close).toHaveBeenCalledTimes(1);
    expect(model.requests).toHaveLength(1);
  });

  it('lists the tools once per run, and a listing that fails is an McpServerError with the run’s partial', async () => {
    const server = memoryServer(true);
    server.callTool.mockResolvedValue({ content: [{ type: 'text', text: 'done' }] });
    const model = fakeModel([{ toolCalls: [{ name: 'wait' }] }, { toolCalls: [{ name: 'wait' }] }, 'Twice.']);
    const events = await lastValueFrom(
      runStreamed(new Agent({ name: 'A', model, mcpServers: [server] }), 'Wait').pipe(toArray()),
    );
    expect(events.filter((event) => event.type === 'tool-output')).toHaveLength(2);
    expect(server.listTools).toHaveBeenCalledTimes(1);

    server.listTools.mockRejectedValueOnce(new Error('boom'));
    const error = await run(new Agent({ name: 'A', model: fakeModel(['Hi.']), mcpServers: [server] }), 'Hi').catch(
      (thrown: unknown) => thrown,
    );
    expect(McpServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ serverName: 'memory', operation: 'listTools', partial: { text: '' } });
    expect((error as Error).message).toBe("MCP server 'memory': listTools() failed: boom");
  });
});

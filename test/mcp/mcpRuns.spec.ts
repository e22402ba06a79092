/**
 * Agents with MCP servers, run against the real reference "everything" server over stdio (a dev
 * dependency, started by the test), with the model scripted by fakeModel: the tools are listed and
 * offered with the server's schemas, called through MCP, and the server's lifecycle follows the
 * run that opened it.
 */
import { lastValueFrom, Subject, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  McpServerError,
  run,
  runStreamed,
  runSync,
  RunState,
  SyncRunError,
  tool,
  ToolCallError,
  type RunEvent,
} from '../../src/index.js';
import { mcpServerStdio } from '../../src/mcp/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { alive, everythingStdio } from '../helpers/mcpServers.js';

/** One server for the file, connected by the test: runs leave it open. */
const shared = everythingStdio({ toolFilter: ['echo', 'get-sum', 'get-structured-content'] });
beforeAll(() => shared.connect(), 20_000);
afterAll(() => shared.close());

const exited = (pid: number) => vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5_000 });

describe('an agent with MCP servers', () => {
  it('offers the listed tools with the server’s own JSON schema (not strict), after its function tools', async () => {
    const model = fakeModel(['Hi.']);
    const local = tool({ name: 'local', description: 'A function tool.', parameters: z.object({}), execute: () => 1 });
    await run(new Agent({ name: 'A', model, tools: [local], mcpServers: [shared] }), 'Hi');
    const tools = model.requests[0]!.tools;
    expect(tools.map((spec) => spec.name)).toEqual(['local', 'echo', 'get-structured-content', 'get-sum']);
    expect(tools.find((spec) => spec.name === 'get-sum')).toMatchObject({
      type: 'function',
      description: 'Returns the sum of two numbers',
      strict: false,
      parameters: {
        type: 'object',
        properties: { a: { type: 'number', description: 'First number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
    });
  });

  it('calls a tool through MCP: tool-call and tool-output events, the result’s text in the history', async () => {
    const model = fakeModel([
      { toolCalls: [{ name: 'get-sum', arguments: { a: 2, b: 3 }, callId: 'c1' }] },
      { toolCalls: [{ name: 'get-structured-content', arguments: { location: 'Chicago' }, callId: 'c2' }] },
      'Done.',
    ]);
    const agent = new Agent({ name: 'Calc', model, mcpServers: [shared] });
    const events = await lastValueFrom(runStreamed(agent, 'Add').pipe(toArray()));
    expect(events.filter((event) => event.type === 'tool-call')).toMatchObject([
      { name: 'get-sum', callId: 'c1', arguments: { a: 2, b: 3 } },
      { name: 'get-structured-content', callId: 'c2' },
    ]);
    expect(events.find((event) => event.type === 'tool-output')).toMatchObject({
      name: 'get-sum',
      output: 'The sum of 2 and 3 is 5.',
    });
    const final = events.at(-1) as Extract<RunEvent<string>, { type: 'final-output' }>;
    expect(final.history.filter((item) => item.type === 'function_call_output')).toMatchObject([
      { call_id: 'c1', output: 'The sum of 2 and 3 is 5.' },
      { call_id: 'c2', output: expect.stringMatching(/^\{"temperature":\d+,"conditions":"[^"]+","humidity":\d+\}$/) },
    ]);
    expect(shared.connected).toBe(true);
  });

  it('a result with isError is a tool error: reported to the model, or with toolErrors "throw" a ToolCallError', async () => {
    const script = () => fakeModel([{ toolCalls: [{ name: 'echo', arguments: {}, callId: 'bad' }] }, 'Sorry.']);
    const agent = new Agent({ name: 'Echo', model: script(), mcpServers: [shared] });
    const result = await run(agent, 'Echo');
    const output = result.newItems.find((item) => item.type === 'function_call_output');
    expect(output).toMatchObject({ output: expect.stringMatching(/error occurred.*'echo'.*Input validation error/s) });

    const strict = new Agent({ name: 'Echo', model: script(), mcpServers: [shared] });
    const error = await run(strict, 'Echo', { toolErrors: 'throw' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ToolCallError);
    expect((error as ToolCallError).message).toMatch(/echo.*Input validation error/s);
  });

  it('a tool name that clashes with a function tool fails the run with a clear error', async () => {
    const echo = tool({ name: 'echo', description: 'Mine.', parameters: z.object({}), execute: () => 'mine' });
    const agent = new Agent({ name: 'Clash', model: fakeModel(['Hi.']), tools: [echo], mcpServers: [shared] });
    const error = await run(agent, 'Hi').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/MCP server 'everything' lists a tool named 'echo'.*function tool 'echo'/);
  });

  it('runSync refuses an agent with MCP servers before any model call, naming run() and runStreamed()', () => {
    const model = fakeModel(['Hi.']);
    const agent = new Agent({ name: 'Sync', model, mcpServers: [shared] });
    expect(() => runSync(agent, 'Hi')).toThrow(SyncRunError);
    expect(() => runSync(agent, 'Hi')).toThrow(/MCP servers \('everything'\).*run\(\) or runStreamed\(\)/);
    expect(model.requests).toHaveLength(0);
  });

  it('a resumed run lists the tools before its tool step and calls the MCP tool it holds', async () => {
    const refund = tool({
      name: 'refund',
      description: 'Refunds.',
      parameters: z.object({}),
      needsApproval: true,
      execute: () => 'refunded',
    });
    const calls = {
      toolCalls: [
        { name: 'refund', callId: 'c_refund' },
        { name: 'get-sum', arguments: { a: 1, b: 1 }, callId: 'c_sum' },
      ],
    };
    const first = new Agent({ name: 'R', model: fakeModel([calls]), tools: [refund], mcpServers: [shared] });
    const interrupted = await run(first, 'Go');
    expect(interrupted.status).toBe('interrupted');
    if (interrupted.status !== 'interrupted') return;
    // The stored state as if the MCP call had not run yet: the resumed step must call it.
    const data = JSON.parse(JSON.stringify(interrupted.state)) as { toolOutputs: { callId: string }[] };
    data.toolOutputs = data.toolOutputs.filter((entry) => entry.callId !== 'c_sum');
    const model = fakeModel(['Both done.']);
    const again = new Agent({ name: 'R', model, tools: [refund], mcpServers: [shared] });
    const result = await run(again, RunState.fromJSON(again, data).approve('c_refund'));
    expect(result.finalOutput).toBe('Both done.');
    expect(model.requests[0]!.input.slice(-2)).toEqual([
      { type: 'function_call_output', call_id: 'c_refund', output: 'refunded' },
      { type: 'function_call_output', call_id: 'c_sum', output: 'The sum of 1 and 1 is 2.' },
    ]);
  });
});

describe('the lifecycle of an MCP server', () => {
  it('a server the run found not connected is connected by it and closed when it completes', async () => {
    const server = everythingStdio({ cacheToolsList: false, toolFilter: ['echo'] });
    let pid: number | undefined;
    const model = fakeModel([{ toolCalls: [{ name: 'echo', arguments: { message: 'hi' } }] }, 'Echoed.']);
    const agent = new Agent({ name: 'Own', model, mcpServers: [server] });
    const events = await lastValueFrom(
      runStreamed(agent, 'Echo').pipe(
        tap((event) => {
          if (event.type === 'tool-call') pid = server.pid;
        }),
        toArray(),
      ),
    );
    expect(events.find((event) => event.type === 'tool-output')).toMatchObject({ output: 'Echo: hi' });
    expect(pid).toBeTypeOf('number');
    await exited(pid!);
    expect(server.connected).toBe(false);
    // cacheToolsList: false, so listing again needs the server, which is closed.
    await expect(server.listTools()).rejects.toThrow(/MCP server 'everything': listTools\(\) failed: .*not connected/);
  });

  it('unsubscribing during a slow MCP call ends the run, cancels the call, and the run-opened server exits', async () => {
    const server = everythingStdio();
    const model = fakeModel([
      { toolCalls: [{ name: 'trigger-long-running-operation', arguments: { duration: 30, steps: 30 } }] },
      'Never.',
    ]);
    const agent = new Agent({ name: 'Slow', model, mcpServers: [server] });
    const seen: string[] = [];
    const started = new Subject<void>();
    const subscription = runStreamed(agent, 'Wait').subscribe((event) => {
      seen.push(event.type);
      if (event.type === 'tool-call') started.next();
    });
    await new Promise<void>((resolve) => started.subscribe(() => resolve()));
    const pid = server.pid!;
    expect(alive(pid)).toBe(true);
    subscription.unsubscribe();
    await exited(pid);
    expect(seen.at(-1)).toBe('tool-call');
    expect(model.requests).toHaveLength(1);
  });

  it('a server the user connected stays open after the run, until close() ends its child process', async () => {
    const server = everythingStdio();
    await server.connect();
    const pid = server.pid!;
    await run(new Agent({ name: 'Kept', model: fakeModel(['Hi.']), mcpServers: [server] }), 'Hi');
    expect(server.connected).toBe(true);
    expect(alive(pid)).toBe(true);
    await server.close();
    await exited(pid);
    expect(server.connected).toBe(false);
    expect(server.pid).toBeUndefined();
    // The list the run got is kept (cacheToolsList defaults to true) until it is invalidated.
    expect((await server.listTools()).map((definition) => definition.name)).toContain('get-sum');
    server.invalidateToolsCache();
    await expect(server.listTools()).rejects.toBeInstanceOf(McpServerError);
  });

  it('a command that cannot be started fails the run with an McpServerError naming the server, with partial', async () => {
    const server = mcpServerStdio({ command: 'rxjs-agents-no-such-mcp-server', name: 'missing' });
    const model = fakeModel(['Hi.']);
    const error = await run(new Agent({ name: 'A', model, mcpServers: [server] }), 'Hi').catch((e: unknown) => e);
    expect(McpServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ serverName: 'missing', operation: 'connect', partial: { text: '' } });
    expect((error as Error).message).toMatch(/MCP server 'missing': connect\(\) failed: .*ENOENT/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(model.requests).toHaveLength(0);
  });

  it('a server killed during a call fails the run with an McpServerError (whatever toolErrors), with partial', async () => {
    const server = everythingStdio({ toolFilter: (definition) => definition.name.startsWith('trigger-long') });
    const model = fakeModel([
      { text: 'Working on it.', toolCalls: [{ name: 'trigger-long-running-operation', arguments: { duration: 30 } }] },
      'Never.',
    ]);
    const agent = new Agent({ name: 'Killed', model, mcpServers: [server] });
    const failed = lastValueFrom(
      runStreamed(agent, 'Go').pipe(
        tap((event) => {
          if (event.type === 'tool-call') setTimeout(() => process.kill(server.pid!, 'SIGKILL'), 100);
        }),
      ),
    ).catch((thrown: unknown) => thrown);
    const error = await failed;
    expect(McpServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      serverName: 'everything',
      operation: 'callTool',
      toolName: 'trigger-long-running-operation',
      partial: { text: 'Working on it.' },
    });
    expect((error as Error).message).toMatch(/closed the connection/);
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.tools.map((spec) => spec.name)).toEqual(['trigger-long-running-operation']);
  });
});

describe('the options of an MCP server', () => {
  it('are checked where they are given, naming the field', () => {
    const bad = (options: unknown) => () => mcpServerStdio(options as never);
    expect(bad({ command: '' })).toThrow(expect.objectContaining({ argument: 'command' }));
    expect(bad({ command: 'x', args: 'a b' })).toThrow(expect.objectContaining({ argument: 'args' }));
    expect(bad({ command: 'x', env: { A: 1 } })).toThrow(expect.objectContaining({ argument: 'env' }));
    expect(bad({ command: 'x', cacheToolsList: 'yes' })).toThrow(
      expect.objectContaining({ argument: 'cacheToolsList' }),
    );
    expect(bad({ command: 'x', toolFilter: 'echo' })).toThrow(expect.objectContaining({ argument: 'toolFilter' }));
    expect(() => new Agent({ name: 'A', mcpServers: {} as never })).toThrow(
      expect.objectContaining({ argument: 'mcpServers' }),
    );
    expect(() => new Agent({ name: 'A', mcpServers: [{ name: 'x' } as never] })).toThrow(
      expect.objectContaining({ argument: 'mcpServers[0]' }),
    );
    expect(() => new Agent({ name: 'A', mcpServers: [shared, everythingStdio()] })).toThrow(
      /a second MCP server named 'everything'/,
    );
  });
});

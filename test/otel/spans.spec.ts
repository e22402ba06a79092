/**
 * The spans of whole runs under the real OpenTelemetry SDK: a streamed run, `run` and `runSync` of
 * one agent with a tool, a handoff, parallel tools, and an agent called as a tool — their tree,
 * names, kinds, attributes and statuses, as an exporter would receive them.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, handoffToolName, Runner, tool, type McpServer } from '../../src/index.js';
import { openTelemetry } from '../../src/otel/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { until } from '../helpers/waiting.js';
import { spanNamed, spanTree, useOtel } from './otelHarness.js';

const otel = useOtel();
const tracing = () => openTelemetry({ tracer: otel.tracerProvider.getTracer('spec') });

const add = tool({
  name: 'add',
  description: 'Adds two numbers.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

/** A two-turn script: a call to `add`, then the answer. */
const calcModel = () =>
  fakeModel(
    [
      {
        toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 }, callId: 'call_add' }],
        id: 'resp_1',
        usage: { inputTokens: 11, outputTokens: 4 },
      },
      { text: 'It is 5.', id: 'resp_2', usage: { inputTokens: 20, outputTokens: 3 } },
    ],
    { name: 'calc-model' },
  );
const calcAgent = (model = calcModel()) =>
  new Agent({
    name: 'Calc',
    model,
    tools: [add],
    modelSettings: { temperature: 0.2, topP: 0.9, maxOutputTokens: 64 },
  });

const ways = {
  runStreamed: async (runner: Runner, agent: Agent<string>) => {
    await lastValueFrom(runner.runStreamed(agent, 'What is 2+3?').pipe(toArray()));
  },
  run: async (runner: Runner, agent: Agent<string>) => {
    await runner.run(agent, 'What is 2+3?');
  },
  runSync: (runner: Runner, agent: Agent<string>) => {
    runner.runSync(agent, 'What is 2+3?');
  },
};

describe('one agent with a tool', () => {
  it.each(Object.entries(ways))(
    '%s: invoke_agent > chat, execute_tool, chat, with the conventions’ attributes',
    async (_way, go) => {
      await go(new Runner({ tracing: tracing() }), calcAgent());
      const spans = otel.spans();
      expect(spanTree(spans)).toEqual([
        'invoke_agent Calc',
        ['chat calc-model', 'execute_tool add', 'chat calc-model'],
      ]);

      const runSpan = spanNamed(spans, 'invoke_agent Calc');
      expect(runSpan.kind).toBe(SpanKind.INTERNAL);
      expect(runSpan.status.code).toBe(SpanStatusCode.UNSET);
      expect(runSpan.attributes).toMatchObject({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'Calc',
        'gen_ai.provider.name': 'calc-model',
        'gen_ai.request.model': 'calc-model',
        'gen_ai.output.type': 'text',
        'gen_ai.usage.input_tokens': 31,
        'gen_ai.usage.output_tokens': 7,
        'rxjs_agents.run.outcome': 'completed',
      });

      const chats = spans.filter((span) => span.name === 'chat calc-model');
      for (const chat of chats) {
        expect(chat.kind).toBe(SpanKind.CLIENT);
        expect(chat.status.code).toBe(SpanStatusCode.UNSET);
        expect(chat.attributes).toMatchObject({
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'calc-model',
          'gen_ai.request.model': 'calc-model',
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.top_p': 0.9,
          'gen_ai.request.max_tokens': 64,
          'gen_ai.agent.name': 'Calc',
          'rxjs_agents.attempt': 1,
        });
      }
      const [first, second] = [...chats].sort(
        (a, b) => Number(a.attributes['rxjs_agents.turn']) - Number(b.attributes['rxjs_agents.turn']),
      );
      expect(first!.attributes).toMatchObject({
        'rxjs_agents.turn': 1,
        'gen_ai.response.id': 'resp_1',
        'gen_ai.usage.input_tokens': 11,
        'gen_ai.usage.output_tokens': 4,
      });
      expect(second!.attributes).toMatchObject({
        'rxjs_agents.turn': 2,
        'gen_ai.response.id': 'resp_2',
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.output_tokens': 3,
      });

      const toolSpan = spanNamed(spans, 'execute_tool add');
      expect(toolSpan.kind).toBe(SpanKind.INTERNAL);
      expect(toolSpan.status.code).toBe(SpanStatusCode.UNSET);
      expect(toolSpan.attributes).toMatchObject({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'add',
        'gen_ai.tool.call.id': 'call_add',
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.description': 'Adds two numbers.',
      });
      // Settings the agent did not set are not made up.
      expect(first!.attributes).not.toHaveProperty('gen_ai.request.frequency_penalty');
    },
  );

  it('leaves out the request settings that were not set', async () => {
    await ways.run(
      new Runner({ tracing: tracing() }),
      new Agent({ name: 'Plain', model: fakeModel(['Hi.'], { name: 'm' }) }),
    );
    const chat = spanNamed(otel.spans(), 'chat m');
    expect(Object.keys(chat.attributes).filter((key) => key.startsWith('gen_ai.request.'))).toEqual([
      'gen_ai.request.model',
    ]);
  });

  it('traces a run given its tracing option, and nothing with tracing: false', async () => {
    const runner = new Runner({ tracing: tracing() });
    await runner.run(calcAgent(), 'What is 2+3?', { tracing: false });
    expect(otel.spans()).toEqual([]);
    await new Runner().run(calcAgent(), 'What is 2+3?', { tracing: tracing() });
    expect(spanTree(otel.spans())).toEqual([
      'invoke_agent Calc',
      ['chat calc-model', 'execute_tool add', 'chat calc-model'],
    ]);
  });

  it('puts the run under the span that is active where it is subscribed', async () => {
    const tracer = otel.tracerProvider.getTracer('app');
    await tracer.startActiveSpan('request', async (span) => {
      await new Runner({ tracing: tracing() }).run(calcAgent(), 'What is 2+3?');
      span.end();
    });
    expect(spanTree(otel.spans())).toEqual([
      'request',
      ['invoke_agent Calc', ['chat calc-model', 'execute_tool add', 'chat calc-model']],
    ]);
  });
});

describe('handoffs', () => {
  it("starts the next agent's span under the run's, with its provider and output type after its first call", async () => {
    const model = fakeModel(
      [
        {
          toolCalls: [{ name: handoffToolName('Billing'), callId: 'call_handoff' }],
          usage: { inputTokens: 5, outputTokens: 1 },
        },
        { output: { amount: 12 }, usage: { inputTokens: 7, outputTokens: 2 } },
      ],
      { name: 'm' },
    );
    const billing = new Agent({
      name: 'Billing',
      handoffDescription: 'Answers billing questions.',
      model,
      outputType: z.object({ amount: z.number() }),
    });
    const triage = new Agent({ name: 'Triage', model, handoffs: [billing] });
    await new Runner({ tracing: tracing() }).run(triage, 'How much do I owe?');

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent Triage', ['chat m', 'invoke_agent Billing', ['chat m']]]);
    const run = spanNamed(spans, 'invoke_agent Triage');
    const billingSpan = spanNamed(spans, 'invoke_agent Billing');
    expect(billingSpan.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'Billing',
      'gen_ai.agent.description': 'Answers billing questions.',
      'gen_ai.provider.name': 'm',
      'gen_ai.output.type': 'json',
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 2,
      'rxjs_agents.run.outcome': 'completed',
    });
    // The run's span counts the whole run's tokens, and tells of the handoff.
    expect(run.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 3 });
    expect(run.events.map((event) => [event.name, event.attributes])).toContainEqual([
      'rxjs_agents.handoff',
      {
        'rxjs_agents.handoff.from': 'Triage',
        'rxjs_agents.handoff.to': 'Billing',
        'gen_ai.tool.call.id': 'call_handoff',
      },
    ]);
    expect(
      spans.find(
        (span) => span.name === 'chat m' && span.parentSpanContext?.spanId === billingSpan.spanContext().spanId,
      )?.attributes,
    ).toMatchObject({
      'gen_ai.agent.name': 'Billing',
      'gen_ai.output.type': 'json',
    });
  });

  it("a tool called in the handoff's turn is the first agent's: its span is under that agent's", async () => {
    const model = fakeModel(
      [
        { toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }, { name: handoffToolName('Support') }] },
        { toolCalls: [{ name: 'add', arguments: { a: 3, b: 4 } }] },
        'Done.',
      ],
      { name: 'm' },
    );
    const support = new Agent({ name: 'Support', model, tools: [add] });
    const handoff = new Agent({ name: 'Handoff', model, tools: [add], handoffs: [support] });
    await new Runner({ tracing: tracing() }).run(handoff, 'Hi');

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual([
      'invoke_agent Handoff',
      ['chat m', 'execute_tool add', 'invoke_agent Support', ['chat m', 'execute_tool add', 'chat m']],
    ]);
    const tools = spans.filter((span) => span.name === 'execute_tool add');
    expect(tools.map((span) => span.attributes['gen_ai.agent.name']).sort()).toEqual(['Handoff', 'Support']);
  });
});

describe('parallel tools', () => {
  it('gives each call its own execute_tool span, siblings under the agent, each ending with its own call', async () => {
    const releases: (() => void)[] = [];
    const slow = tool({
      name: 'slow',
      description: 'Waits to be released.',
      parameters: z.object({ n: z.number() }),
      execute: ({ n }) => new Promise<number>((resolve) => releases.push(() => resolve(n))),
    });
    const model = fakeModel(
      [
        {
          toolCalls: [
            { name: 'slow', arguments: { n: 1 }, callId: 'c1' },
            { name: 'slow', arguments: { n: 2 }, callId: 'c2' },
          ],
        },
        'Done.',
      ],
      { name: 'm' },
    );
    const agent = new Agent({ name: 'P', model, tools: [slow] });
    const ended: string[] = [];
    const events = lastValueFrom(new Runner({ tracing: tracing() }).runStreamed(agent, 'Go').pipe(toArray()));
    await until(() => releases.length === 2);
    // The second call ends first: its span ends then, and the first's is still open.
    releases[1]!();
    await until(() => otel.spans().some((span) => span.name === 'execute_tool slow'));
    ended.push(
      ...otel
        .spans()
        .filter((s) => s.name === 'execute_tool slow')
        .map((s) => String(s.attributes['gen_ai.tool.call.id'])),
    );
    expect(ended).toEqual(['c2']);
    releases[0]!();
    await events;

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent P', ['chat m', 'execute_tool slow', 'execute_tool slow', 'chat m']]);
    const tools = spans.filter((span) => span.name === 'execute_tool slow');
    expect(tools.map((span) => span.attributes['gen_ai.tool.call.id'])).toEqual(['c2', 'c1']);
    const run = spanNamed(spans, 'invoke_agent P');
    for (const span of tools) expect(span.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
  });
});

describe('an agent called as a tool', () => {
  it('nests its invoke_agent span under the execute_tool span of the call', async () => {
    const translator = new Agent({
      name: 'Translator',
      model: fakeModel(['Bonjour.'], { name: 'inner-model' }),
    });
    const model = fakeModel(
      [{ toolCalls: [{ name: 'translate', arguments: { input: 'Hello' }, callId: 'call_t' }] }, 'It is Bonjour.'],
      { name: 'outer-model' },
    );
    const agent = new Agent({
      name: 'Writer',
      model,
      tools: [translator.asTool({ toolName: 'translate', toolDescription: 'Translates to French.' })],
    });
    await new Runner({ tracing: tracing() }).run(agent, 'Say hello in French.');

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual([
      'invoke_agent Writer',
      [
        'chat outer-model',
        'execute_tool translate',
        ['invoke_agent Translator', ['chat inner-model']],
        'chat outer-model',
      ],
    ]);
    expect(spanNamed(spans, 'execute_tool translate').attributes).toMatchObject({
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_t',
    });
    expect(spanNamed(spans, 'invoke_agent Translator').attributes).toMatchObject({
      'gen_ai.agent.name': 'Translator',
      'gen_ai.provider.name': 'inner-model',
      'rxjs_agents.run.outcome': 'completed',
    });
  });
});

describe("a tool's own spans", () => {
  it.each(Object.entries(ways))('%s: a span the tool starts is a child of its execute_tool span', async (_way, go) => {
    const appTracer = otel.tracerProvider.getTracer('app');
    const audited = tool({
      name: 'add',
      description: 'Adds two numbers, and audits it.',
      parameters: z.object({ a: z.number(), b: z.number() }),
      // Synchronous, so that runSync can run it too.
      execute: ({ a, b }) => appTracer.startActiveSpan('audit', (span) => (span.end(), a + b)),
    });
    await go(new Runner({ tracing: tracing() }), new Agent({ name: 'Calc', model: calcModel(), tools: [audited] }));
    expect(spanTree(otel.spans())).toEqual([
      'invoke_agent Calc',
      ['chat calc-model', 'execute_tool add', ['audit'], 'chat calc-model'],
    ]);
  });
});

describe('an MCP server’s tool', () => {
  it("is an execute_tool span of gen_ai.tool.type 'extension'", async () => {
    const server: McpServer = {
      name: 'files',
      connected: true,
      connect: () => Promise.resolve(),
      close: () => Promise.resolve(),
      listTools: () =>
        Promise.resolve([
          { name: 'read_file', description: 'Reads a file.', inputSchema: { type: 'object', properties: {} } },
        ]),
      callTool: () => Promise.resolve({ content: [{ type: 'text', text: 'hello' }] }),
    };
    const model = fakeModel([{ toolCalls: [{ name: 'read_file', callId: 'c_mcp' }] }, 'It says hello.'], { name: 'm' });
    await new Runner({ tracing: tracing() }).run(new Agent({ name: 'Reader', model, mcpServers: [server] }), 'Read it');

    const spans = otel.spans();
    expect(spanTree(spans)).toEqual(['invoke_agent Reader', ['chat m', 'execute_tool read_file', 'chat m']]);
    expect(spanNamed(spans, 'execute_tool read_file').attributes).toMatchObject({
      'gen_ai.tool.name': 'read_file',
      'gen_ai.tool.type': 'extension',
      'gen_ai.tool.call.id': 'c_mcp',
    });
  });
});

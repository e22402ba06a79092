import { RunAgentInputSchema } from '@ag-ui/core/schemas';
import { describe, expect, it } from 'vitest';
import { fromAgUiInput, InvalidArgumentError, isTool } from '../../src/index.js';

const body = {
  threadId: 'thread_1',
  runId: 'run_2',
  state: { city: 'Oslo' },
  forwardedProps: { locale: 'nb' },
  context: [{ description: 'time zone', value: 'Europe/Oslo' }],
  tools: [
    {
      name: 'confirm_trip',
      description: 'Asks the traveller.',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
    { name: 'ping', description: 'No arguments.' },
  ],
  resume: [
    { interruptId: 'call_a', status: 'resolved' },
    { interruptId: 'call_b', status: 'resolved', payload: false },
    { interruptId: 'call_c', status: 'resolved', payload: { approved: false, message: 'Too much.' } },
    { interruptId: 'call_d', status: 'cancelled' },
  ],
  messages: [
    { id: 's', role: 'system', content: 'Be brief.' },
    { id: 'd', role: 'developer', content: 'Use metric units.' },
    {
      id: 'u',
      role: 'user',
      content: [
        { type: 'text', text: 'Where is this?' },
        { type: 'image', source: { type: 'url', value: 'https://example.com/a.png' } },
        { type: 'image', source: { type: 'data', value: 'AAAA', mimeType: 'image/png' } },
      ],
    },
    {
      id: 'a1',
      role: 'assistant',
      content: 'Checking.',
      toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
    },
    { id: 't1', role: 'tool', toolCallId: 'call_1', content: '{"celsius":3}' },
    {
      id: 'a2',
      role: 'assistant',
      toolCalls: [{ id: 'call_2', type: 'function', function: { name: 'x', arguments: '{}' } }],
    },
    { id: 't2', role: 'tool', toolCallId: 'call_2', content: '', error: 'timed out' },
    { id: 'act', role: 'activity', activityType: 'progress', content: { percent: 50 } },
    { id: 'r', role: 'reasoning', content: 'Thinking…' },
    { id: 'a3', role: 'assistant', content: 'It is 3 degrees.' },
  ],
};

describe('fromAgUiInput', () => {
  it('reads a RunAgentInput’s messages as the run’s items, in order', () => {
    expect(RunAgentInputSchema.safeParse(body).success).toBe(true);
    const agUi = fromAgUiInput(body);
    expect(agUi.input).toEqual([
      { type: 'message', role: 'system', content: 'Be brief.' },
      { type: 'message', role: 'developer', content: 'Use metric units.' },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Where is this?' },
          { type: 'input_image', image_url: 'https://example.com/a.png' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
        ],
      },
      { type: 'message', role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"celsius":3}' },
      { type: 'function_call', call_id: 'call_2', name: 'x', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_2', output: 'Error: timed out' },
      { type: 'message', role: 'assistant', content: 'It is 3 degrees.' },
    ]);
    expect(agUi).toMatchObject({
      threadId: 'thread_1',
      runId: 'run_2',
      state: { city: 'Oslo' },
      forwardedProps: { locale: 'nb' },
      context: body.context,
    });
  });

  it('makes the front-end tools tools of the run that always wait, offered with their own schema', () => {
    const agUi = fromAgUiInput(body);
    expect(agUi.clientTools).toEqual(['confirm_trip', 'ping']);
    const [confirm, ping] = agUi.tools;
    expect(isTool(confirm)).toBe(true);
    expect(confirm!.needsApproval).toBe(true);
    expect(confirm!.spec).toEqual({
      type: 'function',
      name: 'confirm_trip',
      description: 'Asks the traveller.',
      parameters: body.tools[0]!.parameters,
      strict: false,
    });
    expect(ping!.spec.parameters).toEqual({ type: 'object', properties: {} });
    expect(() => confirm!.execute({}, {} as never)).toThrow(/front-end tool/);
  });

  it('reads resume entries as approval decisions', () => {
    expect(fromAgUiInput(body).approvals).toEqual([
      { callId: 'call_a', approved: true },
      { callId: 'call_b', approved: false },
      { callId: 'call_c', approved: false, message: 'Too much.' },
      { callId: 'call_d', approved: false },
    ]);
  });

  it.each([
    [null, 'input'],
    [{ runId: 'r', messages: [] }, 'input.threadId'],
    [{ threadId: 't', runId: 'r' }, 'input.messages'],
    [{ threadId: 't', runId: 'r', messages: [{ id: 'm', role: 'robot', content: '' }] }, 'input.messages[0].role'],
    [
      { threadId: 't', runId: 'r', messages: [{ id: 'm', role: 'tool', content: 'x' }] },
      'input.messages[0].toolCallId',
    ],
    [
      {
        threadId: 't',
        runId: 'r',
        messages: [{ id: 'm', role: 'user', content: [{ type: 'audio', source: { type: 'url', value: 'u' } }] }],
      },
      'input.messages[0].content[0].type',
    ],
    [{ threadId: 't', runId: 'r', messages: [], tools: [{ name: 'a b', description: '' }] }, 'input.tools[0].name'],
    [
      {
        threadId: 't',
        runId: 'r',
        messages: [],
        tools: [{ name: 'a', description: '', parameters: { type: 'string' } }],
      },
      'input.tools[0].parameters',
    ],
    [
      { threadId: 't', runId: 'r', messages: [], resume: [{ interruptId: 'i', status: 'maybe' }] },
      'input.resume[0].status',
    ],
  ])('refuses %j, naming %s', (value, argument) => {
    expect(() => fromAgUiInput(value)).toThrow(InvalidArgumentError);
    expect(() => fromAgUiInput(value)).toThrow(expect.objectContaining({ argument }));
  });
});

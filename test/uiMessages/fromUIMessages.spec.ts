import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { fromUIMessages, InvalidArgumentError, uiApprovalResponses } from '../../src/index.js';

const conversation: UIMessage[] = [
  { id: 's', role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
  {
    id: 'u1',
    role: 'user',
    parts: [
      { type: 'text', text: 'What is ' },
      { type: 'text', text: 'this?' },
      { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,AAAA' },
    ],
  },
  {
    id: 'a1',
    role: 'assistant',
    parts: [
      { type: 'step-start' },
      { type: 'reasoning', text: 'A picture.', state: 'done' },
      { type: 'text', text: 'Let me look.', state: 'done' },
      {
        type: 'tool-lookup',
        toolCallId: 'call_1',
        state: 'output-available',
        input: { q: 'png' },
        output: { kind: 'cat' },
      },
      { type: 'tool-lookup', toolCallId: 'call_2', state: 'output-error', input: { q: 'x' }, errorText: 'failed' },
      {
        type: 'dynamic-tool',
        toolName: 'refund',
        toolCallId: 'call_3',
        state: 'output-denied',
        input: { order: 'A' },
        approval: { id: 'call_3', approved: false, reason: 'No receipt.' },
      },
      { type: 'tool-refund', toolCallId: 'call_4', state: 'input-available', input: { order: 'B' } },
      { type: 'step-start' },
      { type: 'data-partial-output', id: 'partial-output', data: { a: 1 } },
      { type: 'text', text: 'A cat.', state: 'done' },
    ],
  },
];

describe('fromUIMessages', () => {
  it('reads user, system and assistant messages step by step, with the outputs of finished calls', () => {
    expect(fromUIMessages(conversation)).toEqual([
      { type: 'message', role: 'system', content: 'Be brief.' },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is ' },
          { type: 'input_text', text: 'this?' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
        ],
      },
      { type: 'message', role: 'assistant', content: 'Let me look.' },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"q":"png"}' },
      { type: 'function_call', call_id: 'call_2', name: 'lookup', arguments: '{"q":"x"}' },
      { type: 'function_call', call_id: 'call_3', name: 'refund', arguments: '{"order":"A"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"kind":"cat"}' },
      { type: 'function_call_output', call_id: 'call_2', output: 'failed' },
      { type: 'function_call_output', call_id: 'call_3', output: 'No receipt.' },
      { type: 'message', role: 'assistant', content: 'A cat.' },
    ]);
  });

  it("answers a denial without a reason with the run's own rejection text", () => {
    const denied: UIMessage = {
      id: 'a',
      role: 'assistant',
      parts: [
        {
          type: 'tool-refund',
          toolCallId: 'c',
          state: 'output-denied',
          input: {},
          approval: { id: 'c', approved: false },
        },
      ],
    };
    expect(fromUIMessages([denied])[1]).toEqual({
      type: 'function_call_output',
      call_id: 'c',
      output: "The call of tool 'refund' was rejected by the user, and the tool did not run.",
    });
  });

  it('refuses what is not a conversation, naming where', () => {
    const cases: [unknown, string][] = [
      ['hello', 'messages'],
      [[{ role: 'user' }], 'messages[0]'],
      [[{ role: 'user', parts: [null] }], 'messages[0].parts[0]'],
      [[{ role: 'robot', parts: [] }], 'messages[0].role'],
      [[{ role: 'user', parts: [{ type: 'text', text: 3 }] }], 'messages[0].parts[0].text'],
      [
        [{ role: 'user', parts: [{ type: 'file', mediaType: 'application/pdf', url: 'x' }] }],
        'messages[0].parts[0].mediaType',
      ],
      [
        [{ role: 'assistant', parts: [{ type: 'tool-x', state: 'output-available', output: 1 }] }],
        'messages[0].parts[0].toolCallId',
      ],
    ];
    for (const [messages, argument] of cases) {
      expect(() => fromUIMessages(messages as never), argument).toThrow(InvalidArgumentError);
      expect(() => fromUIMessages(messages as never)).toThrow(expect.objectContaining({ argument }));
    }
  });
});

describe('uiApprovalResponses', () => {
  const asked = (state: string, approval: unknown) => ({
    type: 'tool-refund',
    toolCallId: 'call_r',
    state,
    input: {},
    approval,
  });

  it("reads the answers of the last assistant message's approval-responded parts", () => {
    const messages = [
      { role: 'user', parts: [{ type: 'text', text: 'Refund A and B' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          asked('approval-responded', { id: 'call_r', approved: true }),
          {
            ...asked('approval-responded', { id: 'call_s', approved: false, reason: 'Too much.' }),
            toolCallId: 'call_s',
          },
          { ...asked('approval-requested', { id: 'call_t' }), toolCallId: 'call_t' },
        ],
      },
    ];
    expect(uiApprovalResponses(messages)).toEqual([
      { callId: 'call_r', approved: true },
      { callId: 'call_s', approved: false, reason: 'Too much.' },
    ]);
  });

  it('finds none when the last message is not an assistant message, and refuses a broken approval', () => {
    expect(uiApprovalResponses([])).toEqual([]);
    expect(uiApprovalResponses([{ role: 'user', parts: [] }])).toEqual([]);
    expect(() =>
      uiApprovalResponses([{ role: 'assistant', parts: [asked('approval-responded', { id: 'x' })] }]),
    ).toThrow(expect.objectContaining({ argument: 'messages[0].parts[0].approval' }));
  });
});

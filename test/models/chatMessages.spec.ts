import { describe, expect, it } from 'vitest';
import type { InputItem } from '../../src/items.js';
import { chatMessages } from '../../src/models/chatMessages.js';

describe('chatMessages', () => {
  it('puts instructions first as a system message, and none without instructions', () => {
    const input: InputItem[] = [{ type: 'message', role: 'user', content: 'Hi' }];
    expect(chatMessages('Be kind.', input)).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(chatMessages(undefined, input)).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('keeps system and developer roles, joining text parts', () => {
    const input: InputItem[] = [
      {
        type: 'message',
        role: 'system',
        content: [
          { type: 'input_text', text: 'A' },
          { type: 'input_text', text: 'B' },
        ],
      },
      { type: 'message', role: 'developer', content: 'C' },
    ];
    expect(chatMessages(undefined, input)).toEqual([
      { role: 'system', content: 'AB' },
      { role: 'developer', content: 'C' },
    ]);
  });

  it('keeps a user message with images as a list of parts', () => {
    const input: InputItem[] = [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'low' },
        ],
      },
    ];
    expect(chatMessages(undefined, input)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
        ],
      },
    ]);
  });

  it('joins assistant output_text parts and keeps a refusal', () => {
    const input: InputItem[] = [
      {
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'One ' },
          { type: 'output_text', text: 'two' },
        ],
      },
      { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
    ];
    expect(chatMessages(undefined, input)).toEqual([
      { role: 'assistant', content: 'One two' },
      { role: 'assistant', content: '', refusal: 'No.' },
    ]);
  });

  it('merges consecutive function calls into one assistant message with tool_calls', () => {
    const input: InputItem[] = [
      { type: 'message', role: 'user', content: 'Go' },
      { type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' },
      { type: 'function_call', call_id: 'b', name: 'g', arguments: '{"x":1}' },
      { type: 'function_call_output', call_id: 'a', output: 'A' },
      { type: 'function_call_output', call_id: 'b', output: 'B' },
      { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c', output: 'C' },
    ];
    expect(chatMessages(undefined, input)).toEqual([
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
          { id: 'b', type: 'function', function: { name: 'g', arguments: '{"x":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: 'A' },
      { role: 'tool', tool_call_id: 'b', content: 'B' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c', content: 'C' },
    ]);
  });

  it('attaches function calls to the assistant message just before them, across skipped items', () => {
    const input: InputItem[] = [
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me check.' }] },
      { type: 'reasoning', id: 'rs_2', summary: [] },
      { type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' },
    ];
    expect(chatMessages(undefined, input)).toEqual([
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
    ]);
  });

  it('does not attach function calls to an assistant message before a user message', () => {
    const input: InputItem[] = [
      { type: 'message', role: 'assistant', content: 'Hello' },
      { type: 'message', role: 'user', content: 'Weather?' },
      { type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' },
    ];
    const messages = chatMessages(undefined, input);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toEqual({ role: 'assistant', content: 'Hello' });
    expect(messages[2]).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ id: 'a' }] });
  });

  it('gives tool messages text even when an output is not a string', () => {
    const input = [
      { type: 'function_call_output', call_id: 'a', output: [{ type: 'input_text', text: 'part' }] },
      { type: 'function_call_output', call_id: 'b', output: { ok: true } },
    ] as unknown as InputItem[];
    expect(chatMessages(undefined, input)).toEqual([
      { role: 'tool', tool_call_id: 'a', content: 'part' },
      { role: 'tool', tool_call_id: 'b', content: '{"ok":true}' },
    ]);
  });
});

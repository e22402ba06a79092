import { describe, expect, it } from 'vitest';
import { messageRefusal, messageText, type MessageItem } from '../src/index.js';

const assistant = (content: MessageItem['content']): MessageItem => ({ type: 'message', role: 'assistant', content });

describe('messageRefusal', () => {
  it('is the refusal parts joined', () => {
    const refusal = assistant([
      { type: 'refusal', refusal: 'I can’t' },
      { type: 'refusal', refusal: ' help.' },
    ]);
    expect(messageRefusal(refusal)).toBe('I can’t help.');
    expect(messageText(refusal)).toBe('');
  });

  it('is undefined for a message without a refusal part', () => {
    expect(messageRefusal(assistant('Lisbon.'))).toBeUndefined();
    expect(messageRefusal(assistant([{ type: 'output_text', text: 'Lisbon.' }]))).toBeUndefined();
    expect(messageRefusal(assistant([]))).toBeUndefined();
  });

  it('leaves the text parts of a mixed message to messageText', () => {
    const mixed = assistant([
      { type: 'output_text', text: 'Well…' },
      { type: 'refusal', refusal: 'No.' },
    ]);
    expect([messageText(mixed), messageRefusal(mixed)]).toEqual(['Well…', 'No.']);
  });
});

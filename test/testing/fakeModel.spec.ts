import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../src/model.js';
import { fakeModel } from '../../src/testing/fakeModel.js';

const request: ModelRequest = { input: [{ type: 'message', role: 'user', content: 'Hi' }], tools: [], settings: {} };

describe('fakeModel', () => {
  it('scripts a refusal: no text delta, an assistant message with one refusal part', async () => {
    const model = fakeModel([{ refusal: 'I can’t help with that.', usage: { inputTokens: 4, outputTokens: 6 } }]);
    const events = await lastValueFrom(model.stream(request).pipe(toArray()));
    expect(events).toEqual([
      {
        type: 'response',
        response: {
          id: 'fake_resp_1',
          output: [
            {
              type: 'message',
              role: 'assistant',
              id: 'fake_msg_1',
              status: 'completed',
              content: [{ type: 'refusal', refusal: 'I can’t help with that.' }],
            },
          ],
          usage: { requests: 1, inputTokens: 4, outputTokens: 6, totalTokens: 10 },
        },
      },
    ]);
  });
});

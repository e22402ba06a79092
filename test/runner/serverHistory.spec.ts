import { describe, expect, it } from 'vitest';
import { ModelBehaviorError } from '../../src/index.js';
import type { InputItem, RunItem } from '../../src/items.js';
import type { ModelResponse } from '../../src/model.js';
import { turnInput, type SentSoFar } from '../../src/runner/serverHistory.js';

const usage = { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
const input: InputItem[] = [{ type: 'message', role: 'user', content: 'Weather?' }];
const call = { type: 'function_call', id: 'fc_1', call_id: 'c1', name: 'weather', arguments: '{}' } as RunItem;
const output = { type: 'function_call_output', call_id: 'c1', output: 'sunny' } as RunItem;

function state(responses: ModelResponse[], newItems: RunItem[]): SentSoFar {
  return { history: [...input, ...newItems], newItems, rawResponses: responses };
}

describe('turnInput', () => {
  const first: ModelResponse = { id: 'resp_1', output: [call], usage };

  it('sends the whole history when the server keeps nothing', () => {
    expect(turnInput(state([first], [call, output]), undefined)).toEqual({ input: [...input, call, output] });
  });

  it('previousResponseId: the run’s input first, then what followed the last response, with its id', () => {
    expect(turnInput(state([], []), { previousResponseId: 'resp_0' })).toEqual({
      input,
      previousResponseId: 'resp_0',
    });
    expect(turnInput(state([first], [call, output]), { previousResponseId: 'resp_0' })).toEqual({
      input: [output],
      previousResponseId: 'resp_1',
    });
  });

  it('conversationId: the conversation on every call, and only the items since the last response', () => {
    expect(turnInput(state([], []), { conversationId: 'conv_1' })).toEqual({ input, conversationId: 'conv_1' });
    expect(turnInput(state([first], [call, output]), { conversationId: 'conv_1' })).toEqual({
      input: [output],
      conversationId: 'conv_1',
    });
  });

  it('finds the last response’s items by id in a state read back from JSON', () => {
    const second: ModelResponse = { id: 'resp_2', output: [{ ...call, id: 'fc_2', call_id: 'c2' }], usage };
    const live = state([first, second], [call, output, ...second.output, { ...output, call_id: 'c2' }]);
    const revived = JSON.parse(JSON.stringify(live)) as SentSoFar;
    expect(turnInput(revived, { conversationId: 'conv_1' }).input).toEqual([{ ...output, call_id: 'c2' }]);
  });

  it('without ids to find them by, sends the trailing tool outputs', () => {
    const bare = { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{}' } as RunItem;
    const response: ModelResponse = { id: 'resp_1', output: [bare], usage };
    const revived = JSON.parse(JSON.stringify(state([response], [bare, output]))) as SentSoFar;
    expect(turnInput(revived, { conversationId: 'conv_1' }).input).toEqual([output]);
  });

  it('a response with nothing in it leaves nothing new to send', () => {
    const empty: ModelResponse = { id: 'resp_2', output: [], usage };
    expect(turnInput(state([first, empty], [call, output]), { previousResponseId: 'resp_0' })).toEqual({
      input: [],
      previousResponseId: 'resp_2',
    });
  });

  it('fails with ModelBehaviorError when the response to continue has no id', () => {
    const noId: ModelResponse = { output: [call], usage };
    expect(() => turnInput(state([noId], [call, output]), { previousResponseId: 'resp_0' })).toThrow(
      ModelBehaviorError,
    );
  });
});

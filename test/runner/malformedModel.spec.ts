/**
 * A custom model that hands the runner something malformed, or throws, fails the run with a clear
 * error: the loop never crashes inside itself (which would leave the run hanging, its error
 * reported nowhere the subscriber sees).
 */
import { of, throwError, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  AgentsError,
  ModelBehaviorError,
  Runner,
  type Model,
  type ModelEvent,
  type RunEvent,
} from '../../src/index.js';

const runner = new Runner();
const usage = { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 };

function modelOf(stream: () => Observable<unknown>): Model {
  return { name: 'custom', stream: stream as () => Observable<ModelEvent> };
}

function outcome(model: Model): { events: RunEvent<unknown>[]; error?: unknown; completed: boolean } {
  const seen: { events: RunEvent<unknown>[]; error?: unknown; completed: boolean } = { events: [], completed: false };
  runner.runStreamed(new Agent({ name: 'A', model }), 'Hi').subscribe({
    next: (event) => seen.events.push(event),
    error: (error: unknown) => (seen.error = error),
    complete: () => (seen.completed = true),
  });
  return seen;
}

describe('a malformed custom model', () => {
  it.each([
    ['a response that is not an object', { type: 'response', response: null }, /the response is not an object/],
    ['output that is not a list', { type: 'response', response: { output: 'hi', usage } }, /output is not a list/],
    [
      'an item without a type',
      { type: 'response', response: { output: [{ role: 'assistant' }], usage } },
      /output\[0\] is not an item with a type/,
    ],
    [
      'a function call without arguments',
      { type: 'response', response: { output: [{ type: 'function_call', call_id: 'c', name: 'x' }], usage } },
      /function call/,
    ],
    [
      'a message without content',
      { type: 'response', response: { output: [{ type: 'message', role: 'assistant' }], usage } },
      /message without content/,
    ],
    [
      'usage that is not counts',
      { type: 'response', response: { output: [], usage: { requests: 1, inputTokens: 'many' } } },
      /usage is not four counts/,
    ],
    ['a text-delta whose delta is not a string', { type: 'text-delta', delta: 42 }, /delta is not a string/],
  ])('%s fails the run with ModelBehaviorError', (_case, event, message) => {
    const seen = outcome(modelOf(() => of(event)));
    expect(seen.error).toBeInstanceOf(ModelBehaviorError);
    expect((seen.error as Error).message).toMatch(message);
    expect((seen.error as Error).message).toContain("Model 'custom'");
    expect(seen.events.some((e) => e.type === 'text-delta' && typeof e.delta !== 'string')).toBe(false);
  });

  it('a model whose stream() throws fails the run with an AgentsError caused by that error', () => {
    const boom = new Error('stream() exploded');
    const seen = outcome(
      modelOf(() => {
        throw boom;
      }),
    );
    expect(AgentsError.isInstance(seen.error)).toBe(true);
    expect((seen.error as Error).cause).toBe(boom);
  });

  it("a model whose stream errors fails the run with an AgentsError caused by it, with the run's partial", () => {
    const boom = new Error('bad');
    const seen = outcome(modelOf(() => throwError(() => boom)));
    expect((seen.error as Error).cause).toBe(boom);
    expect((seen.error as Error).message).toContain('bad');
    expect(seen.error).toHaveProperty('partial');
    // Another library's error is not changed.
    expect(boom).not.toHaveProperty('partial');
  });
});

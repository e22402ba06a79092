import { describe, expect, it } from 'vitest';
import {
  AgentsError,
  EventStreamError,
  InvalidArgumentError,
  MaxTurnsExceededError,
  McpServerError,
  ModelBehaviorError,
  ModelProviderError,
  ModelRefusalError,
  ModelTimeoutError,
  NoFinalOutputError,
  RemoteRunError,
  RunAbortedError,
  SessionError,
  SyncRunError,
  ToolCallError,
  ToolTimeoutError,
} from '../src/index.js';

const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };

/** An error class as far as these tests use it. */
interface ErrorClass {
  readonly name: string;
  isInstance(error: unknown): boolean;
}

/** One instance of each class, and the classes whose `isInstance` must accept it. */
const cases: readonly { readonly error: AgentsError; readonly is: readonly ErrorClass[] }[] = [
  { error: new AgentsError({ message: 'base' }), is: [AgentsError] },
  { error: new InvalidArgumentError({ argument: 'name', message: 'bad' }), is: [InvalidArgumentError] },
  { error: new MaxTurnsExceededError({ maxTurns: 3 }), is: [MaxTurnsExceededError] },
  { error: new ModelBehaviorError({ message: 'not JSON' }), is: [ModelBehaviorError] },
  { error: new ModelRefusalError({ refusal: 'No.' }), is: [ModelRefusalError] },
  { error: new ModelProviderError({ message: '429', status: 429 }), is: [ModelProviderError] },
  { error: new ModelTimeoutError({ timeoutMs: 5 }), is: [ModelTimeoutError] },
  { error: new NoFinalOutputError(), is: [NoFinalOutputError] },
  { error: new RunAbortedError(), is: [RunAbortedError] },
  { error: new SyncRunError({ message: 'async tool' }), is: [SyncRunError] },
  { error: new ToolCallError({ toolName: 't', callId: 'c1', message: 'boom' }), is: [ToolCallError] },
  {
    error: new ToolTimeoutError({ toolName: 't', callId: 'c1', timeoutMs: 50 }),
    is: [ToolCallError, ToolTimeoutError],
  },
  { error: new EventStreamError({ message: 'gone' }), is: [EventStreamError] },
  { error: new SessionError({ operation: 'addItems', sessionId: 's', cause: new Error('x') }), is: [SessionError] },
  { error: new RemoteRunError({ name: 'MaxTurnsExceededError', message: 'remote' }), is: [RemoteRunError] },
  {
    error: new McpServerError({ serverName: 'files', operation: 'callTool', toolName: 'read', message: 'gone' }),
    is: [McpServerError],
  },
];
// Every subclass; `AgentsError.isInstance` is true for all of them.
const classes: ErrorClass[] = [...new Set(cases.flatMap(({ is }) => is))].filter((cls) => cls !== AgentsError);

/** What another copy of the package makes: none of our classes, only the `Symbol.for` markers. */
function fromAnotherCopy(...classNames: string[]): object {
  const error = new Error('from another copy') as Error & Record<symbol, unknown>;
  error[Symbol.for('rxjs-agents.error')] = true;
  for (const name of classNames) error[Symbol.for(`rxjs-agents.error.${name}`)] = true;
  return error;
}

describe('isInstance', () => {
  it.each(cases.map((c) => [c.error.name, c] as const))('%s: true for its class and superclasses only', (_, c) => {
    expect(AgentsError.isInstance(c.error)).toBe(true);
    for (const cls of classes) expect([cls.name, cls.isInstance(c.error)]).toEqual([cls.name, c.is.includes(cls)]);
  });

  it('is exact where the inherited check was not: a MaxTurnsExceededError is no ModelProviderError', () => {
    const error = new MaxTurnsExceededError({ maxTurns: 1 });
    expect(ModelProviderError.isInstance(error)).toBe(false);
    expect(ToolCallError.isInstance(error)).toBe(false);
    expect(MaxTurnsExceededError.isInstance(error)).toBe(true);
  });

  it('recognises an error of another copy of the package by its Symbol.for markers', () => {
    const providerError = fromAnotherCopy('ModelProviderError');
    expect(providerError instanceof ModelProviderError).toBe(false);
    expect(ModelProviderError.isInstance(providerError)).toBe(true);
    expect(AgentsError.isInstance(providerError)).toBe(true);
    expect(ModelTimeoutError.isInstance(providerError)).toBe(false);

    const timeout = fromAnotherCopy('ToolCallError', 'ToolTimeoutError');
    expect(ToolCallError.isInstance(timeout)).toBe(true);
    expect(ToolTimeoutError.isInstance(timeout)).toBe(true);
    expect(ToolTimeoutError.isInstance(fromAnotherCopy('ToolCallError'))).toBe(false);
  });

  it('uses the Symbol.for keys of the AI SDK habit, rxjs-agents.error[.<ClassName>]', () => {
    const error = new ToolTimeoutError({ toolName: 't', callId: 'c1', timeoutMs: 50 }) as unknown as Record<
      symbol,
      unknown
    >;
    expect(error[Symbol.for('rxjs-agents.error')]).toBe(true);
    expect(error[Symbol.for('rxjs-agents.error.ToolCallError')]).toBe(true);
    expect(error[Symbol.for('rxjs-agents.error.ToolTimeoutError')]).toBe(true);
  });

  it('is false for what is not an rxjs-agents error', () => {
    for (const value of [new Error('plain'), null, undefined, 'MaxTurnsExceededError', 42, {}]) {
      for (const cls of [AgentsError, ...classes]) expect(cls.isInstance(value)).toBe(false);
    }
    // A marker that is not `true` does not count.
    expect(AgentsError.isInstance({ [Symbol.for('rxjs-agents.error')]: 'yes' })).toBe(false);
  });

  it('carries over to a user subclass, which is an instance of its parent', () => {
    class QuotaError extends ModelProviderError {}
    const error = new QuotaError({ message: 'quota', code: 'insufficient_quota' });
    expect(ModelProviderError.isInstance(error)).toBe(true);
    expect(QuotaError.isInstance(error)).toBe(true);
    expect(error.name).toBe('QuotaError');
  });
});

describe('constructors', () => {
  it('AgentsError: message and cause', () => {
    const cause = new Error('inner');
    const error = new AgentsError({ message: 'outer', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'AgentsError', message: 'outer', cause });
    expect('cause' in new AgentsError({ message: 'no cause' })).toBe(false);
  });

  it('InvalidArgumentError: argument, and a message that names it', () => {
    const error = new InvalidArgumentError({ argument: 'tools[1]', message: 'not a tool.' });
    expect(error).toMatchObject({ name: 'InvalidArgumentError', argument: 'tools[1]' });
    expect(error.message).toBe('Invalid argument `tools[1]`: not a tool.');
  });

  it('MaxTurnsExceededError: maxTurns', () => {
    const error = new MaxTurnsExceededError({ maxTurns: 3 });
    expect(error).toMatchObject({ name: 'MaxTurnsExceededError', maxTurns: 3 });
    expect(error.message).toBe('The run exceeded maxTurns (3) without a final output.');
  });

  it('ModelBehaviorError: message, cause and issues', () => {
    const cause = new SyntaxError('Unexpected token');
    const issues = [{ code: 'invalid_type', path: ['city'] }];
    const error = new ModelBehaviorError({ message: 'bad answer', cause, issues });
    expect(error).toMatchObject({ name: 'ModelBehaviorError', message: 'bad answer', cause, issues });
    expect(new ModelBehaviorError({ message: 'x' }).issues).toBeUndefined();
  });

  it('ModelRefusalError: refusal, quoted in the message', () => {
    const error = new ModelRefusalError({ refusal: 'I can’t help with that.' });
    expect(error).toMatchObject({ name: 'ModelRefusalError', refusal: 'I can’t help with that.' });
    expect(error.message).toBe('The model refused to answer: "I can’t help with that."');
  });

  it('ModelProviderError: status, code, retryable, retryAfterMs, usage and cause', () => {
    const cause = new Error('HTTP 429');
    const error = new ModelProviderError({
      message: 'Rate limited',
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterMs: 2000,
      usage,
      cause,
    });
    expect(error).toMatchObject({
      name: 'ModelProviderError',
      message: 'Rate limited',
      status: 429,
      code: 'rate_limit_exceeded',
      retryable: true,
      retryAfterMs: 2000,
      usage,
      cause,
    });
    // `retryable` defaults from the status; an explicit value wins.
    expect(new ModelProviderError({ message: 'x', status: 401 }).retryable).toBe(false);
    expect(new ModelProviderError({ message: 'x', status: 503 }).retryable).toBe(true);
    expect(new ModelProviderError({ message: 'x' }).retryable).toBe(false);
    expect(new ModelProviderError({ message: 'x', status: 500, retryable: false }).retryable).toBe(false);
    expect(new ModelProviderError({ message: 'x' })).not.toHaveProperty('retryAfterMs');
  });

  it('ModelTimeoutError: timeoutMs and cause', () => {
    const cause = new Error('stalled');
    const error = new ModelTimeoutError({ timeoutMs: 5000, cause });
    expect(error).toMatchObject({ name: 'ModelTimeoutError', timeoutMs: 5000, cause });
    expect(error.message).toBe('The model sent nothing for 5000 ms (idleTimeoutMs); the call was aborted.');
  });

  it('RunAbortedError: the signal’s reason as cause', () => {
    const reason = new Error('user pressed stop');
    expect(new RunAbortedError({ cause: reason })).toMatchObject({
      name: 'RunAbortedError',
      message: 'The run was aborted.',
      cause: reason,
    });
    expect(new RunAbortedError().message).toBe('The run was aborted.');
  });

  it('NoFinalOutputError: a default message, or one given', () => {
    expect(new NoFinalOutputError().message).toBe('The run completed without a final output.');
    expect(new NoFinalOutputError({ message: 'partialOutput(): no final output.' }).message).toBe(
      'partialOutput(): no final output.',
    );
  });

  it('SessionError: operation, sessionId and cause; a message with the code and never the cause’s message', () => {
    const cause = Object.assign(new Error('duplicate key: "what the user wrote"'), { code: '23505' });
    const error = new SessionError({ operation: 'addItems', sessionId: 'user-42', cause });
    expect(error).toMatchObject({ name: 'SessionError', operation: 'addItems', sessionId: 'user-42', cause });
    expect(error.message).toBe(
      'Session "user-42": addItems() failed: the store rejected with Error (code 23505); the store\'s error is in `cause`.',
    );
    expect(new SessionError({ operation: 'clear', sessionId: 'a"b', cause: 'down' }).message).toBe(
      'Session "a\\"b": clear() failed: the store rejected with a non-Error value; the store\'s error is in `cause`.',
    );
    expect(
      new SessionError({ operation: 'getItems', sessionId: 's', message: 'install better-sqlite3.' }).message,
    ).toBe('Session "s": getItems() failed: install better-sqlite3.');
  });

  it('SyncRunError: message and cause', () => {
    const cause = new Error('Promise');
    expect(new SyncRunError({ message: 'use run()', cause })).toMatchObject({
      name: 'SyncRunError',
      message: 'use run()',
      cause,
    });
  });

  it('ToolCallError: toolName, callId, and a message that names them', () => {
    const cause = new Error('boom');
    const error = new ToolCallError({ toolName: 'get_weather', callId: 'call_1', message: 'it threw: boom', cause });
    expect(error).toMatchObject({ name: 'ToolCallError', toolName: 'get_weather', callId: 'call_1', cause });
    expect(error.message).toBe('Tool `get_weather` (call call_1) failed: it threw: boom');
  });

  it('ToolTimeoutError: toolName, callId, timeoutMs', () => {
    const error = new ToolTimeoutError({ toolName: 'slow', callId: 'call_2', timeoutMs: 50 });
    expect(error).toMatchObject({ name: 'ToolTimeoutError', toolName: 'slow', callId: 'call_2', timeoutMs: 50 });
    expect(error.message).toBe('Tool `slow` (call call_2) failed: it ran past its timeoutMs of 50 ms and was aborted.');
  });

  it('EventStreamError: message, status and cause', () => {
    const cause = new TypeError('fetch failed');
    expect(new EventStreamError({ message: 'answered 502', status: 502, cause })).toMatchObject({
      name: 'EventStreamError',
      message: 'answered 502',
      status: 502,
      cause,
    });
  });
});

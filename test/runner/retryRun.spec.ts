/**
 * A run's `retry`, `idleTimeoutMs` and tools' `timeoutMs`, end to end through the runner, in
 * virtual time: the `turn-restarted` event, what `partial` holds after a restart, timeouts on the
 * run's scheduler, and the options' checks.
 */
import { asyncScheduler, concatWith, map, NEVER, of, timer, type Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InvalidArgumentError,
  ModelProviderError,
  ModelTimeoutError,
  Runner,
  tool,
  ToolTimeoutError,
  type Model,
  type ModelEvent,
  type RunEvent,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { runMarbles as marbles } from '../helpers/marbles.js';

const runner = new Runner();
const zeroUsage = { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
/** The final-output event of a one-turn run of agent 'A' on 'Hi' whose answer is `text`. */
function finalOutput(text: string, responseId: string, messageId: string) {
  const message = {
    type: 'message',
    id: messageId,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  return {
    type: 'final-output',
    agent: 'A',
    turn: 1,
    output: text,
    usage: zeroUsage,
    newItems: [message],
    history: [{ type: 'message', role: 'user', content: 'Hi' }, message],
    rawResponses: [{ id: responseId, output: [message], usage: zeroUsage }],
  };
}
const dropped = () =>
  new ModelProviderError({ message: 'OpenAI Responses API stream failed: the connection broke off.', retryable: true });

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0); // backoff = half its ceiling
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Subscribes; the caller flushes virtual time and then reads what arrived. */
function record<T>(events$: Observable<RunEvent<T>>): { events: RunEvent<T>[]; error?: unknown; completed: boolean } {
  const seen: { events: RunEvent<T>[]; error?: unknown; completed: boolean } = { events: [], completed: false };
  events$.subscribe({
    next: (event) => seen.events.push(event),
    error: (error: unknown) => (seen.error = error),
    complete: () => (seen.completed = true),
  });
  return seen;
}

describe('a run with retry', () => {
  it('restarts a turn that failed after streaming text: turn-restarted, then the turn again, after the backoff', () => {
    marbles(({ expectObservable }) => {
      const error = dropped();
      const model = fakeModel([{ error, text: ['Hel', 'lo'] }, { text: ['Hello', ' world'] }], {
        scheduler: asyncScheduler,
        interval: 10,
      });
      const run$ = runner.runStreamed(new Agent({ name: 'A', model }), 'Hi', {
        retry: { initialDelayMs: 100, afterOutput: true },
      });
      // attempt 1: deltas at 10 and 20, fails at 20; backoff 50 → attempt 2 at 70: deltas at 80, 90, response at 100
      expectObservable(run$).toBe('s 9ms a 9ms (bx) 56ms c 9ms d 9ms (ef|)', {
        s: { type: 'turn-started', agent: 'A', turn: 1 },
        a: { type: 'text-delta', agent: 'A', turn: 1, delta: 'Hel' },
        b: { type: 'text-delta', agent: 'A', turn: 1, delta: 'lo' },
        x: {
          type: 'turn-restarted',
          agent: 'A',
          turn: 1,
          attempt: 2,
          reason: { name: 'ModelProviderError', message: error.message },
        },
        c: { type: 'text-delta', agent: 'A', turn: 1, delta: 'Hello' },
        d: { type: 'text-delta', agent: 'A', turn: 1, delta: ' world' },
        e: { type: 'turn-completed', agent: 'A', turn: 1, responseId: 'fake_resp_2', usage: zeroUsage },
        f: finalOutput('Hello world', 'fake_resp_2', 'fake_msg_2'),
      });
    });
  });

  it('retries silently, with no turn-restarted, a call that failed before any text', () => {
    marbles(({ expectObservable }) => {
      const model = fakeModel([{ error: dropped() }, { text: ['Hi'] }], { scheduler: asyncScheduler, interval: 10 });
      const run$ = runner.runStreamed(new Agent({ name: 'A', model }), 'Hi', { retry: { initialDelayMs: 40 } });
      // attempt 1 fails at 0; backoff 20; attempt 2: delta at 30, response at 40
      expectObservable(run$).toBe('s 29ms a 9ms (ef|)', {
        s: { type: 'turn-started', agent: 'A', turn: 1 },
        a: { type: 'text-delta', agent: 'A', turn: 1, delta: 'Hi' },
        e: { type: 'turn-completed', agent: 'A', turn: 1, responseId: 'fake_resp_2', usage: zeroUsage },
        f: finalOutput('Hi', 'fake_resp_2', 'fake_msg_2'),
      });
    });
  });

  it('without afterOutput, fails with the text the user saw in partial, and makes no second call', () => {
    marbles(({ flush }) => {
      const model = fakeModel([{ error: dropped(), text: ['Hel', 'lo'] }, 'never'], {
        scheduler: asyncScheduler,
        interval: 10,
      });
      const seen = record(runner.runStreamed(new Agent({ name: 'A', model }), 'Hi', { retry: {} }));
      flush();
      expect(seen.error).toBeInstanceOf(ModelProviderError);
      expect((seen.error as ModelProviderError).partial?.text).toBe('Hello');
      expect(model.requests).toHaveLength(1);
      expect(seen.events.some((event) => event.type === 'turn-restarted')).toBe(false);
    });
  });

  it("after a restart, partial.text keeps earlier turns' text but not the restarted attempt's", () => {
    marbles(({ flush }) => {
      const look = tool({ name: 'look', description: 'Looks.', parameters: z.object({}), execute: () => 'seen' });
      const model = fakeModel(
        [
          { toolCalls: [{ name: 'look' }], text: ['Checking. '], usage: { inputTokens: 3, outputTokens: 2 } },
          { error: dropped(), text: ['Hel', 'lo'] },
          { error: dropped(), text: ['Hi'] },
        ],
        { scheduler: asyncScheduler, interval: 10 },
      );
      const seen = record(
        runner.runStreamed(new Agent({ name: 'A', model, tools: [look] }), 'Hi', {
          retry: { maxRetries: 1, afterOutput: true },
        }),
      );
      flush();
      expect(seen.events.filter((event) => event.type === 'turn-restarted')).toHaveLength(1);
      const { partial } = seen.error as ModelProviderError;
      expect(partial?.text).toBe('Checking. Hi');
      expect(partial?.usage).toEqual({ requests: 1, inputTokens: 3, outputTokens: 2, totalTokens: 5 });
      expect(model.requests).toHaveLength(3);
    });
  });

  it('takes its defaults from the Runner, and run options override them', () => {
    marbles(({ flush }) => {
      const withRetry = new Runner({ retry: { maxRetries: 1, initialDelayMs: 10 } });
      const model = fakeModel([{ error: dropped() }, 'ok'], { scheduler: asyncScheduler });
      const seen = record(withRetry.runStreamed(new Agent({ name: 'A', model }), 'Hi'));
      flush();
      expect(seen.completed).toBe(true);

      const again = fakeModel([{ error: dropped() }, 'ok'], { scheduler: asyncScheduler });
      const noRetry = record(
        withRetry.runStreamed(new Agent({ name: 'A', model: again }), 'Hi', { retry: { maxRetries: 0 } }),
      );
      flush();
      expect(noRetry.error).toBeInstanceOf(ModelProviderError);
    });
  });
});

describe('a run with idleTimeoutMs', () => {
  /** A model whose calls play `attempts` in turn. */
  const scripted = (...attempts: Observable<ModelEvent>[]): Model => {
    let next = 0;
    return { name: 'scripted', stream: () => attempts[next++] ?? NEVER };
  };
  const response: ModelEvent = {
    type: 'response',
    response: {
      output: [
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'on time', annotations: [] }] },
      ],
      usage: zeroUsage,
    },
  };

  it('fails a call that sends nothing for idleTimeoutMs with ModelTimeoutError, on the run scheduler', () => {
    const stalls = () =>
      scripted(
        timer(10).pipe(
          map((): ModelEvent => ({ type: 'text-delta', delta: 'Hel' })),
          concatWith(NEVER),
        ),
      );
    let seen: ReturnType<typeof record<string>> | undefined;
    marbles(({ flush }) => {
      seen = record(runner.runStreamed(new Agent({ name: 'A', model: stalls() }), 'Hi', { idleTimeoutMs: 150 }));
      flush();
    });
    expect(seen?.events).toEqual([
      { type: 'turn-started', agent: 'A', turn: 1 },
      { type: 'text-delta', agent: 'A', turn: 1, delta: 'Hel' },
    ]);
    expect(seen?.error).toBeInstanceOf(ModelTimeoutError);
    expect(seen?.error).toMatchObject({ timeoutMs: 150, partial: { text: 'Hel' } });
    marbles(({ expectObservable }) => {
      const types$ = runner
        .runStreamed(new Agent({ name: 'A', model: stalls() }), 'Hi', { idleTimeoutMs: 150 })
        .pipe(map((event) => event.type));
      expectObservable(types$).toBe('s 9ms a 149ms #', { s: 'turn-started', a: 'text-delta' }, seen?.error);
    });
  });

  it("fakeModel's stall turn: the text, then ModelTimeoutError; with retry, the next turn of the script", () => {
    marbles(({ expectObservable }) => {
      const model = fakeModel([{ stall: true, text: ['Hel'] }, { text: ['Hello'] }], {
        scheduler: asyncScheduler,
        interval: 10,
      });
      const run$ = runner.runStreamed(new Agent({ name: 'A', model }), 'Hi', {
        idleTimeoutMs: 50,
        retry: { maxRetries: 1, afterOutput: true },
      });
      // 'Hel' at 10; quiet until 60 → restart; backoff 250 → second call at 310: 'Hello' at 320, response at 330
      expectObservable(run$.pipe(map((event) => event.type))).toBe('s 9ms a 49ms r 259ms a 9ms (cf|)', {
        s: 'turn-started',
        a: 'text-delta',
        r: 'turn-restarted',
        c: 'turn-completed',
        f: 'final-output',
      });
    });
  });

  it('retries a call that timed out before any text', () => {
    marbles(({ expectObservable }) => {
      const delta: ModelEvent = { type: 'text-delta', delta: 'on time' };
      const model = scripted(NEVER, of(delta, response));
      const run$ = runner.runStreamed(new Agent({ name: 'A', model }), 'Hi', {
        idleTimeoutMs: 150,
        retry: { maxRetries: 1 },
      });
      // times out at 150; backoff 250 (half of 500); the second call answers at once, at 400
      expectObservable(run$.pipe(map((event) => event.type))).toBe('s 399ms (abc|)', {
        s: 'turn-started',
        a: 'text-delta',
        b: 'turn-completed',
        c: 'final-output',
      });
    });
  });
});

describe('a tool with timeoutMs', () => {
  const slow = (reasons: unknown[]) =>
    tool({
      name: 'slow',
      description: 'Takes 100 ms.',
      parameters: z.object({}),
      timeoutMs: 30,
      execute: (_args, { signal }) => {
        signal.addEventListener('abort', () => reasons.push(signal.reason));
        return timer(100).pipe(map(() => 'late'));
      },
    });

  it('is reported to the model when it runs past timeoutMs, and its signal is aborted with a ToolTimeoutError', () => {
    marbles(({ flush }) => {
      const reasons: unknown[] = [];
      const model = fakeModel([{ toolCalls: [{ name: 'slow', callId: 'c1' }] }, 'Sorry, too slow.'], {
        scheduler: asyncScheduler,
      });
      const seen = record(runner.runStreamed(new Agent({ name: 'A', model, tools: [slow(reasons)] }), 'Go'));
      flush();
      const output = seen.events.find((event) => event.type === 'tool-output');
      expect(output).toMatchObject({ callId: 'c1', output: undefined, error: { name: 'ToolTimeoutError' } });
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toBeInstanceOf(ToolTimeoutError);
      expect(reasons[0]).toMatchObject({ toolName: 'slow', callId: 'c1', timeoutMs: 30 });
      const sent = model.requests[1]!.input.at(-1);
      expect(sent).toMatchObject({
        type: 'function_call_output',
        call_id: 'c1',
        output: expect.stringContaining('ran past its timeoutMs of 30 ms'),
      });
      expect(seen.events.at(-1)).toMatchObject({ type: 'final-output', output: 'Sorry, too slow.' });
    });
  });

  it("fails the run with ToolTimeoutError under toolErrors: 'throw'", () => {
    marbles(({ flush }) => {
      const model = fakeModel([{ toolCalls: [{ name: 'slow' }] }, 'unused'], { scheduler: asyncScheduler });
      const seen = record(
        runner.runStreamed(new Agent({ name: 'A', model, tools: [slow([])] }), 'Go', { toolErrors: 'throw' }),
      );
      flush();
      expect(seen.error).toBeInstanceOf(ToolTimeoutError);
      expect(model.requests).toHaveLength(1);
    });
  });

  it('does not fire for a tool that finishes in time', () => {
    marbles(({ flush }) => {
      const quick = tool({
        name: 'quick',
        description: '',
        parameters: z.object({}),
        timeoutMs: 30,
        execute: () => timer(20).pipe(map(() => 'done')),
      });
      const model = fakeModel([{ toolCalls: [{ name: 'quick' }] }, 'ok'], { scheduler: asyncScheduler });
      const seen = record(runner.runStreamed(new Agent({ name: 'A', model, tools: [quick] }), 'Go'));
      flush();
      expect(seen.events.find((event) => event.type === 'tool-output')).toMatchObject({ output: 'done' });
      expect(seen.events.find((event) => event.type === 'tool-output')).not.toHaveProperty('error');
    });
  });
});

describe('runSync with retry and a synchronous model', () => {
  it('waits out the backoff by blocking, then succeeds', () => {
    // Real time is the point here: runSync cannot hand the wait to a scheduler, it must block for
    // it. Math.random is 0 (beforeEach), so the backoff is exactly half of 40 ms: a short wait.
    const model = fakeModel([{ error: dropped() }, 'ok']);
    let immediateRan = false;
    setImmediate(() => (immediateRan = true));
    const started = performance.now();
    const result = runner.runSync(new Agent({ name: 'A', model }), 'Hi', { retry: { initialDelayMs: 40 } });
    const elapsed = performance.now() - started;
    expect(result.finalOutput).toBe('ok');
    expect(model.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(19); // the 20 ms backoff, on a clock that may round down 1 ms
    expect(immediateRan).toBe(false); // waited by blocking, not by letting the event loop run
  });
});

describe('option checks', () => {
  const agent = new Agent({ name: 'A', model: fakeModel(['x']) });
  it.each([
    [{ idleTimeoutMs: 0 }, 'options.idleTimeoutMs'],
    [{ idleTimeoutMs: Number.NaN }, 'options.idleTimeoutMs'],
    [{ idleTimeoutMs: '100' }, 'options.idleTimeoutMs'],
    [{ retry: null }, 'options.retry'],
    [{ retry: 3 }, 'options.retry'],
    [{ retry: { maxRetries: -1 } }, 'options.retry.maxRetries'],
    [{ retry: { maxRetries: 1.5 } }, 'options.retry.maxRetries'],
    [{ retry: { initialDelayMs: -1 } }, 'options.retry.initialDelayMs'],
    [{ retry: { maxDelayMs: Infinity } }, 'options.retry.maxDelayMs'],
    [{ retry: { initialDelayMs: 200, maxDelayMs: 100 } }, 'options.retry.maxDelayMs'],
    [{ retry: { afterOutput: 'yes' } }, 'options.retry.afterOutput'],
    [{ scheduler: {} }, 'options.scheduler'],
  ])('%j → InvalidArgumentError naming %s', (options, argument) => {
    let error: unknown;
    try {
      runner.runStreamed(agent, 'Hi', options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument });
  });

  it('checks the Runner defaults where they are given', () => {
    expect(() => new Runner({ idleTimeoutMs: -5 })).toThrow(expect.objectContaining({ argument: 'idleTimeoutMs' }));
    expect(() => new Runner({ retry: { maxRetries: -1 } })).toThrow(
      expect.objectContaining({ argument: 'retry.maxRetries' }),
    );
  });

  it('accepts a maxDelayMs below the default initialDelayMs (the initial delay follows it down)', () => {
    expect(() => runner.runStreamed(agent, 'Hi', { retry: { maxDelayMs: 100 } })).not.toThrow();
  });

  it('checks a tool timeoutMs when the tool is made', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Infinity, '5']) {
      expect(() =>
        tool({
          name: 't',
          description: '',
          parameters: z.object({}),
          execute: () => 1,
          timeoutMs: timeoutMs as number,
        }),
      ).toThrow(expect.objectContaining({ argument: 'timeoutMs' }));
    }
  });
});

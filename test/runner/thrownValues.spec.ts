/**
 * A tool may throw anything JavaScript can throw. Under `toolErrors: 'report'` (the default) every
 * thrown value is reported to the model and in the `tool-output` event, and the run goes on; under
 * `'throw'` the run fails with a `ToolCallError` whose `cause` is the value. Never a raw
 * `TypeError` from describing the value.
 */
import type { Observable } from 'rxjs';
import { lastValueFrom, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, Runner, tool, ToolCallError, type RunEvent, type ToolErrorPolicy } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { describeThrown } from '../../src/internal/describeThrown.js';

const runner = new Runner();

const nullPrototype = (): unknown =>
  Object.assign(Object.create(null) as object, { code: 'E_NULL', detail: 'no proto' });
const throwingToString = (): unknown => ({
  toString() {
    throw new Error('toString is broken');
  },
  toJSON() {
    throw new Error('toJSON is broken');
  },
});
const errorWithThrowingMessage = (): unknown => {
  const error = new Error('unused');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('message getter is broken');
    },
  });
  Object.defineProperty(error, 'name', {
    get() {
      throw new Error('name getter is broken');
    },
  });
  return error;
};
const bareNullPrototype = (): unknown => Object.create(null) as unknown;

/** Each thrown value, and what the model is told of it. */
const thrown: [string, () => unknown, string | RegExp][] = [
  ['a null-prototype object', nullPrototype, '{"code":"E_NULL","detail":"no proto"}'],
  ['an empty null-prototype object', bareNullPrototype, 'a thrown null-prototype object'],
  ['an object whose toString and toJSON throw', throwingToString, 'a thrown Object object'],
  ['an Error whose message and name getters throw', errorWithThrowingMessage, /a thrown Error object|\{\}/],
  ['undefined', () => undefined, 'undefined'],
  ['a symbol', () => Symbol('odd'), 'Symbol(odd)'],
];

/** How a tool fails: throwing from `execute`, rejecting a Promise, erroring an Observable. */
const ways: [string, (value: () => unknown) => (args: unknown) => unknown][] = [
  [
    'throws',
    (value) => () => {
      throw value();
    },
  ],
  ['rejects', (value) => () => Promise.reject(value())],
  ['errors its Observable', (value) => () => throwError(() => value())],
];

function runWith(execute: (args: unknown) => unknown, toolErrors: ToolErrorPolicy) {
  const odd = tool({ name: 'odd', description: '', parameters: z.object({}), execute });
  const model = fakeModel([{ toolCalls: [{ name: 'odd', arguments: {} }] }, 'Recovered.']);
  const events$: Observable<RunEvent<string>> = runner.runStreamed(
    new Agent({ name: 'A', model, tools: [odd] }),
    'Go',
    { toolErrors },
  );
  return { model, events: lastValueFrom(events$.pipe(toArray())) };
}

describe.each(ways)('a tool that %s with an odd value', (_, way) => {
  it.each(thrown)("%s: reported under toolErrors: 'report', and the run goes on", async (_, value, told) => {
    const { model, events } = runWith(way(value), 'report');
    const all = await events;
    const output = all.find((event) => event.type === 'tool-output');
    expect(output).toMatchObject({ name: 'odd', output: undefined, error: { name: 'Error' } });
    expect(all.at(-1)).toMatchObject({ type: 'final-output', output: 'Recovered.' });
    const sent = model.requests[1]!.input.find((item) => item.type === 'function_call_output') as { output: string };
    expect(sent.output).toContain("An error occurred while running the tool 'odd'");
    expect(sent.output).toMatch(told);
    expect(JSON.parse(JSON.stringify(output))).toEqual(output); // the event stays plain data
  });

  it.each(thrown)("%s: a ToolCallError with the value as cause under toolErrors: 'throw'", async (_, value) => {
    const { events } = runWith(way(value), 'throw');
    const error = await events.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect((error as Error).message).toContain('Tool `odd`');
  });
});

describe('describeThrown', () => {
  it('never throws, and says what an ordinary value is', () => {
    expect(describeThrown(new Error('disk on fire'))).toBe('disk on fire');
    expect(describeThrown('plain')).toBe('plain');
    expect(describeThrown(42)).toBe('42');
    expect(describeThrown(null)).toBe('null');
    expect(describeThrown({ code: 1 })).toBe('{"code":1}');
    expect(describeThrown(function named() {})).toBe('a thrown function (named)');
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(describeThrown(cycle)).toBe('[object Object]');
    expect(describeThrown('x'.repeat(10_000)).length).toBeLessThan(2_100);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(typeof describeThrown(hostile)).toBe('string');
  });
});

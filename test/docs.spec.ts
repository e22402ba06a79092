/**
 * The code examples of DESIGN.md (Runs, Operators) and of the README, as written, with
 * `fakeModel` in place of a named model.
 */
import { lastValueFrom, map, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, run, Runner, runStreamed, runSync, tool } from '../src/index.js';
import { bufferTokens, filterTextDeltas, toFinalOutput } from '../operators/index.js';
import { fakeModel } from '../src/testing/index.js';

describe("DESIGN.md's Runs section", () => {
  const getWeather = tool({
    name: 'get_weather',
    description: 'The weather in a city today.',
    parameters: z.object({ city: z.string() }),
    execute: ({ city }) => `Sunny in ${city}`,
  });
  const bookingAgent = new Agent({ name: 'Booking agent', instructions: 'Book the trip.', model: fakeModel([]) });
  const script = () =>
    fakeModel([
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }] },
      { output: { destination: 'Lisbon', reason: 'Sunny and by the sea.' } },
    ]);
  const makeAgent = () =>
    new Agent({
      name: 'Travel agent',
      instructions: 'Recommend one destination.',
      model: script(),
      outputType: z.object({ destination: z.string(), reason: z.string() }),
      tools: [getWeather],
      handoffs: [bookingAgent],
      modelSettings: { temperature: 0.2 },
    });
  const expected = { destination: 'Lisbon', reason: 'Sunny and by the sea.' };

  it('runStreamed(agent, input)', async () => {
    expect(await lastValueFrom(runStreamed(makeAgent(), 'Where should I go?').pipe(toFinalOutput()))).toEqual(expected);
  });

  it('run(agent, input, options)', async () => {
    const result = await run(makeAgent(), 'Where should I go?', { maxTurns: 3, context: { user: 'ada' } });
    expect(result.finalOutput).toEqual(expected);
    expect(result.usage.requests).toBe(2);
  });

  it('runSync(agent, input)', () => {
    expect(runSync(makeAgent(), 'Where should I go?').finalOutput).toEqual(expected);
  });

  it('a Runner with the same three methods', async () => {
    const runner = new Runner({ modelProvider: { getModel: () => script() }, maxTurns: 4 });
    const named = new Agent({
      name: 'Travel agent',
      model: 'gpt-4.1-mini',
      tools: [getWeather],
      outputType: z.object({ destination: z.string(), reason: z.string() }),
    });
    expect((await runner.run(named, 'Where?')).finalOutput).toEqual(expected);
    expect(runner.runSync(named, 'Where?').finalOutput).toEqual(expected);
    expect(await lastValueFrom(runner.runStreamed(named, 'Where?').pipe(toFinalOutput()))).toEqual(expected);
  });
});

describe("DESIGN.md's Operators section", () => {
  it('filterTextDeltas, bufferTokens(count) and bufferTokens({ count, timeSpan, scheduler })', async () => {
    const agent = new Agent({ name: 'A', model: fakeModel([{ text: ['a', 'b', 'c', 'd', 'e'] }]) });
    expect(await lastValueFrom(runStreamed(agent, 'Hi').pipe(filterTextDeltas(), bufferTokens(2), toArray()))).toEqual([
      'ab',
      'cd',
      'e',
    ]);
    new TestScheduler((actual, expectedFrames) => expect(actual).toEqual(expectedFrames)).run(
      ({ cold, expectObservable }) => {
        expectObservable(cold('-a-b-------c-|').pipe(bufferTokens({ count: 10, timeSpan: 4 }))).toBe(
          '-----x-------(y|)',
          { x: 'ab', y: 'c' },
        );
      },
    );
  });

  it('toFinalOutput errors when there is no final output', async () => {
    await expect(lastValueFrom(of().pipe(toFinalOutput()))).rejects.toThrow(/final output/);
  });
});

describe("the README's testing example", () => {
  it('marble-tests a user operator chain over a fakeModel run', () => {
    const scheduler = new TestScheduler((actual, expectedFrames) => expect(actual).toEqual(expectedFrames));
    scheduler.run(({ expectObservable }) => {
      const model = fakeModel([{ text: ['Hello', ' world'] }], { scheduler, interval: 10 });
      const shout = runStreamed(new Agent({ name: 'Greeter', model }), 'Hi').pipe(
        filterTextDeltas(),
        map((s) => s.toUpperCase()),
      );
      expectObservable(shout).toBe('10ms a 9ms b 9ms |', { a: 'HELLO', b: ' WORLD' });
    });
  });
});

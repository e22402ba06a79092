/**
 * Bad input, generated with fast-check: `bufferTokens` under every option never loses, duplicates
 * or reorders a character, whatever the chunking and timing; `partialOutput`'s last value is the
 * final output; recorded OpenAI streams, truncated or corrupted at random points and served over
 * HTTP, never hang a run and end in a clear error or the correct result.
 */
import fc from 'fast-check';
import { concatMap, concatWith, from, map, throwError, timer, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { bufferTokens, partialOutput, toFinalOutput } from '../../operators/index.js';
import { Agent, AgentsError, Runner, tool, type AnyTool, type RunEvent } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { loadFixture, splitResponses, startServer } from '../../src/testing/server/index.js';
import type { ServerTurn } from '../../src/testing/server/index.js';
import { apis, clientFor, outcomeOf, type Api } from './helpers.js';

/** Runs `body` in virtual time; `flush` plays every scheduled action. */
function virtually<T>(body: (flush: () => void) => T): T {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ flush }) => body(flush));
}

/** `text` cut at `cuts` (positions in UTF-16 code units, so a cut may split a surrogate pair). */
function chunk(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(text.slice(start, point));
    start = point;
  }
  pieces.push(text.slice(start));
  return pieces; // may hold '' pieces: models do send empty deltas
}

const texts = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    'Hello, world. How are you?\nFine, thanks! Mr. Smith went to Washington.',
    '東京は日本の首都です。大阪は第二の都市です。',
    'สวัสดีครับ ผมชื่อสมชาย',
    'Family: 👨‍👩‍👧‍👦 and flags 🇳🇴🇯🇵, then e\u0301 accents.\n\n- a list\n- of lines\n',
    '   leading and trailing spaces   ',
  ),
);

const bufferOptions = fc
  .record(
    {
      count: fc.integer({ min: 1, max: 6 }),
      timeSpan: fc.integer({ min: 1, max: 40 }),
      by: fc.constantFrom('word' as const, 'sentence' as const, 'line' as const),
    },
    { requiredKeys: [] },
  )
  .filter((options) => Object.keys(options).length > 0);

describe('bufferTokens, for any text, chunking, timing and options', () => {
  it('emits the text exactly: nothing lost, duplicated or reordered, never an empty chunk', () => {
    fc.assert(
      fc.property(
        texts,
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.nat({ max: 30 }), { maxLength: 40 }),
        bufferOptions,
        (text, cuts, gaps, options) => {
          const deltas = chunk(text, cuts);
          const chunks = virtually((flush) => {
            let out: string[] = [];
            from(deltas)
              .pipe(
                concatMap((delta, index) => timer(gaps[index] ?? 0).pipe(map(() => delta))),
                bufferTokens(options),
                toArray(),
              )
              .subscribe((all) => (out = all));
            flush();
            return out;
          });
          expect(chunks.join('')).toBe(text);
          expect(chunks).not.toContain('');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('flushes everything it holds before passing an error on', () => {
    fc.assert(
      fc.property(texts, fc.array(fc.nat(), { maxLength: 20 }), bufferOptions, (text, cuts, options) => {
        const failure = new Error('stream broke');
        const result = virtually((flush) => {
          const out: string[] = [];
          let error: unknown;
          const source: Observable<string> = from(chunk(text, cuts)).pipe(
            concatMap((delta) => timer(1).pipe(map(() => delta))),
            concatWith(throwError(() => failure)),
          );
          source
            .pipe(bufferTokens(options))
            .subscribe({ next: (piece) => out.push(piece), error: (caught: unknown) => (error = caught) });
          flush();
          return { out, error };
        });
        expect(result.error).toBe(failure);
        expect(result.out.join('')).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('partialOutput, for any structured answer and chunking', () => {
  const Trip = z.object({
    destination: z.string(),
    days: z.number().int(),
    budget: z.number().nullable(),
    tags: z.array(z.string()),
    stops: z.array(z.object({ name: z.string(), nights: z.number().int() })),
    confirmed: z.boolean(),
  });
  const trips = fc.record({
    destination: fc.string({ unit: 'grapheme', maxLength: 30 }),
    days: fc.integer({ min: -1_000, max: 1_000_000 }),
    budget: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
    tags: fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
    stops: fc.array(fc.record({ name: fc.string({ maxLength: 12 }), nights: fc.nat(30) }), { maxLength: 3 }),
    confirmed: fc.boolean(),
  });

  it("through a whole run: the last value equals the run's final output", () => {
    fc.assert(
      fc.property(trips, fc.array(fc.nat(), { maxLength: 30 }), (trip, cuts) => {
        const json = JSON.stringify(trip);
        const deltas = chunk(json, cuts).filter((delta) => delta !== '');
        const agent = () => new Agent({ name: 'Planner', model: fakeModel([{ text: deltas }]), outputType: Trip });
        const runner = new Runner();
        let partials: unknown[] = [];
        runner
          .runStreamed(agent(), 'Plan')
          .pipe(partialOutput(), toArray())
          .subscribe((all) => (partials = all));
        let final: unknown;
        runner
          .runStreamed(agent(), 'Plan')
          .pipe(toFinalOutput())
          .subscribe((output) => (final = output));
        expect(final).toEqual(JSON.parse(json));
        expect(partials.at(-1)).toEqual(final);
      }),
      { numRuns: 300 },
    );
  });
});

/** A recorded stream, the API it speaks, and the tools its calls need. */
interface Recording {
  readonly name: string;
  readonly api: Api;
  readonly turns: readonly (readonly unknown[])[];
  readonly tools: readonly AnyTool[];
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The final output a correct run over `turns` gives, read straight from the served events: for the
 * Responses API the last assistant message of the last turn's last `response.completed`; for Chat
 * Completions the content deltas of the last turn's choice 0, joined.
 */
function expectedOutput(api: Api, turns: readonly ServerTurn[]): unknown {
  const last = turns.at(-1);
  const events = typeof last === 'object' && last.events !== undefined ? [...last.events] : [];
  if (api.name === 'Chat Completions') {
    let text = '';
    for (const chunk of events) {
      const choices = isRecord(chunk) && Array.isArray(chunk['choices']) ? (chunk['choices'] as unknown[]) : [];
      const choice = choices.find(
        (candidate) => isRecord(candidate) && ((candidate['index'] as number | undefined) ?? 0) === 0,
      );
      const content = isRecord(choice) && isRecord(choice['delta']) ? choice['delta']['content'] : undefined;
      if (typeof content === 'string') text += content;
    }
    return text;
  }
  const completed = events
    .filter((event): event is Json => isRecord(event) && event['type'] === 'response.completed')
    .at(-1);
  const output = isRecord(completed?.['response']) ? (completed['response']['output'] as unknown[]) : [];
  const message = output
    .filter((item): item is Json => isRecord(item) && item['type'] === 'message' && item['role'] === 'assistant')
    .at(-1);
  const content = message?.['content'];
  if (typeof content === 'string') return content;
  return (content as Json[] | undefined)
    ?.map((part) => (part['type'] === 'output_text' || part['type'] === 'input_text' ? part['text'] : ''))
    .join('');
}

const recorded = (path: string) => loadFixture(new URL(`../fixtures/openai/${path}`, import.meta.url));
const calculator = tool({
  name: 'calculator',
  description: 'Arithmetic.',
  parameters: z.object({ a: z.number(), b: z.number(), op: z.enum(['add', 'subtract', 'multiply', 'divide']) }),
  execute: ({ a, b, op }) => ({ add: a + b, subtract: a - b, multiply: a * b, divide: a / b })[op],
});
const weather = tool({
  name: 'weather',
  description: 'Weather.',
  parameters: z.object({ location: z.string() }),
  execute: () => 'sunny',
});
const [responsesApi, chatApi] = apis as [Api, Api];
const recordings: Recording[] = [
  {
    name: 'responses/text-two-messages',
    api: responsesApi,
    turns: splitResponses(recorded('responses/text-two-messages.jsonl')),
    tools: [],
  },
  {
    name: 'responses/calculator-four-turns',
    api: responsesApi,
    turns: splitResponses(recorded('responses/calculator-four-turns.jsonl')),
    tools: [calculator],
  },
  {
    name: 'responses/failed-with-error-event',
    api: responsesApi,
    turns: [recorded('responses/failed-with-error-event.jsonl')],
    tools: [],
  },
  { name: 'chat/text-300-chunks', api: chatApi, turns: [recorded('chat/text-300-chunks.jsonl')], tools: [] },
  // The recorded tool call is answered, then the server's script is exhausted: a clear error either way.
  { name: 'chat/xai-tool-call', api: chatApi, turns: [recorded('chat/xai-tool-call.jsonl')], tools: [weather] },
];

/** A JSON value that is wrong where an event holds something else. */
const junk = fc.constantFrom<unknown>(null, 42, -1, 'x', '', true, [], {}, [null], { type: 42 });

/** One way to spoil a recorded stream. */
type Spoiler =
  | { kind: 'truncate'; at: number }
  | { kind: 'replace-event'; at: number; with: unknown }
  | { kind: 'set-field'; at: number; path: number; with: unknown }
  | { kind: 'delete-field'; at: number; path: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; other: number }
  | { kind: 'bad-line'; at: number }
  | { kind: 'drop'; at: number };

const spoilers: fc.Arbitrary<Spoiler> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace-event' as const), at: fc.nat(), with: junk }),
  fc.record({ kind: fc.constant('set-field' as const), at: fc.nat(), path: fc.nat(), with: junk }),
  fc.record({ kind: fc.constant('delete-field' as const), at: fc.nat(), path: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('bad-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
);

/** Every path to a field of `value` (objects and arrays, depth-first), as lists of keys. */
function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return keys.flatMap((key) => [
    [...prefix, key],
    ...fieldPaths((value as Record<string | number, unknown>)[key], [...prefix, key]),
  ]);
}

/** The recording's turns with `spoiler` applied to one of its events (counted across turns). */
function spoil(turns: readonly (readonly unknown[])[], spoiler: Spoiler): ServerTurn[] {
  const copy = turns.map((events) => structuredClone(events) as unknown[]);
  const total = copy.reduce((sum, events) => sum + events.length, 0);
  let at = spoiler.at % total;
  const turnIndex = copy.findIndex((events) => (at < events.length ? true : ((at -= events.length), false)));
  const events = copy[turnIndex]!;
  const scripted: ServerTurn[] = copy.map((list) => ({ events: list }));
  switch (spoiler.kind) {
    case 'truncate':
      events.length = at;
      copy.length = turnIndex + 1;
      return copy.map((list) => ({ events: list }));
    case 'replace-event':
      events[at] = spoiler.with;
      break;
    case 'set-field':
    case 'delete-field': {
      const paths = fieldPaths(events[at]);
      if (paths.length === 0) break;
      const path = paths[spoiler.path % paths.length]!;
      let holder = events[at] as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
      const last = path.at(-1)!;
      if (spoiler.kind === 'set-field') holder[last] = spoiler.with;
      else if (Array.isArray(holder)) holder.splice(Number(last), 1);
      else delete holder[last];
      break;
    }
    case 'duplicate':
      events.splice(at, 0, structuredClone(events[at]));
      break;
    case 'swap': {
      const other = spoiler.other % events.length;
      [events[at], events[other]] = [events[other], events[at]];
      break;
    }
    case 'bad-line':
      scripted[turnIndex] = { events, badLineAfter: at };
      break;
    case 'drop':
      scripted[turnIndex] = { events, dropAfter: at };
      break;
  }
  return scripted;
}

describe('recorded streams, truncated or corrupted at random points', () => {
  const runner = new Runner({ maxTurns: 6 });
  const baselines = new Map<string, { output?: unknown; error?: string }>();
  const crashes =
    /Cannot read propert|is not a function|is not iterable|Cannot convert|Cannot destructure|undefined is not|null is not/;

  beforeAll(async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK logs each bad line
    for (const recording of recordings) {
      const server = await startServer({ turns: recording.turns.map((events) => ({ events })) });
      const agent = new Agent({
        name: 'A',
        model: recording.api.model(clientFor(server.url, { maxRetries: 0 })),
        tools: [...recording.tools],
      });
      const outcome = await outcomeOf(runner.runStreamed(agent, 'Go'));
      const last = outcome.events.at(-1);
      baselines.set(
        recording.name,
        last?.type === 'final-output' ? { output: last.output } : { error: String(outcome.error) },
      );
      await server.close();
    }
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('the unspoiled recordings give their known outcomes', () => {
    expect(baselines.get('responses/calculator-four-turns')).toEqual({ output: 'The final result is **570**.' });
    expect(baselines.get('chat/text-300-chunks')?.output).toHaveLength(1_724);
    expect(baselines.get('responses/failed-with-error-event')?.error).toMatch(/insufficient_quota|quota/);
  });

  it.each(recordings)(
    '$name: every run ends, in a clear error or the correct result',
    { timeout: 60_000 },
    async (recording) => {
      const seen = { completed: 0, failed: 0 };
      await fc.assert(
        fc.asyncProperty(spoilers, async (spoiler) => {
          const turns = spoil(recording.turns, spoiler);
          const server = await startServer({ turns });
          try {
            const agent = new Agent({
              name: 'A',
              model: recording.api.model(clientFor(server.url, { maxRetries: 0 })),
              tools: [...recording.tools],
            });
            const outcome = await outcomeOf(runner.runStreamed(agent, 'Go'), 5_000);
            const describe = `${JSON.stringify(spoiler)} → ${outcome.error === undefined ? 'completed' : String(outcome.error)}`;
            if (outcome.error === undefined) {
              seen.completed += 1;
              const last = outcome.events.at(-1) as RunEvent<unknown>;
              expect(last.type, describe).toBe('final-output');
              expect(last.type === 'final-output' ? last.output : undefined, describe).toEqual(
                expectedOutput(recording.api, turns),
              );
              const usage = last.type === 'final-output' ? last.usage : undefined;
              for (const count of Object.values(usage ?? {}))
                expect(Number.isInteger(count) && count >= 0, `${describe}: usage ${JSON.stringify(usage)}`).toBe(true);
            } else {
              seen.failed += 1;
              expect(AgentsError.isInstance(outcome.error), describe).toBe(true);
              expect((outcome.error as Error).message, describe).not.toMatch(crashes);
              expect((outcome.error as Error).message.length, describe).toBeGreaterThan(20);
            }
            for (const event of outcome.events) {
              if (event.type === 'text-delta') expect(typeof event.delta, describe).toBe('string');
            }
          } finally {
            await server.close();
          }
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 120) },
      );
      expect(seen.completed + seen.failed).toBe(Number(process.env.FUZZ_RUNS ?? 120));
    },
  );
});

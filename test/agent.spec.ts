import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, AgentsError, handoffToolName, InvalidArgumentError, tool } from '../src/index.js';
import { outputSchemaOf } from '../src/internal/outputSchema.js';

const noop = tool({ name: 'noop', description: 'Does nothing.', parameters: z.object({}), execute: () => null });

function argumentOf(make: () => unknown): string | undefined {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(AgentsError.isInstance(error)).toBe(true);
    return (error as InvalidArgumentError).argument;
  }
  return undefined;
}

describe('new Agent()', () => {
  it('keeps its configuration', () => {
    const schema = z.object({ city: z.string() });
    const agent = new Agent({
      name: 'Travel',
      instructions: 'Be brief.',
      model: 'gpt-4.1',
      outputType: schema,
      tools: [noop],
    });
    expect(agent).toMatchObject({
      name: 'Travel',
      instructions: 'Be brief.',
      model: 'gpt-4.1',
      outputType: schema,
      tools: [noop],
      handoffs: [],
    });
  });

  it.each([
    ['name', () => new Agent({ name: '' })],
    ['name', () => new Agent({} as never)],
    ['outputType', () => new Agent({ name: 'A', outputType: { parse: () => 1 } as never })],
    ['tools[1]', () => new Agent({ name: 'A', tools: [noop, { name: 'fake' } as never] })],
    ['tools[1]', () => new Agent({ name: 'A', tools: [noop, noop] })],
    ['handoffs[0]', () => new Agent({ name: 'A', handoffs: [{ name: 'B' } as never] })],
    ['model', () => new Agent({ name: 'A', model: 42 as never })],
    ['instructions', () => new Agent({ name: 'A', instructions: 42 as never })],
  ])('names %s when it is wrong', (argument, make) => {
    expect(argumentOf(make)).toBe(argument);
  });

  it('names handoff tools transfer_to_<snake_case_name>', () => {
    expect(handoffToolName('Booking agent')).toBe('transfer_to_booking_agent');
    expect(handoffToolName('SpanishTutor')).toBe('transfer_to_spanish_tutor');
  });
});

describe('tool()', () => {
  it.each([
    ['execute', () => tool({ name: 'x', description: '', parameters: z.object({}) } as never)],
    ['parameters', () => tool({ name: 'x', description: '', parameters: z.string(), execute: () => 1 } as never)],
    ['name', () => tool({ name: 'has space', description: '', parameters: z.object({}), execute: () => 1 })],
    ['description', () => tool({ name: 'x', parameters: z.object({}), execute: () => 1 } as never)],
  ])('names %s when it is wrong', (argument, make) => {
    expect(argumentOf(make)).toBe(argument);
  });

  it('describes itself to the model with a strict JSON schema', () => {
    const weather = tool({
      name: 'weather',
      description: 'Weather.',
      parameters: z.object({ city: z.string(), unit: z.enum(['c', 'f']).nullable() }),
      execute: () => 'sunny',
    });
    expect(weather.spec).toEqual({
      type: 'function',
      name: 'weather',
      description: 'Weather.',
      strict: true,
      parameters: expect.objectContaining({ type: 'object', required: ['city', 'unit'], additionalProperties: false }),
    });
  });
});

/** The error `make` throws, which must be an InvalidArgumentError. */
function invalidArgument(make: () => unknown): InvalidArgumentError {
  try {
    make();
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError, but nothing was thrown');
}

/** An agent as another copy of the package makes it: the brand, no class, no check of its own. */
function foreignAgent(fields: { name: string; outputType?: unknown; handoffs?: unknown[] }): never {
  return { [Symbol.for('rxjs-agents.agent')]: true, tools: [], handoffs: [], modelSettings: {}, ...fields } as never;
}

describe('new Agent() with an outputType strict mode cannot express', () => {
  it.each([
    [
      'an optional field',
      z.object({ city: z.string(), note: z.string().optional() }),
      '`note` uses .optional() without .nullable(): in strict mode every field is required; use .nullable()',
    ],
    [
      'an optional field in an array of objects',
      z.object({ stops: z.array(z.object({ city: z.string(), note: z.string().optional() })) }),
      '`stops[].note` uses .optional() without .nullable()',
    ],
    [
      'an optional field in a nested object',
      z.object({ trip: z.object({ hotel: z.object({ name: z.string().optional() }) }) }),
      '`trip.hotel.name` uses .optional() without .nullable()',
    ],
    [
      'an array at the root',
      z.array(z.string()),
      'the root is a z.array(), but strict mode needs a z.object({ ... }) at the root',
    ],
    ['a string at the root', z.string(), 'the root is a z.string(), but strict mode needs a z.object({ ... })'],
    ['an enum at the root', z.enum(['yes', 'no']), 'the root is a z.enum(), but strict mode needs a z.object'],
    [
      'a union at the root',
      z.union([z.object({ city: z.string() }), z.object({ country: z.string() })]),
      'the root is a z.union(), but strict mode needs a z.object({ ... })',
    ],
    [
      'a discriminated union at the root',
      z.discriminatedUnion('kind', [z.object({ kind: z.literal('a') }), z.object({ kind: z.literal('b') })]),
      'the root is a z.union(), but strict mode needs a z.object({ ... })',
    ],
    [
      'a nullable object at the root',
      z.object({ city: z.string() }).nullable(),
      'the root is a z.nullable(), but strict mode needs a z.object({ ... })',
    ],
    [
      'a record field',
      z.object({ scores: z.record(z.string(), z.number()) }),
      '`scores` is an object with open keys (z.record(), .catchall(), z.looseObject()), which strict mode cannot express',
    ],
    [
      'a loose object at the root',
      z.looseObject({ city: z.string() }),
      'the root is an object with open keys (z.record(), .catchall(), z.looseObject())',
    ],
    ['a catchall', z.object({ city: z.string() }).catchall(z.string()), 'the root is an object with open keys'],
    [
      'a tuple field',
      z.object({ pair: z.tuple([z.string(), z.number()]) }),
      '`pair` is a z.tuple(), which strict mode cannot express',
    ],
    [
      'a transform',
      z.object({ length: z.string().transform((text) => text.length) }),
      'it uses Transforms, which cannot be represented in JSON Schema',
    ],
    ['a date', z.object({ when: z.date() }), 'it uses Date, which cannot be represented in JSON Schema'],
  ])('fails at new Agent() for %s, naming where and why in the message', (_, outputType, reason) => {
    const error = invalidArgument(() => new Agent<unknown>({ name: 'Travel', outputType }));
    expect(error.argument).toBe('outputType');
    expect(error.message).toContain(`Invalid argument \`outputType\`: agent 'Travel': ${reason}`);
    expect(error.cause).toBeInstanceOf(Error); // the SDK's (or zod's) own error, kept
  });

  it('accepts what strict mode can express: .nullable() and .optional().nullable() fields', () => {
    const agent = new Agent({
      name: 'Travel',
      outputType: z.object({ city: z.string(), note: z.string().nullable(), tip: z.string().optional().nullable() }),
    });
    expect(outputSchemaOf(agent)).toEqual({
      name: 'final_output',
      schema: expect.objectContaining({
        type: 'object',
        required: ['city', 'note', 'tip'],
        additionalProperties: false,
      }),
    });
    expect(outputSchemaOf(new Agent({ name: 'Plain' }))).toBeUndefined();
  });

  it('fails for a handoff target of another copy of the package, which was not checked when it was made', () => {
    const foreign = foreignAgent({ name: 'Booking', outputType: z.object({ note: z.string().optional() }) });
    const error = invalidArgument(() => new Agent({ name: 'Triage', handoffs: [foreign] }));
    expect(error.argument).toBe('handoffs[0]');
    expect(error.message).toBe(
      "Invalid argument `handoffs[0]`: agent 'Triage': the outputType of handoff target 'Booking': " +
        '`note` uses .optional() without .nullable(): in strict mode every field is required; ' +
        'use .nullable() (or .optional().nullable()) for a field the model may leave out.',
    );
  });

  it('fails for an agent reachable through handoffs, however deep', () => {
    const deep = foreignAgent({ name: 'Payments', outputType: z.array(z.string()) });
    const middle = foreignAgent({ name: 'Booking', handoffs: [deep] });
    const error = invalidArgument(() => new Agent({ name: 'Triage', handoffs: [new Agent({ name: 'Ok' }), middle] }));
    expect(error.argument).toBe('handoffs[1]');
    expect(error.message).toContain("the outputType of handoff target 'Payments': the root is a z.array()");
  });

  it('walks handoffs that loop without looping', () => {
    const a = foreignAgent({ name: 'A' }) as unknown as { handoffs: unknown[] };
    const b = foreignAgent({ name: 'B', handoffs: [a] });
    a.handoffs.push(b);
    expect(new Agent({ name: 'Triage', handoffs: [a as never] }).handoffs).toHaveLength(1);
  });

  it('keeps frozen copies of tools and handoffs: changing the arrays given changes nothing', () => {
    const tools = [noop];
    const handoffs = [new Agent({ name: 'Booking' })];
    const agent = new Agent({ name: 'Triage', tools, handoffs });
    tools.push(noop);
    handoffs.push(new Agent({ name: 'Payments' }));
    expect(agent.tools).toEqual([noop]);
    expect(agent.handoffs.map((target) => target.name)).toEqual(['Booking']);
    expect(Object.isFrozen(agent.tools)).toBe(true);
    expect(Object.isFrozen(agent.handoffs)).toBe(true);
  });
});

describe('tool() with parameters strict mode cannot express', () => {
  it.each([
    ['an optional field', z.object({ city: z.string().optional() }), '`city` uses .optional() without .nullable()'],
    [
      'a record field',
      z.object({ tags: z.record(z.string(), z.string()) }),
      '`tags` is an object with open keys (z.record(), .catchall(), z.looseObject())',
    ],
    ['a tuple field', z.object({ at: z.tuple([z.number(), z.number()]) }), '`at` is a z.tuple()'],
  ])('names where and why for %s', (_, parameters, reason) => {
    const error = invalidArgument(() =>
      tool({ name: 'weather', description: 'Weather.', parameters, execute: () => 'sunny' }),
    );
    expect(error.argument).toBe('parameters');
    expect(error.message).toContain(`Invalid argument \`parameters\`: tool 'weather': ${reason}`);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, AgentsError, handoffToolName, InvalidArgumentError, tool } from '../src/index.js';

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

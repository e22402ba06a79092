/** `agent.asTool()` as a tool definition: its name, description and parameters, and its options checked where given. */
import { describe, expect, it } from 'vitest';
import { Agent, InvalidArgumentError, isTool } from '../src/index.js';

const researcher = new Agent({ name: 'Travel Researcher', handoffDescription: 'Finds facts about places.' });

describe('agent.asTool()', () => {
  it('is a tool named after the agent in snake_case, described by its handoffDescription, taking { input: string }', () => {
    const made = researcher.asTool();
    expect(isTool(made)).toBe(true);
    expect(made.name).toBe('travel_researcher');
    expect(made.spec).toMatchObject({
      type: 'function',
      name: 'travel_researcher',
      description: 'Finds facts about places.',
      parameters: {
        type: 'object',
        properties: { input: { type: 'string', description: expect.any(String) as unknown } },
        required: ['input'],
        additionalProperties: false,
      },
      strict: true,
    });
    // The runner's marker is not an enumerable field: the tool still reads as plain data.
    expect(Object.keys(made)).not.toContain('agent');
    expect(
      Object.getOwnPropertySymbols(made).filter((key) => Object.getOwnPropertyDescriptor(made, key)?.enumerable),
    ).toHaveLength(1);
  });

  it('takes toolName and toolDescription; a name of the agent that gives no tool name needs a toolName', () => {
    const made = researcher.asTool({ toolName: 'ask-researcher', toolDescription: 'Ask the researcher.' });
    expect([made.name, made.description]).toEqual(['ask-researcher', 'Ask the researcher.']);
    expect(new Agent({ name: 'CityGuide' }).asTool().name).toBe('city_guide');
    expect(new Agent({ name: 'CityGuide' }).asTool().description).toMatch(/CityGuide/);
    expect(() => new Agent({ name: '東京' }).asTool()).toThrow(/give a toolName/);
    expect(new Agent({ name: '東京' }).asTool({ toolName: 'tokyo' }).name).toBe('tokyo');
  });

  it.each([
    ['toolName', { toolName: 'has space' }],
    ['toolName', { toolName: '' }],
    ['toolDescription', { toolDescription: 42 }],
    ['outputExtractor', { outputExtractor: 'finalOutput' }],
    ['maxTurns', { maxTurns: 0 }],
    ['maxTurns', { maxTurns: 1.5 }],
  ])('refuses a bad %s with InvalidArgumentError naming it', (argument, options) => {
    const attempt = () => researcher.asTool(options as never);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ argument }) as Error);
  });

  it('refuses options that are not an object', () => {
    expect(() => researcher.asTool('x' as never)).toThrow(expect.objectContaining({ argument: 'options' }) as Error);
  });

  it('can be given to another agent, next to its other tools', () => {
    const writer = new Agent({ name: 'Writer', tools: [researcher.asTool()] });
    expect(writer.tools.map((t) => t.name)).toEqual(['travel_researcher']);
  });
});

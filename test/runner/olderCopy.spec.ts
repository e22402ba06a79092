/**
 * Agents and tools made by an older copy of the package (a library that depends on an earlier
 * release) pass `Agent.isAgent` and `isTool` by their brands, but lack the fields that came later:
 * guardrails, `toolUseBehavior`, `mcpServers`, hosted tools, tool guardrails. A run reads each of
 * them with its default.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, Runner, tool } from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';

const laterAgentFields = [
  'inputGuardrails',
  'outputGuardrails',
  'streamGuardrails',
  'toolUseBehavior',
  'mcpServers',
  'hostedTools',
] as const;

/** The object as the older copy made it: the fields that came later removed. */
function older<T extends object>(made: T, fields: readonly string[]): T {
  for (const field of fields) Reflect.deleteProperty(made, field);
  return made;
}

describe('an agent and a tool of an older copy of the package', () => {
  it('run a tool call and a handoff to the end, in run() and runSync()', async () => {
    const lookup = older(
      tool({ name: 'lookup', description: 'Looks up.', parameters: z.object({}), execute: () => 'found' }),
      ['inputGuardrails', 'outputGuardrails'],
    );
    const make = () => {
      const billing = older(new Agent({ name: 'Billing', model: fakeModel(['Refunded.']) }), laterAgentFields);
      return older(
        new Agent({
          name: 'Triage',
          model: fakeModel([{ toolCalls: [{ name: 'lookup' }] }, { toolCalls: [{ name: 'transfer_to_billing' }] }]),
          tools: [lookup],
          handoffs: [billing],
        }),
        laterAgentFields,
      );
    };
    const runner = new Runner();
    const result = await runner.run(make(), 'Refund me');
    expect(result.status === 'completed' && result.finalOutput).toBe('Refunded.');
    const sync = runner.runSync(make(), 'Refund me');
    expect(sync.status === 'completed' && sync.finalOutput).toBe('Refunded.');
  });
});

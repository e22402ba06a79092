import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { Agent, hostedTool, tool, type AnyTool, type ToolCallResult } from '../../src/index.js';

describe('tool guardrails and toolUseBehavior, typed', () => {
  it('input guardrails get the validated arguments, output guardrails the result of execute', () => {
    const lookup = tool({
      name: 'lookup',
      description: 'Looks up.',
      parameters: z.object({ order: z.string() }),
      execute: ({ order }) => ({ order, total: 40 }),
      inputGuardrails: [
        {
          name: 'g',
          execute: (args, context) => {
            expectTypeOf(args).toEqualTypeOf<{ order: string }>();
            expectTypeOf(context.arguments).toEqualTypeOf<{ order: string }>();
            return { behavior: 'allow' };
          },
        },
      ],
      outputGuardrails: [
        {
          name: 'o',
          execute: (output) => {
            expectTypeOf(output).toEqualTypeOf<{ order: string; total: number }>();
            return { behavior: 'reject', message: 'no' };
          },
        },
      ],
    });
    // A guarded tool is still a tool an agent takes, beside a hosted one.
    expectTypeOf(lookup).toMatchTypeOf<AnyTool>();
    new Agent({ name: 'A', tools: [lookup, hostedTool({ type: 'web_search' })] });
  });

  it("a toolUseBehavior function's finalOutput is the agent's output type", () => {
    new Agent({
      name: 'A',
      outputType: z.object({ city: z.string() }),
      toolUseBehavior: (_context, results) => {
        expectTypeOf(results).toEqualTypeOf<readonly ToolCallResult[]>();
        return { isFinalOutput: true, finalOutput: { city: 'Lisbon' } };
      },
    });
    new Agent({
      name: 'A',
      outputType: z.object({ city: z.string() }),
      // @ts-expect-error a number is not the output type
      toolUseBehavior: () => ({ isFinalOutput: true, finalOutput: 3 }),
    });
    // @ts-expect-error a hosted tool of an unknown type
    hostedTool({ type: 'image_generation' });
  });
});

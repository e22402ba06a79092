import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { Agent, type AgentTool, type AnyTool, type CompletedRunResult, type RunEvent } from '../src/index.js';

interface Ctx {
  readonly user: string;
}
const structured = new Agent<{ city: string }, Ctx>({ name: 'Travel', outputType: z.object({ city: z.string() }) });

describe('types of agent.asTool()', () => {
  it('is a tool of the agent’s context, called with { input: string }, that goes in another agent’s tools', () => {
    const made = structured.asTool();
    expectTypeOf(made).toEqualTypeOf<AgentTool<Ctx>>();
    expectTypeOf(made).toExtend<AnyTool<Ctx>>();
    expectTypeOf<Parameters<typeof made.execute>[0]>().toEqualTypeOf<{ input: string }>();
    new Agent<string, Ctx>({ name: 'Writer', tools: [made] });
  });

  it("gives outputExtractor the nested run's completed result, typed by its outputType", () => {
    structured.asTool({
      outputExtractor: (result) => {
        expectTypeOf(result).toEqualTypeOf<CompletedRunResult<{ city: string }, Ctx>>();
        return Promise.resolve(result.finalOutput.city);
      },
    });
  });

  it('marks nested events with an optional parentCallId on every event', () => {
    expectTypeOf<RunEvent['parentCallId']>().toEqualTypeOf<string | undefined>();
  });
});

import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  run,
  runStreamed,
  runSync,
  type RunEvent,
  type RunResult,
  type RunState,
  type Usage,
} from '../../src/index.js';
import { fakeModel } from '../../src/testing/index.js';
import { partialOutput, toFinalOutput } from '../../operators/index.js';

const model = fakeModel([]);
const structured = new Agent({ name: 'Travel', model, outputType: z.object({ city: z.string() }) });
const plain = new Agent({ name: 'Chat', model });

describe('types of a run', () => {
  it('infers the output type from outputType, and string without one', () => {
    expectTypeOf(structured).toEqualTypeOf<Agent<{ city: string }, unknown>>();
    expectTypeOf(plain).toEqualTypeOf<Agent<string, unknown>>();
    expectTypeOf(runStreamed(structured, 'Hi')).toEqualTypeOf<Observable<RunEvent<{ city: string }>>>();
    expectTypeOf(run(structured, 'Hi')).resolves.toEqualTypeOf<RunResult<{ city: string }, unknown>>();
    expectTypeOf(runSync(plain, 'Hi').finalOutput).toEqualTypeOf<string | undefined>();
    const result = runSync(plain, 'Hi');
    if (result.status === 'completed') expectTypeOf(result.finalOutput).toEqualTypeOf<string>();
    else expectTypeOf(result.state).toEqualTypeOf<RunState>();
  });

  it('types toFinalOutput() and partialOutput() by the agent’s outputType', () => {
    const city = new Agent({ name: 'City', model, outputType: z.object({ city: z.string() }) });
    expectTypeOf(runStreamed(city, 'Hi').pipe(toFinalOutput())).toEqualTypeOf<Observable<{ city: string }>>();
    expectTypeOf(runStreamed(plain, 'Hi').pipe(toFinalOutput())).toEqualTypeOf<Observable<string>>();
    expectTypeOf(runStreamed(city, 'Hi').pipe(partialOutput())).toEqualTypeOf<Observable<{ city?: string }>>();
  });

  it('narrows a RunEvent on type to the right fields', () => {
    const event = {} as RunEvent<{ city: string }>;
    if (event.type === 'final-output') {
      expectTypeOf(event.output).toEqualTypeOf<{ city: string }>();
      expectTypeOf(event.usage).toEqualTypeOf<Usage>();
    }
    if (event.type === 'tool-call') {
      expectTypeOf(event.callId).toEqualTypeOf<string>();
      expectTypeOf(event.arguments).toEqualTypeOf<unknown>();
      // @ts-expect-error a tool call has no delta
      void event.delta;
    }
    if (event.type === 'text-delta') expectTypeOf(event.delta).toEqualTypeOf<string>();
    if (event.type === 'agent-updated') expectTypeOf(event.from).toEqualTypeOf<string>();
    expectTypeOf(event.agent).toEqualTypeOf<string>();
    expectTypeOf(event.turn).toEqualTypeOf<number>();
  });

  it('types the context given to instructions and tools', () => {
    const withContext = new Agent<string, { userId: string }>({
      name: 'Ctx',
      model,
      instructions: (context) => `Help ${context.userId}.`,
    });
    expectTypeOf(run(withContext, 'Hi', { context: { userId: 'u1' } })).resolves.toEqualTypeOf<
      RunResult<string, { userId: string }>
    >();
    // @ts-expect-error the context must match the agent's
    void run(withContext, 'Hi', { context: { user: 1 } });
  });

  it('lets an agent hand off to agents of other output types', () => {
    const triage = new Agent({ name: 'Triage', model, handoffs: [structured, plain] });
    expectTypeOf(triage.handoffs).toEqualTypeOf<readonly Agent<unknown, unknown>[]>();
  });
});

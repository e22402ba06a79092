import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { filterTextDeltas } from '../../operators/filterTextDeltas.js';
import { toFinalOutput } from '../../operators/toFinalOutput.js';
import type { RunEvent } from '../../src/events.js';

declare const trips$: Observable<RunEvent<{ city: string }>>;
declare const texts$: Observable<RunEvent>;
declare const numbers$: Observable<number>;

describe('toFinalOutput types', () => {
  it("gives an Observable of the run's output type", () => {
    expectTypeOf(trips$.pipe(toFinalOutput())).toEqualTypeOf<Observable<{ city: string }>>();
    expectTypeOf(texts$.pipe(toFinalOutput())).toEqualTypeOf<Observable<string>>();
    expectTypeOf(toFinalOutput()(trips$)).toEqualTypeOf<Observable<{ city: string }>>();
  });

  it('only accepts run events', () => {
    // @ts-expect-error numbers are not run events
    numbers$.pipe(toFinalOutput());
  });

  it('composes with other operators on the same events', () => {
    expectTypeOf(trips$.pipe(filterTextDeltas())).toEqualTypeOf<Observable<string>>();
  });
});

describe('RunEvent narrowing', () => {
  it("narrows on type === 'tool-call' to the tool-call fields", () => {
    const event = {} as RunEvent<{ city: string }>;
    if (event.type === 'tool-call') {
      expectTypeOf(event.callId).toEqualTypeOf<string>();
      expectTypeOf(event.name).toEqualTypeOf<string>();
      expectTypeOf(event.arguments).toEqualTypeOf<unknown>();
      expectTypeOf(event).not.toHaveProperty('delta');
    }
    if (event.type === 'final-output') {
      expectTypeOf(event.output).toEqualTypeOf<{ city: string }>();
    }
    if (event.type === 'text-delta') {
      expectTypeOf(event.delta).toEqualTypeOf<string>();
    }
  });
});

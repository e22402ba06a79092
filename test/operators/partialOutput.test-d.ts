import type { Observable, OperatorFunction } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { partialOutput } from '../../operators/partialOutput.js';
import type { DeepPartial } from '../../src/deepPartial.js';
import type { RunEvent } from '../../src/events.js';

interface Trip {
  readonly destination: string;
  readonly nights: number;
  readonly budget: { currency: 'EUR' | 'USD'; perDay: number };
  readonly stops: { city: string; sights: string[] }[];
  readonly notes: string | null;
}

describe('partialOutput', () => {
  it('is an operator from the run events of T to DeepPartial<T>', () => {
    expectTypeOf(partialOutput<Trip>()).toEqualTypeOf<OperatorFunction<RunEvent<Trip>, DeepPartial<Trip>>>();
  });

  it('infers T from the source in a pipe', () => {
    const events$ = {} as Observable<RunEvent<Trip>>;
    expectTypeOf(events$.pipe(partialOutput())).toEqualTypeOf<Observable<DeepPartial<Trip>>>();
  });
});

describe('DeepPartial', () => {
  it('makes every property optional at every depth, arrays of partial elements', () => {
    expectTypeOf<DeepPartial<Trip>>().toEqualTypeOf<{
      readonly destination?: string;
      readonly nights?: number;
      readonly budget?: { currency?: 'EUR' | 'USD'; perDay?: number };
      readonly stops?: { city?: string; sights?: string[] }[];
      readonly notes?: string | null;
    }>();
  });

  it('keeps primitives, readonly arrays and unknown', () => {
    expectTypeOf<DeepPartial<string>>().toEqualTypeOf<string>();
    expectTypeOf<DeepPartial<readonly { a: number }[]>>().toEqualTypeOf<readonly { a?: number }[]>();
    expectTypeOf<DeepPartial<unknown>>().toEqualTypeOf<unknown>();
  });

  it('accepts what a partial answer looks like and rejects wrong shapes', () => {
    expectTypeOf<{ stops: [{ city: string }] }>().toExtend<DeepPartial<Trip>>();
    expectTypeOf<{ nights: string }>().not.toExtend<DeepPartial<Trip>>();
  });
});

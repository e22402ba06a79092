import type { Observable, OperatorFunction } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { bufferTokens } from '../../operators/bufferTokens.js';
import type { RunEvent } from '../../src/events.js';

declare const deltas$: Observable<string>;
declare const events$: Observable<RunEvent>;

describe('bufferTokens types', () => {
  it('turns strings into strings', () => {
    expectTypeOf(bufferTokens(16)).toEqualTypeOf<OperatorFunction<string, string>>();
    expectTypeOf(deltas$.pipe(bufferTokens({ by: 'word', timeSpan: 50 }))).toEqualTypeOf<Observable<string>>();
  });

  it('rejects what is not a string stream or not an option', () => {
    // @ts-expect-error run events must go through filterTextDeltas() first
    events$.pipe(bufferTokens(16));
    // @ts-expect-error 'paragraph' is not a boundary
    bufferTokens({ by: 'paragraph' });
    // @ts-expect-error the count is a number
    bufferTokens('16');
  });
});

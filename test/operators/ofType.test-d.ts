import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { ofType } from '../../operators/ofType.js';
import type {
  FinalOutputEvent,
  RawModelEvent,
  RunEvent,
  TextDeltaEvent,
  ToolCallEvent,
  ToolOutputEvent,
} from '../../src/events.js';

interface Answer {
  readonly destination: string;
}

declare const events$: Observable<RunEvent<Answer>>;

describe('ofType', () => {
  it('narrows to the union of the given event types', () => {
    expectTypeOf(events$.pipe(ofType('tool-call', 'tool-output'))).toEqualTypeOf<
      Observable<ToolCallEvent | ToolOutputEvent>
    >();
    expectTypeOf(events$.pipe(ofType('text-delta'))).toEqualTypeOf<Observable<TextDeltaEvent>>();
    expectTypeOf(events$.pipe(ofType('raw'), ofType('raw'))).toEqualTypeOf<Observable<RawModelEvent>>();
  });

  it("keeps the run's output type", () => {
    expectTypeOf(events$.pipe(ofType('final-output'))).toEqualTypeOf<Observable<FinalOutputEvent<Answer>>>();
    expectTypeOf(events$.pipe(ofType('final-output', 'text-delta'))).toEqualTypeOf<
      Observable<FinalOutputEvent<Answer> | TextDeltaEvent>
    >();
  });

  it('rejects names that are not event types', () => {
    // @ts-expect-error 'tool_call' is not a RunEvent type
    ofType('tool_call');
  });

  it('accepts a spread list of types', () => {
    const types = ['tool-call', 'tool-output'] as const;
    expectTypeOf(events$.pipe(ofType(...types))).toEqualTypeOf<Observable<ToolCallEvent | ToolOutputEvent>>();
  });
});

import { of, throwError, concat } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toServerSentEvents } from '../../operators/toServerSentEvents.js';
import { AgentsError, InvalidArgumentError, ModelProviderError, ToolCallError } from '../../src/errors.js';
import type { RunEvent } from '../../src/events.js';
import { marbles } from '../helpers/marbles.js';
import { noRunItems } from '../helpers/runEvents.js';

const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const events = {
  d: { type: 'text-delta', agent: 'Poet', turn: 1, delta: 'line one\nline "two"\r\n\n' },
  c: { type: 'tool-call', agent: 'Poet', turn: 1, callId: 'call_1', name: 'rhyme', arguments: { word: 'moon' } },
  f: { type: 'final-output', agent: 'Poet', turn: 2, output: 'done', usage, ...noRunItems },
} satisfies Record<string, RunEvent>;
const frames = {
  x: `event: text-delta\ndata: {"type":"text-delta","agent":"Poet","turn":1,"delta":"line one\\nline \\"two\\"\\r\\n\\n"}\n\n`,
  y: `event: tool-call\ndata: {"type":"tool-call","agent":"Poet","turn":1,"callId":"call_1","name":"rhyme","arguments":{"word":"moon"}}\n\n`,
  z: `event: final-output\ndata: {"type":"final-output","agent":"Poet","turn":2,"output":"done","usage":{"requests":1,"inputTokens":10,"outputTokens":5,"totalTokens":15},"newItems":[],"history":[],"rawResponses":[]}\n\n`,
};

describe('toServerSentEvents', () => {
  it(
    'encodes each event as one frame with its JSON on a single line',
    marbles((m) => {
      const source = m.cold('   -d-c--f-|', events);
      const subs = '            ^-------!';
      const expected = '        -x-y--z-|';
      m.expect(source.pipe(toServerSentEvents())).toBeObservable(expected, frames);
      m.expect(source).toHaveSubscriptions(subs);
      expect(frames.x.split('\n').filter((line) => line.startsWith('data:'))).toHaveLength(1);
    }),
  );

  it(
    'completes empty on an empty source',
    marbles((m) => {
      m.expect(m.cold<RunEvent>('|').pipe(toServerSentEvents())).toBeObservable('|');
    }),
  );

  it(
    'turns an error into a last error frame with its class name and a generic message, then completes',
    marbles((m) => {
      const error = new ModelProviderError({
        message: 'connect ECONNREFUSED http://inventory.internal:8080/v1 (/srv/app/tools/stock.ts)',
        status: 429,
        code: 'rate_limit_exceeded',
        cause: new Error('secret sk-123'),
      });
      error.partial = { text: 'private draft', newItems: [], usage };
      const source = m.cold('-d-#', events, error);
      m.expect(source.pipe(toServerSentEvents())).toBeObservable('-x-(e|)', {
        x: frames.x,
        e: 'event: error\ndata: {"name":"ModelProviderError","message":"The run failed (ModelProviderError)."}\n\n',
      });
    }),
  );

  it(
    'says what errorMessage makes of the error, and nothing else of it',
    marbles((m) => {
      const error = new ToolCallError({
        toolName: 'stock',
        callId: 'call_1',
        message: 'GET http://inventory.internal/items failed',
      });
      const seen: unknown[] = [];
      const errorMessage = (thrown: unknown): string => {
        seen.push(thrown);
        return 'The stock service is unavailable.';
      };
      m.expect(m.cold('-d-#', events, error).pipe(toServerSentEvents({ errorMessage }))).toBeObservable('-x-(e|)', {
        x: frames.x,
        e: 'event: error\ndata: {"name":"ToolCallError","message":"The stock service is unavailable."}\n\n',
      });
      m.flush();
      expect(seen).toEqual([error]);
    }),
  );

  it('sends the generic message when errorMessage throws or returns something else than a string', () => {
    const frameOf = (errorMessage: (error: unknown) => string): string[] => {
      const out: string[] = [];
      throwError(() => new RangeError('/etc/secret'))
        .pipe(toServerSentEvents({ errorMessage }))
        .subscribe((frame) => out.push(frame));
      return out;
    };
    const generic = ['event: error\ndata: {"name":"RangeError","message":"The run failed (RangeError)."}\n\n'];
    expect(
      frameOf(() => {
        throw new Error('oops');
      }),
    ).toEqual(generic);
    expect(frameOf(() => undefined as unknown as string)).toEqual(generic);
  });

  it('throws InvalidArgumentError at the call when errorMessage is not a function', () => {
    expect(() => toServerSentEvents({ errorMessage: 'hidden' as unknown as () => string })).toThrow(
      InvalidArgumentError,
    );
    expect(() => toServerSentEvents({ errorMessage: 'hidden' as unknown as () => string })).toThrow(
      'options.errorMessage',
    );
  });

  it(
    'sends a thrown value that is not an Error as name Error, and a name that is no identifier as Error',
    marbles((m) => {
      const source = m.cold<RunEvent>('#', undefined, 'socket hang up at 10.0.0.7');
      m.expect(source.pipe(toServerSentEvents())).toBeObservable('(e|)', {
        e: 'event: error\ndata: {"name":"Error","message":"The run failed (Error)."}\n\n',
      });
      const named = Object.assign(new Error('x'), { name: 'failed at http://10.0.0.7/' });
      m.expect(m.cold<RunEvent>('#', undefined, named).pipe(toServerSentEvents())).toBeObservable('(e|)', {
        e: 'event: error\ndata: {"name":"Error","message":"The run failed (Error)."}\n\n',
      });
    }),
  );

  it('ends with an error frame when an event cannot be encoded', () => {
    const raw: RunEvent = { type: 'raw', agent: 'Poet', turn: 1, source: 'custom', data: { tokens: 10n } };
    const out: string[] = [];
    let completed = false;
    of(events.d, raw, events.f)
      .pipe(toServerSentEvents({ errorMessage: (error) => (error as Error).message }))
      .subscribe({ next: (frame) => out.push(frame), complete: () => (completed = true) });
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/^event: error\ndata: \{"name":"TypeError","message":".*BigInt.*"\}\n\n$/);
    expect(completed).toBe(true);
  });

  it(
    'unsubscribes from the source when unsubscribed early',
    marbles((m) => {
      const source = m.hot('-d-c-f-|', events);
      const unsub = '       ^--!    ';
      const subs = '        ^--!    ';
      m.expect(source.pipe(toServerSentEvents()), unsub).toBeObservable('-x--', frames);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('works on a synchronous source', () => {
    const out: string[] = [];
    concat(
      of<RunEvent[]>(events.c),
      throwError(() => new AgentsError({ message: 'boom' })),
    )
      .pipe(toServerSentEvents())
      .subscribe((frame) => out.push(frame));
    expect(out).toEqual([
      frames.y,
      'event: error\ndata: {"name":"AgentsError","message":"The run failed (AgentsError)."}\n\n',
    ]);
  });
});

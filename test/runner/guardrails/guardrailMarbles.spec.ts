/**
 * Input, output and stream guardrails in virtual time: when each check runs against the model's
 * stream, what a trip cuts (the model call's subscription), what waits for a check.
 */
import { catchError, map, of, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  InputGuardrailTripwireTriggered,
  OutputGuardrailTripwireTriggered,
  Runner,
  type GuardrailResult,
  type Model,
  type ModelEvent,
  type RunEvent,
} from '../../../src/index.js';
import { fakeModel } from '../../../src/testing/index.js';
import { runMarbles as marbles } from '../../helpers/marbles.js';

const runner = new Runner();

const response = (text: string): ModelEvent => ({
  type: 'response',
  response: {
    output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }],
    usage: { requests: 1, inputTokens: 3, outputTokens: 4, totalTokens: 7 },
  },
});

/** Events as labels: a delta as its text, a guardrail as `name:pass` or `name:trip`, an error as `# message`. */
const labelled = (events: Observable<RunEvent>): Observable<string> =>
  events.pipe(
    map((event) => {
      if (event.type === 'text-delta') return event.delta;
      if (event.type === 'guardrail') return `${event.name}:${event.tripwireTriggered ? 'trip' : 'pass'}`;
      return event.type;
    }),
    catchError((error: Error) => of(`# ${error.message}`)),
  );

const pass: GuardrailResult = { tripwireTriggered: false };
const trip: GuardrailResult = { tripwireTriggered: true, outputInfo: { reason: 'secret' } };

describe('stream guardrails', () => {
  it('checks every 5 characters while deltas keep flowing; a trip unsubscribes the model call', () => {
    const checked: string[] = [];
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ModelEvent>('a 9ms b 9ms c 9ms d 9ms e 9ms r|', {
        a: { type: 'text-delta', delta: 'Hello' },
        b: { type: 'text-delta', delta: ' the ' },
        c: { type: 'text-delta', delta: 'secret' },
        d: { type: 'text-delta', delta: ' is ' },
        e: { type: 'text-delta', delta: '42.' },
        r: response('Hello the secret is 42.'),
      });
      const model: Model = { name: 'scripted', stream: () => stream };
      const agent = new Agent({
        name: 'Guarded',
        model,
        streamGuardrails: [
          {
            name: 'no-secrets',
            every: { characters: 5 },
            // Each check takes 5 frames, and answers on the text it was given.
            execute: (text) => {
              checked.push(text);
              return cold('5ms (a|)', { a: text.includes('secret') ? trip : pass });
            },
          },
        ],
      });
      expectObservable(labelled(runner.runStreamed(agent, 'Tell me'))).toBe('(sa) 1ms p 4ms b 4ms p 4ms c 4ms (xe|)', {
        s: 'turn-started',
        a: 'Hello',
        p: 'no-secrets:pass',
        b: ' the ',
        c: 'secret',
        x: 'no-secrets:trip',
        e: "# Stream guardrail 'no-secrets' tripped.",
      });
      // The trip at 25 ends the call: ' is ' and '42.' are never streamed, nor paid for.
      expectSubscriptions(stream.subscriptions).toBe('^ 24ms !');
    });
    expect(checked).toEqual(['Hello', 'Hello the ', 'Hello the secret']);
  });

  it('marks passed while a check runs are checked together, with the newest text; the last check is awaited', () => {
    const checked: string[] = [];
    marbles(({ cold, expectObservable }) => {
      const stream = cold<ModelEvent>('a 9ms b 9ms c 9ms r|', {
        a: { type: 'text-delta', delta: 'One. ' },
        b: { type: 'text-delta', delta: 'Two. ' },
        c: { type: 'text-delta', delta: 'Three.' },
        r: response('One. Two. Three.'),
      });
      const agent = new Agent({
        name: 'Guarded',
        model: { name: 'scripted', stream: () => stream },
        streamGuardrails: [
          {
            name: 'slow',
            every: { sentences: 1 },
            // 25 frames a check: longer than the deltas' spacing.
            execute: (text) => {
              checked.push(text);
              return cold('25ms (a|)', { a: pass });
            },
          },
        ],
      });
      // Checks: 'One. ' at 0 (ends 25); 'Two.' passed at 10 and is checked at 25 with the text then
      // ('One. Two. Three.'), which is the whole answer: none more after the response at 30.
      expectObservable(labelled(runner.runStreamed(agent, 'Count'))).toBe('(sa) 6ms b 9ms c 4ms p 5ms t 18ms (pf|)', {
        s: 'turn-started',
        a: 'One. ',
        b: 'Two. ',
        c: 'Three.',
        p: 'slow:pass',
        t: 'turn-completed',
        f: 'final-output',
      });
    });
    expect(checked).toEqual(['One. ', 'One. Two. Three.']);
  });

  it('checks the whole text once more when the response completes past the last mark', () => {
    const checked: string[] = [];
    const model = fakeModel([{ text: ['Hello', ' world'] }]);
    const agent = new Agent({
      name: 'Guarded',
      model,
      streamGuardrails: [
        {
          name: 'every-5',
          every: { characters: 5 },
          execute: (text) => {
            checked.push(text);
            return pass;
          },
        },
      ],
    });
    const result = runner.runSync(agent, 'Hi');
    expect(result.status === 'completed' && result.finalOutput).toBe('Hello world');
    expect(checked).toEqual(['Hello', 'Hello world']);
  });

  it('unsubscribing while a check runs unsubscribes the check and the model call', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ModelEvent>('a 9ms b 9ms r|', {
        a: { type: 'text-delta', delta: 'Hello' },
        b: { type: 'text-delta', delta: ' world' },
        r: response('Hello world'),
      });
      const check = cold('50ms a|', { a: pass });
      const agent = new Agent({
        name: 'Guarded',
        model: { name: 'scripted', stream: () => stream },
        streamGuardrails: [{ name: 'slow', every: { characters: 5 }, execute: () => check }],
      });
      expectObservable(labelled(runner.runStreamed(agent, 'Hi')), '^ 14ms !').toBe('(sa) 6ms b', {
        s: 'turn-started',
        a: 'Hello',
        b: ' world',
      });
      expectSubscriptions(stream.subscriptions).toBe('^ 14ms !');
      expectSubscriptions(check.subscriptions).toBe('^ 14ms !');
    });
  });
});

describe('input guardrails', () => {
  it('run alongside the first model call by default: a trip unsubscribes the call at once', () => {
    let failure: unknown;
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ModelEvent>('a 9ms b 9ms r|', {
        a: { type: 'text-delta', delta: 'Sure' },
        b: { type: 'text-delta', delta: ', here' },
        r: response('Sure, here'),
      });
      const agent = new Agent({
        name: 'Guarded',
        model: { name: 'scripted', stream: () => stream },
        inputGuardrails: [{ name: 'no-homework', execute: () => cold('15ms (a|)', { a: trip }) }],
      });
      const events = runner.runStreamed(agent, 'Solve my homework').pipe(
        catchError((error: unknown) => {
          failure = error;
          throw error;
        }),
      );
      expectObservable(labelled(events)).toBe('(sa) 6ms b 4ms (xe|)', {
        s: 'turn-started',
        a: 'Sure',
        b: ', here',
        x: 'no-homework:trip',
        e: "# Input guardrail 'no-homework' tripped.",
      });
      expectSubscriptions(stream.subscriptions).toBe('^ 14ms !');
    });
    expect(InputGuardrailTripwireTriggered.isInstance(failure)).toBe(true);
    const error = failure as InputGuardrailTripwireTriggered;
    expect(error.guardrail).toEqual({
      name: 'no-homework',
      kind: 'input',
      agent: 'Guarded',
      outputInfo: { reason: 'secret' },
    });
    expect(error.partial?.text).toBe('Sure, here');
  });

  it('a passing check in parallel is awaited before the run goes on', () => {
    marbles(({ cold, expectObservable }) => {
      const agent = new Agent({
        name: 'Guarded',
        model: fakeModel([{ text: ['Hi there'] }]),
        inputGuardrails: [{ name: 'slow', execute: () => cold('20ms (a|)', { a: pass }) }],
      });
      expectObservable(labelled(runner.runStreamed(agent, 'Hello'))).toBe('(sdt) 15ms (pf|)', {
        s: 'turn-started',
        d: 'Hi there',
        t: 'turn-completed',
        p: 'slow:pass',
        f: 'final-output',
      });
    });
  });

  it('with runInParallel: false the model is called only after the check passed; a trip costs no call', () => {
    const model = fakeModel([{ text: ['Hi there'] }]);
    marbles(({ cold, expectObservable }) => {
      const agent = new Agent({
        name: 'Guarded',
        model,
        inputGuardrails: [
          {
            name: 'first',
            runInParallel: false,
            execute: (input) => cold('10ms (a|)', { a: JSON.stringify(input).includes('bad') ? trip : pass }),
          },
        ],
      });
      expectObservable(labelled(runner.runStreamed(agent, 'Hello'))).toBe('10ms (psdtf|)', {
        p: 'first:pass',
        s: 'turn-started',
        d: 'Hi there',
        t: 'turn-completed',
        f: 'final-output',
      });
      expectObservable(labelled(runner.runStreamed(agent, 'bad words'))).toBe('10ms (xe|)', {
        x: 'first:trip',
        e: "# Input guardrail 'first' tripped.",
      });
    });
    expect(model.requests).toHaveLength(1);
  });
});

describe('output guardrails', () => {
  it('check the final output before final-output; a trip fails the run instead', async () => {
    const seen: unknown[] = [];
    const agent = new Agent({
      name: 'Guarded',
      model: fakeModel(['The password is hunter2']),
      outputGuardrails: [
        {
          name: 'no-passwords',
          execute: async (output) => {
            seen.push(output);
            return { tripwireTriggered: String(output).includes('password'), outputInfo: { found: 'password' } };
          },
        },
      ],
    });
    const failure = await runner.run(agent, 'Tell me').catch((error: unknown) => error);
    expect(OutputGuardrailTripwireTriggered.isInstance(failure)).toBe(true);
    expect((failure as OutputGuardrailTripwireTriggered).guardrail).toEqual({
      name: 'no-passwords',
      kind: 'output',
      agent: 'Guarded',
      outputInfo: { found: 'password' },
    });
    expect((failure as OutputGuardrailTripwireTriggered).partial?.text).toBe('The password is hunter2');
    expect(seen).toEqual(['The password is hunter2']);
  });
});

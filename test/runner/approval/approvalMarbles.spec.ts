/** Approval and stopAfterTurn in virtual time: what waits, what goes on, what unsubscribing ends. */
import { asyncScheduler, catchError, map, of, timer, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, Runner, RunState, tool, type RunEvent, type RunInterruptedEvent } from '../../../src/index.js';
import { fakeModel, type FakeTurn } from '../../../src/testing/index.js';
import { runMarbles as marbles } from '../../helpers/marbles.js';

const runner = new Runner();

/** Events as short labels: a tool event with its call id. */
const label = (event: RunEvent): string =>
  event.type === 'tool-output' || event.type === 'tool-approval-requested' || event.type === 'tool-call'
    ? `${event.type}:${event.callId}`
    : event.type;

function shop(ran: string[], lookupFrames = 20) {
  const refund = tool({
    name: 'refund',
    description: 'Refunds.',
    parameters: z.object({}),
    needsApproval: true,
    execute: () => void ran.push('refund'),
  });
  // Takes 20 frames (by default), so the marbles show it running while the refund waits.
  const lookup = tool({
    name: 'lookup',
    description: 'Looks up.',
    parameters: z.object({}),
    execute: () => (lookupFrames === 0 ? ran.push('lookup') : timer(lookupFrames).pipe(map(() => ran.push('lookup')))),
  });
  return [refund, lookup];
}

/** Labels, and an error as `#` and its message, so a marble can show which error ended the run. */
const labelled = (events: Observable<RunEvent>): Observable<string> =>
  events.pipe(
    map(label),
    catchError((error: Error) => of(`# ${error.message}`)),
  );

const calls: FakeTurn = {
  toolCalls: [
    { callId: 'r', name: 'refund' },
    { callId: 'l', name: 'lookup' },
  ],
};

describe('approve as an Observable, in virtual time', () => {
  it('the call waits for the decision while the other tool runs, then runs, then the next turn', () => {
    const ran: string[] = [];
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const decision = cold('40ms a|', { a: true });
      const agent = new Agent({ name: 'Shop', model: fakeModel([calls, 'Done.']), tools: shop(ran) });
      const events = runner.runStreamed(agent, 'Refund', { approve: () => decision }).pipe(map(label));
      // The group of five takes 7 frames: the lookup's output at 20, the decision at 40.
      expectObservable(events).toBe('(scabq) 13ms l 19ms (rtdxf|)', {
        s: 'turn-started',
        c: 'turn-completed',
        a: 'tool-call:r',
        b: 'tool-call:l',
        q: 'tool-approval-requested:r',
        l: 'tool-output:l',
        r: 'tool-output:r',
        t: 'turn-started',
        d: 'text-delta',
        x: 'turn-completed',
        f: 'final-output',
      });
      expectSubscriptions(decision.subscriptions).toBe('^ 39ms !');
    });
    expect(ran).toEqual(['lookup', 'refund']);
  });

  it('unsubscribing while the decision is pending unsubscribes it; the tool never runs', () => {
    const ran: string[] = [];
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const decision = cold('50ms a|', { a: true });
      const agent = new Agent({ name: 'Shop', model: fakeModel([calls, 'Done.']), tools: shop(ran) });
      const events = runner.runStreamed(agent, 'Refund', { approve: () => decision }).pipe(map(label));
      expectObservable(events, '^ 29ms !').toBe('(scabq) 13ms l', {
        s: 'turn-started',
        c: 'turn-completed',
        a: 'tool-call:r',
        b: 'tool-call:l',
        q: 'tool-approval-requested:r',
        l: 'tool-output:l',
      });
      expectSubscriptions(decision.subscriptions).toBe('^ 29ms !');
    });
    expect(ran).toEqual(['lookup']);
  });

  it('an Observable that errors fails the run with its error', () => {
    marbles(({ cold, expectObservable }) => {
      const decision = cold<boolean>('10ms #', undefined, new Error('dialog closed'));
      const agent = new Agent({ name: 'Shop', model: fakeModel([calls, 'Done.']), tools: shop([]) });
      const events = labelled(runner.runStreamed(agent, 'Refund', { approve: () => decision }));
      expectObservable(events).toBe('(scabq) 3ms (e|)', {
        s: 'turn-started',
        c: 'turn-completed',
        a: 'tool-call:r',
        b: 'tool-call:l',
        q: 'tool-approval-requested:r',
        e: '# The run failed: dialog closed',
      });
    });
  });
});

describe('stopAfterTurn', () => {
  const script = (): FakeTurn[] => [
    { text: ['Looking', ' up'], toolCalls: [{ callId: 'l', name: 'lookup' }] },
    'Found it.',
  ];

  it('a notifier that emits mid-stream ends the run after that turn’s tools, resumable to the same answer', () => {
    const ran: string[] = [];
    let interrupted: RunInterruptedEvent | undefined;
    marbles(({ hot, expectObservable }) => {
      const stop = hot('5ms x');
      const model = fakeModel(script(), { scheduler: asyncScheduler, interval: 10 });
      const agent = new Agent({ name: 'Shop', model, tools: shop(ran) });
      const events = runner.runStreamed(agent, 'Find it', { stopAfterTurn: stop });
      const labels = events.pipe(
        map((event) => {
          if (event.type === 'run-interrupted') interrupted = event;
          return label(event);
        }),
      );
      // The stop at 5 lets the turn finish: deltas at 10 and 20, the response at 30, the tool 20 later.
      expectObservable(labels).toBe('s 9ms d 9ms d 9ms (ca) 16ms (li|)', {
        s: 'turn-started',
        d: 'text-delta',
        c: 'turn-completed',
        a: 'tool-call:l',
        l: 'tool-output:l',
        i: 'run-interrupted',
      });
    });
    expect(interrupted).toMatchObject({ reason: 'stopped', interruptions: [], turn: 1 });
    expect(ran).toEqual(['lookup']);

    // Resumed elsewhere: only the second turn is left, and the answer is the uninterrupted one's.
    const rest = fakeModel(['Found it.']);
    const resumedAgent = new Agent({ name: 'Shop', model: rest, tools: shop(ran, 0) });
    const resumed = runner.runSync(resumedAgent, RunState.fromJSON(resumedAgent, JSON.stringify(interrupted!.state)));
    const whole = runner.runSync(
      new Agent({ name: 'Shop', model: fakeModel(script()), tools: shop([], 0) }),
      'Find it',
    );
    expect(resumed.status).toBe('completed');
    expect(resumed.finalOutput).toBe(whole.finalOutput);
    // The same conversation (the resumed run's model numbers its messages anew).
    const withoutIds = (items: readonly object[]) => items.map(({ id: _id, ...item }: { id?: unknown }) => item);
    expect(withoutIds(resumed.history)).toEqual(withoutIds(whole.history));
    expect(rest.requests).toHaveLength(1);
    expect(ran).toEqual(['lookup']);
  });

  it('unsubscribing still cuts at once, and unsubscribes the notifier', () => {
    marbles(({ hot, expectObservable, expectSubscriptions }) => {
      const stop = hot('30ms x');
      const model = fakeModel(script(), { scheduler: asyncScheduler, interval: 10 });
      const agent = new Agent({ name: 'Shop', model, tools: shop([]) });
      const events = runner.runStreamed(agent, 'Find it', { stopAfterTurn: stop }).pipe(map(label));
      expectObservable(events, '^ 14ms !').toBe('s 9ms d', { s: 'turn-started', d: 'text-delta' });
      expectSubscriptions(stop.subscriptions).toBe('^ 14ms !');
    });
  });

  it('a notifier that never emits changes nothing, and is unsubscribed when the run ends', () => {
    marbles(({ hot, expectObservable, expectSubscriptions }) => {
      const stop = hot('-');
      const agent = new Agent({ name: 'Shop', model: fakeModel(['Hi.'], { scheduler: asyncScheduler, interval: 10 }) });
      expectObservable(runner.runStreamed(agent, 'Hi', { stopAfterTurn: stop }).pipe(map(label))).toBe(
        's 9ms d 9ms (cf|)',
        { s: 'turn-started', d: 'text-delta', c: 'turn-completed', f: 'final-output' },
      );
      expectSubscriptions(stop.subscriptions).toBe('^ 19ms !');
    });
  });

  it('an error of the notifier fails the run', () => {
    marbles(({ hot, expectObservable }) => {
      const stop = hot('5ms #', undefined, new Error('stop button broke'));
      const agent = new Agent({
        name: 'Shop',
        model: fakeModel(['Hi there.'], { scheduler: asyncScheduler, interval: 10 }),
      });
      expectObservable(labelled(runner.runStreamed(agent, 'Hi', { stopAfterTurn: stop }))).toBe('s 4ms (e|)', {
        s: 'turn-started',
        e: '# The run failed: stop button broke',
      });
    });
  });
});

import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { nextPausable, pauseSource } from '../../src/backpressure.js';
import { ModelTimeoutError } from '../../src/errors.js';
import type { ModelEvent } from '../../src/model.js';
import { idleTimeout } from '../../src/runner/idleTimeout.js';
import { runMarbles as marbles } from '../helpers/marbles.js';

const values: Record<string, ModelEvent> = {
  r: { type: 'raw', data: {} },
  p: { type: 'progress' },
  R: {
    type: 'response',
    response: { output: [], usage: { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 } },
  },
};

describe('idleTimeout', () => {
  it('counts progress (bytes of an event still arriving) as activity, and emits no progress event', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<ModelEvent>('-r--p--p--p--R|', values);
      expectObservable(source.pipe(idleTimeout(4))).toBe('-r-----------R|', values);
      expectSubscriptions(source.subscriptions).toBe('^-------------!');
    });
  });

  it('fails a call that goes silent, progress included, and unsubscribes it', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<ModelEvent>('-r--p-------R|', values);
      expectObservable(source.pipe(idleTimeout(4))).toBe('-r------#', values, new ModelTimeoutError({ timeoutMs: 4 }));
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('early unsubscription ends the source and its timer', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<ModelEvent>('-r--p---', values);
      expectObservable(source.pipe(idleTimeout(10)), '^--!').toBe('-r-', values);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});

describe('idleTimeout under backpressure', () => {
  it('stops its timer while a consumer has paused the call, passes the pause on, and starts it again after', async () => {
    const source = new Subject<ModelEvent>();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const failures: unknown[] = [];
    source.pipe(idleTimeout(30)).subscribe({
      next: () => pauseSource(released),
      error: (error: unknown) => failures.push(error),
    });
    const paused = nextPausable(source, { type: 'raw', data: {} });
    expect(paused).toBeInstanceOf(Promise);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(failures).toEqual([]);
    release();
    await paused;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(failures).toEqual([new ModelTimeoutError({ timeoutMs: 30 })]);
  });
});

import { map, Observable, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { nextPausable, pauseSource } from '../src/backpressure.js';

describe('pauseSource / nextPausable', () => {
  it('returns nothing to wait for when no consumer asks, and false to a consumer outside a delivery', () => {
    const subject = new Subject<number>();
    const seen: number[] = [];
    subject.pipe(map((n) => n * 2)).subscribe((n) => seen.push(n));
    expect(nextPausable(subject, 1)).toBeUndefined();
    expect(seen).toEqual([2]);
    expect(pauseSource(Promise.resolve())).toBe(false);
  });

  it('hands the producer what a consumer down a synchronous chain asks to wait for', async () => {
    const subject = new Subject<number>();
    let release!: () => void;
    const drained = new Promise<void>((resolve) => (release = resolve));
    const answers: boolean[] = [];
    subject.pipe(map((n) => n + 1)).subscribe(() => answers.push(pauseSource(drained)));
    const wait = nextPausable(subject, 1);
    expect(answers).toEqual([true]);
    expect(wait).toBeInstanceOf(Promise);
    let resumed = false;
    void wait!.then(() => (resumed = true));
    await Promise.resolve();
    expect(resumed).toBe(false);
    release();
    await wait;
    expect(resumed).toBe(true);
  });

  it('waits for every pause asked in one delivery, and goes on when one rejects', async () => {
    const subject = new Subject<number>();
    let first!: () => void;
    let second!: (reason: unknown) => void;
    const a = new Promise<void>((resolve) => (first = resolve));
    const b = new Promise<void>((_, reject) => (second = reject));
    subject.subscribe(() => pauseSource(a));
    subject.subscribe(() => pauseSource(b));
    const wait = nextPausable(subject, 1)!;
    let resumed = false;
    void wait.then(() => (resumed = true));
    first();
    await new Promise((resolve) => setImmediate(resolve));
    expect(resumed).toBe(false);
    second(new Error('closed'));
    await expect(wait).resolves.toBeUndefined();
  });

  it('pauses the innermost producer delivering, and restores the outer one after', () => {
    const inner = new Subject<number>();
    const consumer = new Observable<number>((subscriber) => inner.subscribe(subscriber));
    consumer.subscribe(() => pauseSource(Promise.resolve()));
    const outer = new Subject<number>();
    let innerWait: Promise<void> | undefined;
    outer.subscribe((n) => {
      innerWait = nextPausable(inner, n);
    });
    const outerWait = nextPausable(outer, 1);
    expect(innerWait).toBeInstanceOf(Promise);
    expect(outerWait).toBeUndefined();
    expect(pauseSource(Promise.resolve())).toBe(false); // no delivery is left open
  });
});

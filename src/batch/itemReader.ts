import { isObservable, type Observable, type Subscription } from 'rxjs';
import { InvalidArgumentError } from '../errors.js';
import type { RunInput } from '../runner/runInput.js';
import type { BatchItem, BatchItems } from './batchTypes.js';

/** What the reader gives: an item, or a value at `position` that is not one (it fails as an item). */
export type ReadItem<TContext> =
  { readonly item: BatchItem<TContext> } | { readonly id: string; readonly invalid: InvalidArgumentError };

/**
 * Takes a batch's items one at a time, when the batch asks: an iterable's or async iterable's next
 * value only then (so a huge source is never read ahead), an Observable's as it emits (kept until
 * asked for). `next` gives `undefined` at the end; `close` stops the source.
 *
 * Internal to `src/batch/`.
 */
export interface ItemReader<TContext> {
  /**
   * The next item, now or later; `undefined` when there are no more; {@link notYet} when an
   * Observable has not sent one yet (the reader calls `wake` when it does).
   */
  next(): ReadItem<TContext> | undefined | typeof notYet | Promise<ReadItem<TContext> | undefined>;
  /** How many items there are, when the source says (an array). */
  readonly total: number | undefined;
  close(): void;
}

/** What an Observable's reader gives while it waits for the next value. */
export const notYet: unique symbol = Symbol('notYet');

/** `wake` is called when an Observable sends an item (or ends) after the reader said {@link notYet}. */
export function itemReader<TContext>(items: BatchItems<TContext>, wake: () => void): ItemReader<TContext> {
  let position = 0;
  const read = (value: BatchItem<TContext> | RunInput): ReadItem<TContext> => asItem(value, position++);
  if (isObservable(items)) return observableReader(items, read, wake);
  const asyncIterator = (items as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
  if (typeof asyncIterator === 'function') {
    const iterator = (items as AsyncIterable<BatchItem<TContext> | RunInput>)[Symbol.asyncIterator]();
    return {
      total: undefined,
      next: async () => {
        const result = await iterator.next();
        return result.done ? undefined : read(result.value);
      },
      close: () => void iterator.return?.()?.catch?.(() => undefined),
    };
  }
  const iterator = (items as Iterable<BatchItem<TContext> | RunInput>)[Symbol.iterator]();
  return {
    total: Array.isArray(items) ? items.length : undefined,
    next: () => {
      const result = iterator.next();
      return result.done ? undefined : read(result.value);
    },
    close: () => void iterator.return?.(),
  };
}

function observableReader<TContext>(
  items: Observable<BatchItem<TContext> | RunInput>,
  read: (value: BatchItem<TContext> | RunInput) => ReadItem<TContext>,
  wake: () => void,
): ItemReader<TContext> {
  // Kept until asked for: an Observable pushes, so what it sends ahead of the batch waits here.
  const buffered: ReadItem<TContext>[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let asleep = false;
  let subscription: Subscription | undefined;
  const arrived = (): void => {
    if (!asleep) return;
    asleep = false;
    wake();
  };
  return {
    total: undefined,
    next: () => {
      subscription ??= items.subscribe({
        next: (value) => {
          buffered.push(read(value));
          arrived();
        },
        error: (error: unknown) => {
          failure = { error };
          arrived();
        },
        complete: () => {
          ended = true;
          arrived();
        },
      });
      if (buffered.length > 0) return buffered.shift();
      if (failure) throw failure.error;
      if (ended) return undefined;
      asleep = true;
      return notYet;
    },
    close: () => subscription?.unsubscribe(),
  };
}

/** A value of the source as an item: a `BatchItem`, or a bare input whose id is its position. */
function asItem<TContext>(value: unknown, position: number): ReadItem<TContext> {
  if (typeof value === 'string' || Array.isArray(value)) {
    return { item: { id: String(position), input: value as RunInput } };
  }
  if (typeof value === 'object' && value !== null && 'input' in value) {
    const { id } = value as { id?: unknown };
    if (typeof id === 'string' && id !== '') return { item: value as BatchItem<TContext> };
    return {
      id: String(position),
      invalid: new InvalidArgumentError({
        argument: `items[${position}].id`,
        message: `an item's id must be a non-empty string; got ${JSON.stringify(id) ?? typeof id}.`,
      }),
    };
  }
  return {
    id: String(position),
    invalid: new InvalidArgumentError({
      argument: `items[${position}]`,
      message: 'an item must be { id, input, context? }, a string, or a list of input items.',
    }),
  };
}

/** An Observable wrapper that counts subscriptions and teardowns, for the adapters' specs. */
import { Observable } from 'rxjs';

/** `source`, counted: how often it was subscribed and torn down, and a promise of the first subscription. */
export interface Counted<T> {
  readonly source: Observable<T>;
  subscribed(): number;
  tornDown(): number;
  /** Resolves at the first subscription. */
  readonly firstSubscription: Promise<void>;
}

export function counted<T>(source: Observable<T>): Counted<T> {
  let subscribed = 0;
  let tornDown = 0;
  let onSubscribe!: () => void;
  const firstSubscription = new Promise<void>((resolve) => (onSubscribe = resolve));
  return {
    firstSubscription,
    source: new Observable<T>((subscriber) => {
      subscribed++;
      onSubscribe();
      const subscription = source.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        tornDown++;
      };
    }),
    subscribed: () => subscribed,
    tornDown: () => tornDown,
  };
}

/**
 * Listening to a user's `AbortSignal` with one listener per signal, however many runs share it.
 *
 * A signal is an `EventTarget`, and Node warns (`MaxListenersExceededWarning`, "possible
 * EventTarget memory leak detected") once it has more than ten `abort` listeners: a signal shared
 * by a server's concurrent runs, or by a page's many requests, looks like a leak though each run
 * removes its listener when it ends. So the runs' callbacks are kept here, in a set per signal,
 * and the signal gets a single listener that calls them all; the listener is removed when the last
 * callback is. (`AbortSignal.any([signal])` is no way around it: it adds a listener to its source
 * for every signal it makes.)
 */

interface FanOut {
  readonly callbacks: Set<() => void>;
  readonly fire: () => void;
}

const fanOuts = new WeakMap<AbortSignal, FanOut>();

/**
 * Calls `callback` once when `signal` aborts (not if it already has: check `signal.aborted`
 * first). Returns the function that stops listening; after the last one is called, the signal
 * has no listener of ours left.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let fanOut = fanOuts.get(signal);
  if (fanOut === undefined) {
    const callbacks = new Set<() => void>();
    const fire = (): void => {
      fanOuts.delete(signal);
      const all = [...callbacks];
      callbacks.clear();
      let failure: { error: unknown } | undefined;
      for (const each of all) {
        try {
          each();
        } catch (error) {
          failure ??= { error };
        }
      }
      // Reported the way the signal reports a throwing listener, after every callback has run.
      if (failure) throw failure.error;
    };
    fanOut = { callbacks, fire };
    fanOuts.set(signal, fanOut);
    signal.addEventListener('abort', fire, { once: true });
  }
  const { callbacks, fire } = fanOut;
  const entry = (): void => callback(); // its own identity: the same callback may be added twice
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0) return;
    signal.removeEventListener('abort', fire);
    if (fanOuts.get(signal)?.callbacks === callbacks) fanOuts.delete(signal);
  };
}

import { Observable } from 'rxjs';
import { nextPausable } from '../backpressure.js';
import type { ModelEvent, ModelResponse } from '../model.js';

/**
 * One model call as a cold Observable, shared by the OpenAI models.
 *
 * Internal to `src/models/`.
 */

/**
 * What a model call is given: the request's abort signal, `emit` for its `raw` and `text-delta`
 * events, and `ready`, which returns what the consumers asked to wait for (`pauseSource()`) since
 * it was last called, or `undefined` when nobody did: the call waits for it before it reads the
 * next event from the HTTP body (see `eventStreamBody.ts`), so a slow consumer pauses the model's socket.
 */
export type ModelCallBody = (
  signal: AbortSignal,
  emit: (event: ModelEvent) => void,
  ready: () => Promise<void> | undefined,
) => Promise<ModelResponse>;

const ignore = (): void => undefined;

/**
 * Runs `call` once per subscription, with an `AbortController` made inside the subscribe function
 * (so every subscriber has its own request) and aborted by the teardown.
 *
 * `call` emits `raw` and `text-delta` events through `emit` and resolves with the finished
 * response, which is emitted last as the one `response` event. A rejection becomes `fail(error)`.
 * Once the subscriber has unsubscribed nothing more is emitted, and whatever the abort makes the
 * SDK throw is dropped: our own unsubscription is never an error. Each event is delivered with
 * `nextPausable()`; a wait a consumer asks for ends early when the call is unsubscribed, so a
 * paused call never outlives its subscriber.
 */
export function modelCall(call: ModelCallBody, fail: (error: unknown) => unknown): Observable<ModelEvent> {
  return new Observable<ModelEvent>((subscriber) => {
    const controller = new AbortController();
    const { signal } = controller;
    let paused: Promise<void> | undefined;
    let aborted: Promise<void> | undefined;
    const emit = (event: ModelEvent): void => {
      if (signal.aborted) return;
      const until = nextPausable(subscriber, event);
      if (until !== undefined) paused = paused === undefined ? until : Promise.all([paused, until]).then(ignore);
    };
    const ready = (): Promise<void> | undefined => {
      const until = paused;
      paused = undefined;
      if (until === undefined || signal.aborted) return undefined;
      aborted ??= new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return Promise.race([until, aborted]);
    };
    // Whether the call answered: its body is read to the end, and there is nothing to abort.
    let answered = false;
    call(signal, emit, ready).then(
      (response) => {
        if (signal.aborted) return;
        answered = true;
        subscriber.next({ type: 'response', response });
        subscriber.complete();
      },
      (error: unknown) => {
        if (signal.aborted) return;
        // Never a rejection of its own: one thrown here would be unhandled, and end the process.
        let failure: unknown = error;
        try {
          failure = fail(error);
        } catch {
          // The error as it came.
        }
        subscriber.error(failure);
      },
    );
    // Aborting costs an AbortError (a DOMException) and the SDK's listeners, per call (measured
    // in bench/ as a few per cent of a batch of short runs): done only for a call that is not over.
    return () => {
      if (!answered) controller.abort();
    };
  });
}

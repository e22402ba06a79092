import { Observable } from 'rxjs';
import type { ModelEvent, ModelResponse } from '../model.js';

/**
 * One model call as a cold Observable, shared by the OpenAI models.
 *
 * Internal to `src/models/`.
 */

/**
 * Runs `call` once per subscription, with an `AbortController` made inside the subscribe function
 * (so every subscriber has its own request) and aborted by the teardown.
 *
 * `call` emits `raw` and `text-delta` events through `emit` and resolves with the finished
 * response, which is emitted last as the one `response` event. A rejection becomes `fail(error)`.
 * Once the subscriber has unsubscribed nothing more is emitted, and whatever the abort makes the
 * SDK throw is dropped: our own unsubscription is never an error.
 */
export function modelCall(
  call: (signal: AbortSignal, emit: (event: ModelEvent) => void) => Promise<ModelResponse>,
  fail: (error: unknown) => unknown,
): Observable<ModelEvent> {
  return new Observable<ModelEvent>((subscriber) => {
    const controller = new AbortController();
    const { signal } = controller;
    const emit = (event: ModelEvent): void => {
      if (!signal.aborted) subscriber.next(event);
    };
    call(signal, emit).then(
      (response) => {
        if (signal.aborted) return;
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
    return () => controller.abort();
  });
}

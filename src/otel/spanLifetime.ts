import { context as otelContext, trace, type Span } from '@opentelemetry/api';
import { Observable, tap } from 'rxjs';
import { guarded } from './attributes.js';
import type { OpenSpan, SpanParent } from './setup.js';

/** How the work a span covers ended: with an error, completed, or cut short (unsubscribed, or the run ended first). */
export type SpanOutcome = { readonly error: unknown } | 'completed' | 'cancelled';

/**
 * `work` as the span covers it: subscribed in `span`'s context (so what it starts — an HTTP
 * request, a tool's own spans — is the span's child), each value shown to `watch`, and the span
 * ended once, after `record` has written what the outcome says on it: when the work errors,
 * completes, is unsubscribed, or its run ends first (the run's trace cancels the spans it holds
 * open). A `tap` subscribed with the downstream subscriber: the lightest hop RxJS's public API
 * gives, and every event of a model call passes it.
 *
 * Internal to `src/otel/`.
 */
export function inSpan<T>(
  parent: SpanParent,
  span: Span,
  work: Observable<T>,
  watch: (value: T) => void,
  record: (outcome: SpanOutcome) => void,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let ended = false;
    const end = (outcome: SpanOutcome): void => {
      if (ended) return;
      ended = true;
      parent.closed(open);
      guarded(() => record(outcome));
      span.end();
    };
    const open: OpenSpan = { cancel: () => end('cancelled') };
    parent.opened(open);
    const subscription = otelContext.with(trace.setSpan(parent.context(), span), () =>
      work
        .pipe(
          tap({
            next: watch,
            error: (error: unknown) => end({ error }),
            complete: () => end('completed'),
          }),
        )
        .subscribe(subscriber),
    );
    return () => {
      subscription.unsubscribe();
      end('cancelled');
    };
  });
}

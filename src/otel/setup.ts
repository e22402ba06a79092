import type { Context, Tracer } from '@opentelemetry/api';
import type { ModelDescription } from '../model.js';
import type { TracedAgent } from '../tracing.js';
import type { Instruments } from './instruments.js';

/**
 * What every span of one `openTelemetry()` is made with.
 *
 * Internal to `src/otel/`.
 */
export interface OtelSetup {
  readonly tracer: Tracer;
  /** The metrics, made on first use (a meter taken from the global API before the SDK registers one is a no-op for good). */
  instruments(): Instruments;
  readonly captureContent: boolean;
}

/**
 * A span a run holds open besides its own: ended, as cancelled, when the run ends first (a tool
 * that the run's failure unsubscribes is ended before the run's span, not after).
 */
export interface OpenSpan {
  cancel(): void;
}

/** Where a model call's or tool call's span goes, and what it tells the run's span. */
export interface SpanParent {
  readonly setup: OtelSetup;
  /** The context of the span the new one goes under (the active agent's). */
  context(): Context;
  opened(span: OpenSpan): void;
  closed(span: OpenSpan): void;
  /**
   * A model call of `agent` starts, on `model`: what the agent's span says of both (its provider
   * and request model are its first call's).
   */
  modelCalled(agent: TracedAgent, model: ModelDescription): void;
}

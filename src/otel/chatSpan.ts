import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { defer, type Observable } from 'rxjs';
import type { ModelDescription, ModelEvent, ModelResponse } from '../model.js';
import type { TracedModelCall } from '../tracing.js';
import { attr, defined, errorType, guarded } from './attributes.js';
import { instructionsOf, messagesOf } from './messages.js';
import { ResponseDetails } from './responseDetails.js';
import type { SpanParent } from './setup.js';
import { inSpan, type SpanOutcome } from './spanLifetime.js';

/**
 * One attempt of a model call as a `chat {model}` span (kind `CLIENT`) under the agent's span,
 * with the attempt subscribed in the span's context, so that the HTTP request the model makes —
 * traced by `@opentelemetry/instrumentation-undici`, or by the user's own fetch instrumentation —
 * is its child. The span has the request's model and settings, and, as the response arrives, the
 * time to its first chunk, its id, model, finish reasons and usage; with `captureContent`, the
 * instructions, the input and the output. It ends with the attempt: `ERROR` and `error.type` when
 * it fails (an idle timeout's `ModelTimeoutError` included), unset with `rxjs_agents.cancelled`
 * when it is unsubscribed (a cancelled run, a guardrail's trip). Each attempt also records
 * `gen_ai.client.operation.duration` (with `error.type`, `'cancelled'` for a cancelled one) and
 * `gen_ai.client.token.usage`.
 *
 * Internal to `src/otel/`.
 */
export function chatSpan(
  parent: SpanParent,
  call: TracedModelCall,
  attempt: Observable<ModelEvent>,
): Observable<ModelEvent> {
  return defer(() => {
    const { setup } = parent;
    const description = describeModel(call);
    parent.modelCalled(call.agent, description);
    const common = defined({
      [attr.operationName]: 'chat',
      [attr.providerName]: description.provider,
      [attr.requestModel]: description.model,
      [attr.serverAddress]: description.serverAddress,
      [attr.serverPort]: description.serverPort,
    });
    const { request } = call;
    const { settings } = request;
    const span = setup.tracer.startSpan(
      `chat ${description.model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          ...common,
          ...defined({
            [attr.temperature]: settings.temperature,
            [attr.topP]: settings.topP,
            [attr.maxTokens]: settings.maxOutputTokens,
            [attr.outputType]: request.outputSchema ? 'json' : 'text',
            [attr.conversationId]: request.conversationId,
            [attr.agentName]: call.agent.name,
            [attr.turn]: call.turn,
            [attr.attempt]: call.attempt,
          }),
        },
      },
      parent.context(),
    );
    if (setup.captureContent) {
      guarded(() => {
        if (request.instructions !== undefined)
          span.setAttribute(attr.systemInstructions, instructionsOf(request.instructions));
        span.setAttribute(attr.inputMessages, messagesOf(request.input));
      });
    }
    const started = performance.now();
    const details = new ResponseDetails();
    let firstChunk: number | undefined;
    let response: ModelResponse | undefined;

    const watch = (event: ModelEvent): void => {
      try {
        if (firstChunk === undefined && event.type !== 'progress' && event.type !== 'rate-limits') {
          firstChunk = (performance.now() - started) / 1000;
        }
        if (event.type === 'raw') details.read(event.data);
        else if (event.type === 'response') response = event.response;
      } catch {
        // A custom model's event that is not an object: the run rejects it, not the tracer.
      }
    };
    const record = (outcome: SpanOutcome): void => {
      const seconds = (performance.now() - started) / 1000;
      const responseModel = details.model;
      const metricAttributes: Attributes = { ...common, ...defined({ [attr.responseModel]: responseModel }) };
      const instruments = setup.instruments();
      if (firstChunk !== undefined) {
        span.setAttribute(attr.timeToFirstChunk, firstChunk);
        instruments.timeToFirstChunk.record(firstChunk, metricAttributes);
      }
      span.setAttributes(
        defined({
          [attr.responseModel]: responseModel,
          [attr.responseId]: response?.id,
          [attr.finishReasons]: details.finishReasons.length > 0 ? details.finishReasons : undefined,
          [attr.inputTokens]: response?.usage.inputTokens,
          [attr.outputTokens]: response?.usage.outputTokens,
          [attr.cachedInputTokens]: details.cachedInputTokens,
          [attr.reasoningTokens]: details.reasoningTokens,
        }),
      );
      if (response) {
        instruments.tokenUsage.record(response.usage.inputTokens, { ...metricAttributes, [attr.tokenType]: 'input' });
        instruments.tokenUsage.record(response.usage.outputTokens, {
          ...metricAttributes,
          [attr.tokenType]: 'output',
        });
        if (setup.captureContent) {
          span.setAttribute(attr.outputMessages, messagesOf(response.output, details.finishReasons[0]));
        }
      }
      if (typeof outcome === 'object') {
        const type = errorType(outcome.error);
        span.setAttribute(attr.errorType, type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(outcome.error) });
        instruments.duration.record(seconds, { ...metricAttributes, [attr.errorType]: type });
      } else if (outcome === 'cancelled') {
        span.setAttribute(attr.cancelled, true);
        instruments.duration.record(seconds, { ...metricAttributes, [attr.errorType]: 'cancelled' });
      } else {
        instruments.duration.record(seconds, metricAttributes);
      }
    };
    return inSpan(parent, span, attempt, watch, record);
  });
}

/** The model as the span names it: its own description, or its `name` for a model without one. */
function describeModel(call: TracedModelCall): ModelDescription {
  const { model } = call;
  try {
    const description = model.describe?.();
    if (description && typeof description.model === 'string' && typeof description.provider === 'string') {
      return description;
    }
  } catch {
    // A custom model whose describe() throws is traced by its name.
  }
  return { model: model.name, provider: model.name };
}

/** An error's message for the span's status (our errors never hold the API key). */
export function messageOf(error: unknown): string | undefined {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : undefined;
}

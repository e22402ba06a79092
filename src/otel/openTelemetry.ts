import { context, diag, metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import { InvalidArgumentError } from '../errors.js';
import type { RunTrace, Tracing } from '../tracing.js';
import { instrumentsOf, type Instruments } from './instruments.js';
import { OtelRunTrace } from './runTrace.js';
import type { OtelSetup } from './setup.js';

/** The name and version the spans and metrics are reported under (the instrumentation scope). */
const scope = { name: 'rxjs-agents', version: '0.1.0' } as const;

/** The options of {@link openTelemetry}. */
export interface OpenTelemetryOptions {
  /** Where the spans go (default: the global tracer provider's tracer `rxjs-agents`). */
  readonly tracer?: Tracer;
  /** Where the metrics go (default: the global meter provider's meter `rxjs-agents`, taken on the first run). */
  readonly meter?: Meter;
  /**
   * Record the conversation: instructions, input and output messages, tool arguments and results
   * (`gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`). Default `false`: they may hold
   * what users said, and they are large. The API key is never recorded.
   */
  readonly captureContent?: boolean;
}

/**
 * Traces runs with OpenTelemetry, as the GenAI semantic conventions name their spans and metrics:
 * `invoke_agent {agent}` for a run (and for each agent a handoff switches to, under the run's),
 * `chat {model}` for each model call attempt, `execute_tool {tool}` for each tool call;
 * `gen_ai.client.operation.duration`, `gen_ai.client.token.usage` and
 * `gen_ai.client.operation.time_to_first_chunk`.
 *
 * A model's HTTP request runs in its `chat` span's context, and a tool's `execute` in its
 * `execute_tool` span's, so what they trace (`@opentelemetry/instrumentation-undici`'s HTTP spans,
 * a database client's) nests under them — given a context manager (the Node SDK registers one).
 *
 * ```ts
 * import { Runner } from 'rxjs-agents';
 * import { openTelemetry } from 'rxjs-agents/otel';
 *
 * const runner = new Runner({ tracing: openTelemetry() });
 * ```
 *
 * @param options `tracer`, `meter`, `captureContent`.
 * @returns What `new Runner({ tracing })` and a run's `tracing` option take.
 * @throws InvalidArgumentError naming the option that is wrong.
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): Tracing {
  checkOptions(options);
  const tracer = options.tracer ?? trace.getTracer(scope.name, scope.version);
  let instruments: Instruments | undefined;
  const setup: OtelSetup = {
    tracer,
    // Taken on first use: the global API hands out a no-op meter, for good, before the SDK is registered.
    instruments: () => (instruments ??= instrumentsOf(options.meter ?? metrics.getMeter(scope.name, scope.version))),
    captureContent: options.captureContent ?? false,
  };
  return {
    startRun: (start): RunTrace => {
      try {
        return new OtelRunTrace(setup, start, context.active());
      } catch (error) {
        diag.error('rxjs-agents/otel: the run could not be traced', error);
        return untraced;
      }
    },
  };
}

/** The trace of a run whose span could not be started: it watches nothing. */
const untraced: RunTrace = {
  event: () => undefined,
  modelCall: (_call, attempt) => attempt,
  toolCall: (_call, execution) => execution,
  end: () => undefined,
};

function checkOptions(options: unknown): asserts options is OpenTelemetryOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      argument: 'options',
      message: 'openTelemetry() takes an object of options ({ tracer?, meter?, captureContent? }).',
    });
  }
  const { tracer, meter, captureContent } = options as Record<string, unknown>;
  if (tracer !== undefined && !hasMethod(tracer, 'startSpan')) {
    throw new InvalidArgumentError({
      argument: 'tracer',
      message: "tracer must be an OpenTelemetry Tracer (for example provider.getTracer('my-app')).",
    });
  }
  if (meter !== undefined && !hasMethod(meter, 'createHistogram')) {
    throw new InvalidArgumentError({
      argument: 'meter',
      message: "meter must be an OpenTelemetry Meter (for example provider.getMeter('my-app')).",
    });
  }
  if (captureContent !== undefined && typeof captureContent !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'captureContent',
      message: `captureContent must be true or false; got ${JSON.stringify(captureContent) ?? typeof captureContent}.`,
    });
  }
}

function hasMethod(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';
}

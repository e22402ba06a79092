import type { Histogram, Meter } from '@opentelemetry/api';

/**
 * The GenAI conventions' client metrics, made once per `openTelemetry()` on its meter, with the
 * bucket boundaries the conventions advise.
 *
 * Internal to `src/otel/`.
 */
export interface Instruments {
  /** `gen_ai.client.operation.duration`, in seconds, per model call attempt. */
  readonly duration: Histogram;
  /** `gen_ai.client.token.usage`, per model response and token type (`input`, `output`). */
  readonly tokenUsage: Histogram;
  /** `gen_ai.client.operation.time_to_first_chunk`, in seconds, per streamed attempt. */
  readonly timeToFirstChunk: Histogram;
}

const durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

export function instrumentsOf(meter: Meter): Instruments {
  return {
    duration: meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: durationBuckets },
    }),
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: tokenBuckets },
    }),
    timeToFirstChunk: meter.createHistogram('gen_ai.client.operation.time_to_first_chunk', {
      description: 'Time to receive the first chunk of a streamed response.',
      unit: 's',
      advice: { explicitBucketBoundaries: durationBuckets },
    }),
  };
}

// `rxjs-agents/otel`: runs traced with OpenTelemetry, as its GenAI semantic conventions name spans
// and metrics, over `@opentelemetry/api`, an optional peer dependency loaded only by this entry.

export { openTelemetry } from './openTelemetry.js';
export type { OpenTelemetryOptions } from './openTelemetry.js';

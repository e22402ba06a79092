/**
 * What the Batch API checks before a job exists: the server's `batches` options (with their
 * defaults), and a create request itself (refused with a 400 naming the parameter, as OpenAI
 * refuses one; what is wrong inside the input file fails the job later, see `batchLines.ts`).
 */
import { InvalidArgumentError } from '../../errors.js';
import type { JsonAnswer } from './conversations.js';
import type { FileStore } from './files.js';
import { errorBody } from './respond.js';
import type { BatchOptions } from './types.js';

const endpoints: readonly string[] = ['/v1/responses', '/v1/chat/completions'];

const badRequest = (message: string, param: string | null): JsonAnswer => ({
  status: 400,
  body: errorBody(400, message, null, param ?? undefined),
});

/** A value of the options, for a message. */
export function shown(value: unknown): string {
  return typeof value === 'number' || typeof value === 'function'
    ? String(value)
    : (JSON.stringify(value) ?? typeof value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCount(value: unknown, name: string, least: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw new InvalidArgumentError({
      argument: `options.batches.${name}`,
      message: `an integer ≥ ${least}; got ${shown(value)}.`,
    });
  }
  return value;
}

/** The batch options, checked, with their defaults. Throws `InvalidArgumentError` naming the field. */
export function batchSettings(options: BatchOptions | undefined): Required<BatchOptions> {
  if (options !== undefined && !isRecord(options)) {
    throw new InvalidArgumentError({ argument: 'options.batches', message: `an object; got ${shown(options)}.` });
  }
  const outcome: unknown = options?.outcome ?? 'completed';
  if (outcome !== 'completed' && outcome !== 'failed' && outcome !== 'expired') {
    throw new InvalidArgumentError({
      argument: 'options.batches.outcome',
      message: `'completed', 'failed' or 'expired'; got ${String(outcome)}.`,
    });
  }
  return {
    stepMs: checkCount(options?.stepMs, 'stepMs', 0) ?? 20,
    linesPerStep: checkCount(options?.linesPerStep, 'linesPerStep', 1) ?? 10,
    outcome,
    maxRequests: checkCount(options?.maxRequests, 'maxRequests', 1) ?? 50_000,
    maxFileBytes: checkCount(options?.maxFileBytes, 'maxFileBytes', 1) ?? 200 * 1024 * 1024,
  };
}

/** Why a create request is refused (an HTTP 400), or `undefined` when it is sound. */
export function createRefusal(fields: Record<string, unknown>, files: FileStore): JsonAnswer | undefined {
  const { input_file_id: fileId, endpoint, completion_window: window, metadata } = fields;
  if (typeof fileId !== 'string') return badRequest("Missing required parameter: 'input_file_id'.", 'input_file_id');
  const file = files.get(fileId);
  if (file === undefined) return badRequest(`No such File object: ${fileId}`, 'input_file_id');
  if (file.object.purpose !== 'batch') {
    return badRequest(`The file ${fileId} has purpose '${file.object.purpose}', not 'batch'.`, 'input_file_id');
  }
  if (typeof endpoint !== 'string' || !endpoints.includes(endpoint)) {
    const message = `endpoint must be one of ${endpoints.join(', ')} (the endpoints the rxjs-agents local server answers); got ${String(endpoint)}.`;
    return badRequest(message, 'endpoint');
  }
  if (window !== '24h')
    return badRequest(`completion_window must be '24h'; got ${String(window)}.`, 'completion_window');
  if (metadata === undefined || metadata === null) return undefined;
  const entries = isRecord(metadata) ? Object.entries(metadata) : undefined;
  const sound =
    entries !== undefined &&
    entries.length <= 16 &&
    entries.every(([key, value]) => key.length <= 64 && typeof value === 'string' && value.length <= 512);
  return sound
    ? undefined
    : badRequest('metadata must be at most 16 string pairs, keys ≤ 64 and values ≤ 512 characters.', 'metadata');
}

/**
 * The lines of the Batch API's files: the input file read and checked as OpenAI checks it at
 * validation (each error naming its 1-based line, so a bad file fails the batch with
 * `errors.data` instead of an HTTP error), and the output and error files' lines written in
 * OpenAI's shape, `{ id, custom_id, response: { status_code, request_id, body }, error }`.
 */
import type { BatchError, BatchUsage } from 'openai/resources/batches';

/** One request of a batch's input file. */
export interface BatchLine {
  readonly customId: string;
  readonly body: Record<string, unknown>;
}

/** The input file, read: its requests, or why the batch fails. */
export type ReadLines =
  | { readonly ok: true; readonly lines: readonly BatchLine[]; readonly model: string | undefined }
  | { readonly ok: false; readonly errors: readonly BatchError[] };

/** The most errors a failed batch lists (the file may hold many more). */
const maxErrors = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const lineError = (code: string, message: string, line: number | null, param: string | null = null): BatchError => ({
  code,
  message,
  param,
  line,
});

/** Checks one parsed line; returns its request or its error. */
function checkLine(value: unknown, line: number, endpoint: string): BatchLine | BatchError {
  if (!isRecord(value)) return lineError('invalid_json_line', 'This line is not a JSON object.', line);
  for (const param of ['custom_id', 'method', 'url', 'body'] as const) {
    if (value[param] === undefined) {
      return lineError('missing_required_parameter', `Missing required parameter: '${param}'.`, line, param);
    }
  }
  const { custom_id: customId, method, url, body } = value;
  if (typeof customId !== 'string' || customId === '') {
    return lineError('invalid_value', 'custom_id must be a non-empty string.', line, 'custom_id');
  }
  if (method !== 'POST') {
    return lineError('invalid_value', `method must be 'POST'; got ${JSON.stringify(method)}.`, line, 'method');
  }
  if (url !== endpoint) {
    const message = `The URL provided for this request does not match the batch endpoint: ${JSON.stringify(url)}, not '${endpoint}'.`;
    return lineError('url_mismatch', message, line, 'url');
  }
  if (!isRecord(body)) return lineError('invalid_value', 'body must be a JSON object.', line, 'body');
  return { customId, body };
}

/**
 * Reads a batch's input file as OpenAI validates it: JSON lines (blank lines skipped) of
 * `{ custom_id, method: 'POST', url, body }`, `url` the batch's `endpoint`, `custom_id`s unique,
 * one `body.model` for all, at most `maxRequests` lines, not empty.
 */
export function readBatchLines(content: Buffer, endpoint: string, maxRequests: number): ReadLines {
  const errors: BatchError[] = [];
  const lines: BatchLine[] = [];
  const seen = new Set<string>();
  let model: string | undefined;
  const texts = content.toString('utf8').split('\n');
  const count = texts.filter((text) => text.trim() !== '').length;
  if (count === 0) return { ok: false, errors: [lineError('empty_file', 'The input file has no requests.', null)] };
  if (count > maxRequests) {
    const message = `The input file has ${count} requests; a batch may have at most ${maxRequests}.`;
    return { ok: false, errors: [lineError('too_many_tasks', message, null)] };
  }
  texts.forEach((text, index) => {
    if (text.trim() === '' || errors.length >= maxErrors) return;
    const number = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      errors.push(lineError('invalid_json_line', 'This line is not parseable as valid JSON.', number));
      return;
    }
    const checked = checkLine(value, number, endpoint);
    if (!('customId' in checked)) return void errors.push(checked);
    if (seen.has(checked.customId)) {
      const message = `The custom_id '${checked.customId}' is a duplicate of another request's: each must be unique in a batch.`;
      return void errors.push(lineError('duplicate_custom_id', message, number, 'custom_id'));
    }
    seen.add(checked.customId);
    const lineModel = typeof checked.body['model'] === 'string' ? checked.body['model'] : undefined;
    if (lines.length === 0) model = lineModel;
    else if (lineModel !== model) {
      const message = `Every request of a batch must use the same model: ${String(lineModel)}, not ${String(model)}.`;
      return void errors.push(lineError('model_mismatch', message, number, 'body.model'));
    }
    lines.push(checked);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines, model };
}

/** One line of an output or error file. */
export interface OutputLine {
  readonly id: string;
  readonly custom_id: string;
  readonly response: { readonly status_code: number; readonly request_id: string; readonly body: unknown } | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** The line of an expired request, which was never answered. */
export function expiredLine(id: string, customId: string): OutputLine {
  const message = 'This request could not be executed before the completion window expired.';
  return { id, custom_id: customId, response: null, error: { code: 'batch_expired', message } };
}

/** A file's bytes: one JSON line per entry, each ended by `\n`. */
export function jsonl(lines: readonly OutputLine[]): Buffer {
  return Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

/** No tokens yet. */
export function emptyUsage(): BatchUsage {
  return {
    input_tokens: 0,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 0,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 0,
  };
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Adds the usage an answer's body reports (the Responses API's or Chat Completions') to `usage`. */
export function addUsage(usage: BatchUsage, body: unknown): void {
  const reported = isRecord(body) && isRecord(body['usage']) ? body['usage'] : undefined;
  if (reported === undefined) return;
  const input = count(reported['input_tokens'] ?? reported['prompt_tokens']);
  const output = count(reported['output_tokens'] ?? reported['completion_tokens']);
  const inputDetails = reported['input_tokens_details'] ?? reported['prompt_tokens_details'];
  const outputDetails = reported['output_tokens_details'] ?? reported['completion_tokens_details'];
  usage.input_tokens += input;
  usage.output_tokens += output;
  usage.total_tokens += count(reported['total_tokens'] ?? input + output);
  usage.input_tokens_details.cached_tokens += count(isRecord(inputDetails) ? inputDetails['cached_tokens'] : 0);
  usage.output_tokens_details.reasoning_tokens += count(
    isRecord(outputDetails) ? outputDetails['reasoning_tokens'] : 0,
  );
}

/**
 * `rxjs-agents batch`'s command line: the usage and the flags, read without loading the library,
 * so a wrong command line is told at once. `batchCommand.ts` runs what it describes.
 */
import { parseArgs } from 'node:util';
import { messageOf } from './jsonLinesInput.js';
import { UsageError } from './serveCommand.js';

export const batchUsage = `Usage: rxjs-agents batch <agent-module> <input.jsonl> --out <answers.jsonl> [options]

Runs the agent that <agent-module> exports (export default new Agent(...), or
export const agent) once per line of <input.jsonl>, a few at a time, and appends
each finished item to --out as one JSON line:
  {"id":"q1","status":"completed","finalOutput":...,"usage":{...}}
  {"id":"q2","status":"failed","error":{"name":...,"message":...},"usage":{...}}
Input lines: {"id":"q1","input":"...","context":{...}} (context optional), or a
bare JSON string, whose id is its 0-based position among the non-empty lines.
The module is imported from the current directory (.js or .mjs; .ts when node
runs under a TypeScript loader such as tsx). Its model reads OPENAI_API_KEY
and OPENAI_BASE_URL as usual.

Options:
  --out <file>           the results, and the checkpoint --resume goes on from
                         (required; an existing non-empty file needs --resume)
  --resume               skip the ids already in --out and go on
  --concurrency <n>      the most runs at once (default 8; with --engine
                         openai-batch, the most items a round holds, default all)
  --rpm <n>              the most model requests per minute (default: no limit)
  --tpm <n>              the most tokens per minute (default: no limit)
  --context <json>       every run's context (a line's own "context" wins)
  --engine openai-batch  make the model calls as jobs of OpenAI's Batch API, in
                         rounds (half the price, answered within 24 hours); tools
                         still run here. --out records the jobs too, so --resume
                         polls them instead of paying for them twice
  --endpoint <api>       with --engine openai-batch: responses (default) or chat
  --poll <seconds>       with --engine openai-batch: how often to poll a job at
                         first (default 10; it backs off to 60 while nothing changes)
  -h, --help             print this help

Progress goes to stderr (a bar on a terminal, a line every 2 s otherwise), then
a summary. Ctrl+C (or SIGTERM) cancels the runs in flight; finished items are
already in --out, and --resume goes on from them.
Exit codes: 0 when every item completed, 1 when some failed, 2 when the command
line, a file or the agent module is wrong, 130 after SIGINT, 143 after SIGTERM.`;

/** What `rxjs-agents batch` was asked to do. */
export interface BatchConfig {
  readonly help: boolean;
  readonly agentModule: string;
  readonly input: string;
  readonly out: string;
  readonly resume: boolean;
  readonly concurrency: number | undefined;
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
  /** The parsed `--context`, when given. */
  readonly context: { readonly value: unknown } | undefined;
  /** `--engine openai-batch`: the Batch API's endpoint and first poll interval (ms). */
  readonly batchApi: { readonly endpoint: 'responses' | 'chat'; readonly pollIntervalMs: number } | undefined;
}

function positive(flag: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    throw new UsageError({ message: `${flag} takes a whole number from 1 to ${max}; got '${text}'.` });
  }
  return value;
}

function json(flag: string, text: string | undefined): { readonly value: unknown } | undefined {
  if (text === undefined) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new UsageError({ message: `${flag} takes JSON, such as '{"user":"ada"}'; ${messageOf(error)}.` });
  }
}

/** Reads `rxjs-agents batch`'s flags; throws `UsageError` for anything wrong with them. */
export function parseBatchArgs(args: readonly string[]): BatchConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        resume: { type: 'boolean' },
        concurrency: { type: 'string' },
        rpm: { type: 'string' },
        tpm: { type: 'string' },
        context: { type: 'string' },
        engine: { type: 'string' },
        endpoint: { type: 'string' },
        poll: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError({ message: messageOf(error) });
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  const batchApi = engineOf(values);
  const [agentModule = '', input = '', ...extra] = positionals;
  if (!help) {
    if (extra.length > 0) throw new UsageError({ message: `Unexpected argument '${extra[0]}'.` });
    if (input === '') {
      throw new UsageError({
        message:
          'give the agent module and the input file: rxjs-agents batch ./agent.js questions.jsonl --out answers.jsonl',
      });
    }
    if (values.out === undefined || values.out === '') {
      throw new UsageError({
        message: '--out <answers.jsonl> is required: the results, and the checkpoint to resume from.',
      });
    }
  }
  return {
    help,
    agentModule,
    input,
    out: values.out ?? '',
    resume: values.resume === true,
    concurrency: positive('--concurrency', values.concurrency, 10_000),
    requestsPerMinute: positive('--rpm', values.rpm, 1_000_000_000),
    tokensPerMinute: positive('--tpm', values.tpm, 1_000_000_000),
    context: json('--context', values.context),
    batchApi,
  };
}

/** `--engine` and the flags that only it takes. */
function engineOf(values: {
  engine?: string | undefined;
  endpoint?: string | undefined;
  poll?: string | undefined;
  rpm?: string | undefined;
  tpm?: string | undefined;
}): BatchConfig['batchApi'] {
  if (values.engine === undefined) {
    for (const flag of ['endpoint', 'poll'] as const) {
      if (values[flag] !== undefined) throw new UsageError({ message: `--${flag} goes with --engine openai-batch.` });
    }
    return undefined;
  }
  if (values.engine !== 'openai-batch') {
    throw new UsageError({ message: `--engine takes openai-batch; got '${values.engine}'.` });
  }
  for (const flag of ['rpm', 'tpm'] as const) {
    if (values[flag] !== undefined) {
      throw new UsageError({ message: `--${flag} paces calls made here; the Batch API has limits of its own.` });
    }
  }
  const endpoint = values.endpoint ?? 'responses';
  if (endpoint !== 'responses' && endpoint !== 'chat') {
    throw new UsageError({ message: `--endpoint takes responses or chat; got '${endpoint}'.` });
  }
  const seconds = values.poll === undefined ? 10 : Number(values.poll);
  if (values.poll !== undefined && (!/^\d+(\.\d+)?$/.test(values.poll) || seconds <= 0 || seconds > 3600)) {
    throw new UsageError({ message: `--poll takes seconds, above 0 and at most 3600; got '${values.poll}'.` });
  }
  return { endpoint, pollIntervalMs: Math.round(seconds * 1000) };
}

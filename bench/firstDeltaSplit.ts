/**
 * Where the time to the first delta goes, for the raw `openai` SDK and for rxjs-agents, over the
 * wire from the pre-encoded bench server (`lib/preEncodedServer.ts`): a 20-delta answer, runs
 * alternating, each run split at the moments the client's `fetch` is called, its response's
 * headers arrive and its body's first chunk is read.
 *
 *   npm run build && TSX_TSCONFIG_PATH=bench/tsconfig.json node --expose-gc --import tsx bench/firstDeltaSplit.ts [runs]
 *
 * Phases (medians, ms): `setup` from the call to `fetch`, for rxjs-agents also split at the
 * model's `stream()` (`runner`, then `model`); `http` from `fetch` to the headers; `body` to the
 * first chunk; `parse` from the first chunk to the first delta. The raw SDK is run with and without
 * an `AbortSignal` (rxjs-agents always gives one, so that unsubscribing aborts the request).
 */
import OpenAI from 'openai';
import { Agent, OpenAIResponsesModel, runStreamed, type Model } from 'rxjs-agents';
import { startBenchServer } from './lib/server.js';
import { makeDeltas, median } from './lib/stats.js';

type Phase = 'runner' | 'model' | 'setup' | 'http' | 'body' | 'parse' | 'total';
interface Marks {
  stream?: number;
  fetch?: number;
  headers?: number;
  firstRead?: number;
}

const runs = Number(process.argv[2] ?? 600);
const warmups = Math.min(100, Math.floor(runs / 5));
const server = await startBenchServer({ preEncoded: true });
let marks: Marks = {};

/** The real fetch, with the moments of the call, the headers and the first chunk noted. */
const markedFetch: typeof fetch = async (input, init) => {
  marks.fetch = performance.now();
  const response = await fetch(input, init);
  marks.headers = performance.now();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      marks.firstRead ??= performance.now();
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
};

const client = new OpenAI({ baseURL: server.url, apiKey: 'sk-bench', maxRetries: 0, fetch: markedFetch });
const responses = new OpenAIResponsesModel({ model: 'gpt-4.1-mini', client });
const model: Model = {
  name: responses.name,
  stream: (request) => {
    marks.stream = performance.now();
    return responses.stream(request);
  },
};
const agent = new Agent({ name: 'Assistant', instructions: 'You are a helpful assistant.', model });

const contenders: Record<string, () => Promise<number>> = {
  'openai SDK': () => sdkFirstDelta(undefined),
  'openai SDK with a signal': () => sdkFirstDelta(new AbortController().signal),
  'rxjs-agents': () =>
    new Promise<number>((resolve, reject) => {
      let first = Number.NaN;
      runStreamed(agent, 'Tell me a story.').subscribe({
        next: (event) => {
          if (event.type === 'text-delta' && Number.isNaN(first)) first = performance.now();
        },
        error: reject,
        complete: () => resolve(first),
      });
    }),
};

async function sdkFirstDelta(signal: AbortSignal | undefined): Promise<number> {
  let first = Number.NaN;
  const stream = await client.responses.create(
    { model: 'gpt-4.1-mini', instructions: 'You are a helpful assistant.', input: 'Tell me a story.', stream: true },
    signal ? { signal } : {},
  );
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta' && Number.isNaN(first)) first = performance.now();
  }
  return first;
}

const names = Object.keys(contenders);
const phases = new Map(names.map((name) => [name, new Map<Phase, number[]>()]));
const turn = { text: makeDeltas(20) };
for (let run = -warmups; run < runs; run++) {
  await server.push(turn, names.length);
  // Alternating the order, so that no one always follows the same contender.
  for (const name of run % 2 ? names : [...names].reverse()) {
    marks = {};
    const start = performance.now();
    const first = await (contenders[name] as () => Promise<number>)();
    if (run < 0) continue;
    const { stream, fetch: fetched = Number.NaN, headers = Number.NaN, firstRead = Number.NaN } = marks;
    const put = (phase: Phase, ms: number): void => {
      const row = phases.get(name) as Map<Phase, number[]>;
      row.set(phase, [...(row.get(phase) ?? []), ms]);
    };
    if (stream !== undefined) {
      put('runner', stream - start);
      put('model', fetched - stream);
    }
    put('setup', fetched - start);
    put('http', headers - fetched);
    put('body', firstRead - headers);
    put('parse', first - firstRead);
    put('total', first - start);
  }
}
await server.close();

console.log(`First delta of a 20-delta answer over the wire, ${runs} runs each; medians, ms:\n`);
const columns: Phase[] = ['setup', 'runner', 'model', 'http', 'body', 'parse', 'total'];
console.log(`| contender | ${columns.join(' | ')} |`);
console.log(`| --- |${' --- |'.repeat(columns.length)}`);
for (const name of names) {
  const row = phases.get(name) as Map<Phase, number[]>;
  const cells = columns.map((phase) => (row.has(phase) ? median(row.get(phase) as number[]).toFixed(3) : ''));
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}

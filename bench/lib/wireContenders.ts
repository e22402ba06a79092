/**
 * The four ways to stream one Responses API answer from the local server that the over-the-wire
 * benchmarks compare, each timed the same way: from the call to the first text delta, to the last
 * text delta, and to the end of the stream.
 */
import { createOpenAI } from '@ai-sdk/openai';
import * as openaiAgents from '@openai/agents';
import { streamText } from 'ai';
import OpenAI from 'openai';
import { Agent, OpenAIResponsesModel, runStreamed } from 'rxjs-agents';
import { filterTextDeltas } from 'rxjs-agents/operators';

/** Milliseconds from the call, and what arrived. */
export interface WireRun {
  readonly first: number;
  readonly last: number;
  readonly end: number;
  readonly deltas: number;
  readonly chars: number;
  /** CPU time (user + system, all threads) this process spent during the run, ms. */
  readonly cpu: number;
}

export interface WireHooks {
  /**
   * Receives the way to cancel this run, the one its users would take: abort the signal given to
   * the SDK, or unsubscribe. A cancelled run resolves with what it had (it never rejects for it).
   * Without this hook, no AbortController is made.
   */
  readonly cancellable?: (cancel: () => void) => void;
  /** Called on every text delta. */
  readonly onDelta?: () => void;
}

export interface WireContender {
  readonly name: string;
  run(hooks?: WireHooks): Promise<WireRun>;
}

const modelId = 'gpt-4.1-mini';
/** Shaped like a real key: rxjs-agents keeps the key out of `raw` events, and that work depends on it. */
export const apiKey = `sk-proj-bench${'0123456789abcdef'.repeat(9)}`;
const instructions = 'You are a helpful assistant.';
const input = 'Tell me a long story.';

/** Counts deltas and stamps their times relative to the start of a run. */
class Clock {
  readonly start = performance.now();
  readonly cpuStart = process.cpuUsage();
  first = Number.NaN;
  last = Number.NaN;
  deltas = 0;
  chars = 0;
  readonly #onDelta: (() => void) | undefined;
  constructor(onDelta: (() => void) | undefined) {
    this.#onDelta = onDelta;
  }
  delta(text: string): void {
    const now = performance.now();
    if (this.deltas === 0) this.first = now - this.start;
    this.last = now - this.start;
    this.deltas += 1;
    this.chars += text.length;
    this.#onDelta?.();
  }
  done(): WireRun {
    const cpu = process.cpuUsage(this.cpuStart);
    return {
      first: this.first,
      last: this.last,
      end: performance.now() - this.start,
      deltas: this.deltas,
      chars: this.chars,
      cpu: (cpu.user + cpu.system) / 1000,
    };
  }
}

/** An AbortSignal for the run when it is to be cancellable, handing its `abort` to the hook. */
function signalFor(hooks: WireHooks): AbortSignal | undefined {
  if (!hooks.cancellable) return undefined;
  const controller = new AbortController();
  hooks.cancellable(() => controller.abort());
  return controller.signal;
}

/** Resolves with what the run had when `signal` aborted it; other errors are real. */
async function untilAborted(
  signal: AbortSignal | undefined,
  clock: Clock,
  body: () => Promise<void>,
): Promise<WireRun> {
  try {
    await body();
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
  return clock.done();
}

/**
 * The contenders, on one `openai` client for `baseURL` (shared by the raw SDK, rxjs-agents and
 * `@openai/agents`) and an AI SDK provider for the same URL; with `fetch`, all of them use it.
 */
export function wireContenders(
  baseURL: string,
  fetchImpl?: typeof fetch,
): { client: OpenAI; floor: WireContender; contenders: WireContender[]; bytes: WireContender } {
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, ...(fetchImpl ? { fetch: fetchImpl } : {}) });

  // The floor: the official SDK's own stream, with nothing on top.
  const floor: WireContender = {
    name: 'openai SDK, for await (floor)',
    run: (hooks = {}) => {
      const clock = new Clock(hooks.onDelta);
      const signal = signalFor(hooks);
      return untilAborted(signal, clock, async () => {
        const stream = await client.responses.create({ model: modelId, instructions, input, stream: true }, { signal });
        for await (const event of stream) {
          if (event.type === 'response.output_text.delta') clock.delta(event.delta);
        }
      });
    },
  };

  const agent = new Agent({
    name: 'Assistant',
    instructions,
    model: new OpenAIResponsesModel({ model: modelId, client }),
  });
  const rxjsAgents: WireContender = {
    name: 'rxjs-agents runStreamed → filterTextDeltas',
    run: ({ cancellable, onDelta } = {}) => {
      const clock = new Clock(onDelta);
      return new Promise<WireRun>((resolve, reject) => {
        const subscription = runStreamed(agent, input)
          .pipe(filterTextDeltas())
          .subscribe({ next: (delta) => clock.delta(delta), error: reject, complete: () => resolve(clock.done()) });
        cancellable?.(() => {
          subscription.unsubscribe();
          resolve(clock.done());
        });
      });
    },
  };

  openaiAgents.setTracingDisabled(true);
  const peerAgent = new openaiAgents.Agent({
    name: 'Assistant',
    instructions,
    // @openai/agents depends on openai ^7 itself: with the project on openai 6 (CI's second pass),
    // its OpenAI is another copy, whose `#private` makes ours unassignable to it in type only.
    model: new openaiAgents.OpenAIResponsesModel(
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed on openai 6 only
      client as unknown as ConstructorParameters<typeof openaiAgents.OpenAIResponsesModel>[0],
      modelId,
    ),
  });
  const agentsSdk: WireContender = {
    name: '@openai/agents run(stream) → toTextStream',
    run: (hooks = {}) => {
      const clock = new Clock(hooks.onDelta);
      const signal = signalFor(hooks);
      return untilAborted(signal, clock, async () => {
        const result = await openaiAgents.run(peerAgent, input, { stream: true, ...(signal ? { signal } : {}) });
        for await (const text of result.toTextStream()) clock.delta(text);
        await result.completed;
      });
    },
  };

  const aiModel = createOpenAI({ baseURL, apiKey, ...(fetchImpl ? { fetch: fetchImpl } : {}) }).responses(modelId);
  const aiSdk: WireContender = {
    name: 'ai streamText → textStream',
    run: (hooks = {}) => {
      const clock = new Clock(hooks.onDelta);
      const signal = signalFor(hooks);
      return untilAborted(signal, clock, async () => {
        let failure: unknown;
        const result = streamText({
          model: aiModel,
          system: instructions,
          prompt: input,
          maxRetries: 0,
          ...(signal ? { abortSignal: signal } : {}),
          onError: ({ error }) => void (failure = error),
        });
        for await (const text of result.textStream) clock.delta(text);
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the AI SDK's error, as it reported it
        if (failure !== undefined) throw failure;
      });
    },
  };

  // Not a contender: how fast the server itself sends, read as bytes with no parsing at all.
  const bytes: WireContender = {
    name: 'server pace: fetch, bytes only (no parsing)',
    run: async (hooks = {}) => {
      const clock = new Clock(undefined);
      const signal = signalFor(hooks);
      return untilAborted(signal, clock, async () => {
        const response = await fetch(`${baseURL}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ model: modelId, instructions, input, stream: true }),
          ...(signal ? { signal } : {}),
        });
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          if (clock.deltas === 0) clock.first = performance.now() - clock.start;
          clock.last = performance.now() - clock.start;
          clock.chars += chunk.length;
        }
      });
    },
  };

  return { client, floor, contenders: [floor, rxjsAgents, agentsSdk, aiSdk], bytes };
}

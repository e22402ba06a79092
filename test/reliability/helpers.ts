/**
 * Shared pieces of the reliability specs: both OpenAI APIs against the local server, real
 * clients with the SDK's default retries, collecting a run's outcome with a deadline (a hang is a
 * failure, not a timeout of the test), and the search for the API key in everything a run left.
 */
import OpenAI from 'openai';
import { inspect } from 'node:util';
import type { Observable } from 'rxjs';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { OpenAIChatCompletionsModel, OpenAIResponsesModel, type Model, type RunEvent } from '../../src/index.js';
import { chatChunks, chatId } from '../../src/testing/server/chatEvents.js';
import { responsesEvents, responsesId } from '../../src/testing/server/responsesEvents.js';
import { planTurn } from '../../src/testing/server/script.js';
import type { ServerTurn } from '../../src/testing/server/index.js';

/** The API key of every client here. It must never show in an event, an error or a log line. */
export const apiKey = 'sk-proj-RELIABILITY-5ecret-0123456789abcdefXYZ';

/** One of the two OpenAI APIs, as the specs drive it. */
export interface Api {
  readonly name: 'Responses' | 'Chat Completions';
  /** A model on `client`, with the model id `id` (default a realistic one). */
  model(client: OpenAI, id?: string): Model;
  /** How many server-sent events a generated text turn sends before its first text delta. */
  readonly beforeText: number;
  /** A turn that streams `deltas` and ends incomplete, cut at max_output_tokens. */
  incompleteTurn(deltas: readonly string[]): ServerTurn;
}

export const apis: readonly Api[] = [
  {
    name: 'Responses',
    model: (client, id = 'gpt-4.1-mini') => new OpenAIResponsesModel({ model: id, client }),
    beforeText: 4, // response.created, response.in_progress, output_item.added, content_part.added
    incompleteTurn: (deltas) => {
      const events = responsesEvents(planTurn({ text: deltas }, 1, responsesId), {});
      const completed = events.pop() as { response: Record<string, unknown> };
      events.push({
        type: 'response.incomplete',
        sequence_number: events.length,
        response: { ...completed.response, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
      });
      return { events };
    },
  },
  {
    name: 'Chat Completions',
    model: (client, id = 'llama3.2') => new OpenAIChatCompletionsModel({ model: id, client }),
    beforeText: 1, // the chunk with the assistant role
    incompleteTurn: (deltas) => {
      const chunks = chatChunks(planTurn({ text: deltas }, 1, chatId), { stream_options: { include_usage: true } });
      for (const chunk of chunks) {
        for (const choice of chunk['choices'] as { finish_reason: string | null }[]) {
          if (choice.finish_reason === 'stop') choice.finish_reason = 'length';
        }
      }
      return { events: chunks };
    },
  },
];

/** A real client on `url`, with the SDK's own defaults (2 retries) unless overridden. */
export function clientFor(url: string, options: ConstructorParameters<typeof OpenAI>[0] = {}): OpenAI {
  return new OpenAI({ apiKey: apiKey, baseURL: url, ...options });
}

/** `['w0 ', 'w1 ', …]`: n distinct word deltas. */
export function words(n: number, prefix = 'w'): string[] {
  return Array.from({ length: n }, (_, index) => `${prefix}${index} `);
}

/** What one run delivered, and how long it took. */
export interface Outcome {
  readonly events: RunEvent<unknown>[];
  readonly error?: unknown;
  readonly completed: boolean;
  readonly ms: number;
}

/** Subscribes once; resolves when the run ends, rejects if it has not ended after `deadlineMs` (a hang). */
export function outcomeOf(run$: Observable<RunEvent<unknown>>, deadlineMs = 10_000): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const events: RunEvent<unknown>[] = [];
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(
        new Error(
          `the run did not end within ${deadlineMs} ms (it hangs); events so far: ${events.map((e) => e.type).join(', ')}`,
        ),
      );
    }, deadlineMs);
    const end = (outcome: Omit<Outcome, 'ms' | 'events'>): void => {
      clearTimeout(timer);
      resolve({ events, ...outcome, ms: performance.now() - started });
    };
    const subscription = run$.subscribe({
      next: (event) => events.push(event),
      error: (error: unknown) => end({ error, completed: false }),
      complete: () => end({ completed: true }),
    });
  });
}

/** The joined text deltas of `events`. */
export function textOf(events: readonly RunEvent<unknown>[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
}

/** Every line written through `console` while it is installed (the SDK logs through it too). */
export class LogCapture {
  readonly lines: string[] = [];

  install(): void {
    for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        this.lines.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 12 }))).join(' '));
      });
    }
  }

  /** A logger for an `OpenAI` client's `logger` option, recording into the same lines. */
  logger(): NonNullable<ConstructorParameters<typeof OpenAI>[0]>['logger'] {
    const record = (...args: unknown[]) =>
      this.lines.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 12 }))).join(' '));
    return { debug: record, info: record, warn: record, error: record };
  }
}

/**
 * Everything of a run a user could print or send somewhere: its events as JSON, and its error as
 * message, stack, JSON, `partial`, `util.inspect` (which walks the `cause` chain), each cause's
 * message and stack — and the log lines.
 */
export function leakSurface(outcome: Pick<Outcome, 'events' | 'error'>, lines: readonly string[] = []): string {
  const parts: string[] = [JSON.stringify(outcome.events)];
  const { error } = outcome;
  if (error !== undefined) {
    parts.push(
      inspect(error, { depth: 12, showHidden: true }),
      JSON.stringify(error),
      JSON.stringify((error as { partial?: unknown }).partial ?? null),
    );
    for (
      let current: unknown = error, depth = 0;
      current instanceof Error && depth < 10;
      current = current.cause, depth += 1
    ) {
      parts.push(current.message, current.stack ?? '', JSON.stringify(current));
    }
  }
  parts.push(...lines);
  return parts.join('\n');
}

/** A part of the key long enough to mean a leak (the whole key, or its secret half). */
export const keyParts = [apiKey, apiKey.slice(8)];

/** The key check of a spec file: its log capture, and the assertion over a run's outcome. */
export interface KeyWatch {
  /** The current test's log capture (installed before each test, removed after it). */
  readonly logs: LogCapture;
  /** The key is in none of it: events, error (all its forms, its causes), log lines. */
  readonly expectNoKey: (outcome: Pick<Outcome, 'events' | 'error'>) => void;
}

/**
 * Captures every log line around each test (`beforeEach`/`afterEach`, restoring all mocks after
 * it), and checks the key is in nothing a run left. Call it at the top of a spec file.
 */
export function useKeyWatch(): KeyWatch {
  let logs = new LogCapture();
  beforeEach(() => {
    logs = new LogCapture();
    logs.install();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    get logs() {
      return logs;
    },
    expectNoKey: (outcome) => {
      const surface = leakSurface(outcome, logs.lines);
      for (const part of keyParts) expect(surface).not.toContain(part);
    },
  };
}

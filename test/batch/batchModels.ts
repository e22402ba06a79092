/**
 * Models for the batch specs: each answers its request's last user message, after a delay on the
 * given scheduler (so a batch runs in virtual time), and records what it was asked and when.
 */
import { Observable, type SchedulerLike } from 'rxjs';
import type { Model, ModelEvent, ModelRequest } from '../../src/index.js';

export interface EchoCall {
  readonly question: string;
  readonly startedAt: number;
  ended?: number;
  cancelled?: boolean;
}

export interface EchoModel extends Model {
  readonly calls: EchoCall[];
  /** The most calls in flight at once so far. */
  readonly maxInFlight: number;
}

export interface EchoOptions {
  readonly scheduler: SchedulerLike;
  /** How long each answer takes, by question (default 100 ms). */
  readonly delayMs?: (question: string) => number;
  /** An error to fail with instead of answering (the call's number, from 1, is given). */
  readonly failure?: (question: string, call: number) => unknown;
  /** Tokens each response reports (default 10). */
  readonly tokens?: number;
}

export function echoModel(options: EchoOptions): EchoModel {
  const calls: EchoCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const { scheduler, delayMs = () => 100, failure, tokens = 10 } = options;
  const model = {
    name: 'echo',
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    stream: (request: ModelRequest) =>
      new Observable<ModelEvent>((subscriber) => {
        const question = questionOf(request);
        const call: EchoCall = { question, startedAt: scheduler.now() };
        calls.push(call);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const action = scheduler.schedule(() => {
          inFlight -= 1;
          call.ended = scheduler.now();
          const error = failure?.(question, calls.length);
          if (error !== undefined) {
            subscriber.error(error);
            return;
          }
          const text = `answer to ${question}`;
          subscriber.next({ type: 'text-delta', delta: text });
          subscriber.next({
            type: 'response',
            response: {
              id: `resp_${calls.length}`,
              output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }],
              usage: { requests: 1, inputTokens: tokens / 2, outputTokens: tokens / 2, totalTokens: tokens },
            },
          });
          subscriber.complete();
        }, delayMs(question));
        return () => {
          if (call.ended === undefined) {
            inFlight -= 1;
            call.cancelled = true;
            call.ended = scheduler.now();
          }
          action.unsubscribe();
        };
      }),
  };
  return model;
}

function questionOf(request: ModelRequest): string {
  const last = request.input.at(-1) as { content?: unknown } | undefined;
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content);
}

import { Observable, Subscription, type SchedulerLike } from 'rxjs';
import { AgentsError, InvalidArgumentError } from '../errors.js';
import type { OutputItem } from '../items.js';
import type { Model, ModelEvent, ModelRequest, ModelResponse } from '../model.js';

/** Token counts of a scripted turn (zero unless given; `totalTokens` defaults to their sum). */
export interface FakeUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
}

/** A tool call the fake model makes. */
export interface FakeToolCall {
  readonly name: string;
  /** An object (sent as JSON) or a string (sent as it is, to script malformed JSON). Default `{}`. */
  readonly arguments?: unknown;
  /** Default: `call_<turn>_<index>`. */
  readonly callId?: string;
}

/** What a scripted response may set besides its content. */
export interface FakeTurnOptions {
  /** Token counts of the response (zero unless given). */
  readonly usage?: FakeUsage;
  /** The response id (default `fake_resp_<turn>`). */
  readonly id?: string;
}

/**
 * One scripted model call:
 * - a string: assistant text, streamed in word-sized deltas;
 * - `{ text }`: a string, or the exact deltas as an array;
 * - `{ toolCalls, text? }`: calls to tools (or handoffs, `transfer_to_<agent>`), after optional text;
 * - `{ output }`: a structured answer, streamed as JSON text;
 * - `{ refusal }`: the model refuses: no text deltas, and an assistant message whose content is one
 *   `{ type: 'refusal', refusal }` part, as the Responses API gives it;
 * - `{ events }`: exactly these model events (give the `response` event yourself);
 * - `{ error, text? }`: the call fails with `error`, after streaming the optional text (a
 *   `ModelProviderError` with `retryable: true` is what the run's `retry` option retries);
 * - `{ stall: true, text? }`: the call streams the optional text, then sends nothing more and never
 *   ends, as a stalled connection does (for the run's `idleTimeoutMs`).
 */
export type FakeTurn =
  | string
  | (FakeTurnOptions & { readonly text: string | readonly string[] })
  | (FakeTurnOptions & { readonly toolCalls: readonly FakeToolCall[]; readonly text?: string | readonly string[] })
  | (FakeTurnOptions & { readonly output: unknown })
  | (FakeTurnOptions & { readonly refusal: string })
  | { readonly events: readonly ModelEvent[] }
  | { readonly error: unknown; readonly text?: string | readonly string[] }
  | { readonly stall: true; readonly text?: string | readonly string[] };

/** The options of {@link fakeModel}. */
export interface FakeModelOptions {
  /** The model's name, which labels `raw` events (default `'fake'`). */
  readonly name?: string;
  /**
   * Emit on this scheduler, one event every `interval` (frames in a `TestScheduler`), so a whole
   * run can be marble-tested in virtual time. Without a scheduler, a call completes synchronously
   * (which is also what `runSync()` needs).
   */
  readonly scheduler?: SchedulerLike;
  /** Time between two events on the scheduler (default 1). */
  readonly interval?: number;
}

/** A scripted {@link Model}; `requests` records what the runner asked for, call by call. */
export interface FakeModel extends Model {
  readonly requests: readonly ModelRequest[];
}

/** Word-sized pieces of `text`, each with the spaces after it: `'Hello world'` → `['Hello ', 'world']`. */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

function deltasOf(text: string | readonly string[] | undefined): readonly string[] {
  if (text === undefined) return [];
  return typeof text === 'string' ? splitIntoDeltas(text) : text;
}

function usageOf(usage: FakeUsage | undefined): ModelResponse['usage'] {
  const inputTokens = usage?.inputTokens ?? 0;
  const outputTokens = usage?.outputTokens ?? 0;
  return { requests: 1, inputTokens, outputTokens, totalTokens: usage?.totalTokens ?? inputTokens + outputTokens };
}

/** The model events of one scripted turn, and the error that ends it, if any; `stall` when it never ends. */
function scriptTurn(turn: FakeTurn, number: number): { events: ModelEvent[]; error?: unknown; stall?: boolean } {
  if (typeof turn === 'string') turn = { text: turn };
  if ('events' in turn) return { events: [...turn.events] };
  if ('stall' in turn)
    return { events: deltasOf(turn.text).map((delta) => ({ type: 'text-delta', delta })), stall: true };
  if ('error' in turn)
    return { events: deltasOf(turn.text).map((delta) => ({ type: 'text-delta', delta })), error: turn.error };

  if ('refusal' in turn) {
    const refusal: OutputItem = {
      type: 'message',
      role: 'assistant',
      id: `fake_msg_${number}`,
      status: 'completed',
      content: [{ type: 'refusal', refusal: turn.refusal }],
    };
    const response = { id: turn.id ?? `fake_resp_${number}`, output: [refusal], usage: usageOf(turn.usage) };
    return { events: [{ type: 'response', response }] };
  }
  const text = 'output' in turn ? splitIntoDeltas(JSON.stringify(turn.output)) : deltasOf(turn.text);
  const events: ModelEvent[] = text.map((delta) => ({ type: 'text-delta', delta }));
  const output: OutputItem[] = [];
  if (text.length > 0) {
    output.push({
      type: 'message',
      role: 'assistant',
      id: `fake_msg_${number}`,
      status: 'completed',
      content: [{ type: 'output_text', text: text.join(''), annotations: [] }],
    });
  }
  if ('toolCalls' in turn) {
    turn.toolCalls.forEach((call, index) => {
      const args =
        call.arguments === undefined
          ? '{}'
          : typeof call.arguments === 'string'
            ? call.arguments
            : JSON.stringify(call.arguments);
      output.push({
        type: 'function_call',
        call_id: call.callId ?? `call_${number}_${index}`,
        name: call.name,
        arguments: args,
        status: 'completed',
      });
    });
  }
  events.push({
    type: 'response',
    response: { id: turn.id ?? `fake_resp_${number}`, output, usage: usageOf(turn.usage) },
  });
  return { events };
}

/**
 * A scripted model for tests: each call to it plays the next turn of the script.
 *
 * ```ts
 * import { TestScheduler } from 'rxjs/testing';
 * import { Agent, runStreamed } from 'rxjs-agents';
 * import { filterTextDeltas } from 'rxjs-agents/operators';
 * import { fakeModel } from 'rxjs-agents/testing';
 *
 * const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.run(({ expectObservable }) => {
 *   const model = fakeModel([{ text: ['Hello', ' world'] }], { scheduler, interval: 10 });
 *   const agent = new Agent({ name: 'Greeter', model });
 *   // One delta every 10 frames; the response (and so the end of the run) 10 frames later.
 *   expectObservable(runStreamed(agent, 'Hi').pipe(filterTextDeltas())).toBe('10ms a 9ms b 9ms |', { a: 'Hello', b: ' world' });
 * });
 * ```
 *
 * @param turns The script, one entry per model call.
 * @param options A scheduler and interval for virtual time, and the model's name.
 * @returns A {@link FakeModel}; calls beyond the script fail with an error that says so.
 */
export function fakeModel(turns: readonly FakeTurn[], options: FakeModelOptions = {}): FakeModel {
  // Checked through an `unknown` alias: `Array.isArray(turns)` would narrow `turns` itself to `any[]`.
  const given: unknown = turns;
  if (!Array.isArray(given)) {
    throw new InvalidArgumentError({ argument: 'turns', message: 'fakeModel() takes an array of scripted turns.' });
  }
  const { name = 'fake', scheduler, interval = 1 } = options;
  if (typeof interval !== 'number' || !(interval >= 0)) {
    throw new InvalidArgumentError({
      argument: 'interval',
      message: `interval must be a number of at least 0; got ${String(interval)}.`,
    });
  }
  const requests: ModelRequest[] = [];
  let calls = 0;

  return {
    name,
    requests,
    stream: (request: ModelRequest) =>
      new Observable<ModelEvent>((subscriber) => {
        requests.push(request);
        const number = ++calls;
        const turn = turns[number - 1];
        if (turn === undefined) {
          subscriber.error(
            new AgentsError({
              message: `fakeModel: the script has ${turns.length} turn(s), but the model was called a ${number}. time.`,
            }),
          );
          return;
        }
        const { events, error, stall } = scriptTurn(turn, number);
        const finish = () => (error === undefined ? subscriber.complete() : subscriber.error(error));
        if (!scheduler) {
          for (const event of events) subscriber.next(event);
          if (!stall) finish();
          return;
        }
        const scheduled = new Subscription();
        events.forEach((event, index) =>
          scheduled.add(scheduler.schedule(() => subscriber.next(event), (index + 1) * interval)),
        );
        if (!stall) scheduled.add(scheduler.schedule(finish, events.length * interval));
        return scheduled;
      }),
  };
}

import { Observable, Subscription, type SchedulerLike } from 'rxjs';
import { AgentsError, InvalidArgumentError } from '../errors.js';
import type { OutputItem } from '../items.js';
import type { Model, ModelEvent, ModelRequest, ModelResponse } from '../model.js';
import { checkScript, type FakeTurn, type ScriptedTurn, type ScriptedUsage } from './script.js';

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

function usageOf(usage: ScriptedUsage | undefined): ModelResponse['usage'] {
  const inputTokens = usage?.inputTokens ?? 0;
  const outputTokens = usage?.outputTokens ?? 0;
  return { requests: 1, inputTokens, outputTokens, totalTokens: usage?.totalTokens ?? inputTokens + outputTokens };
}

/** The model events of one scripted turn, and the error that ends it, if any; `stall` when it never ends. */
function scriptTurn(
  turn: ScriptedTurn<ModelEvent>,
  number: number,
): { events: ModelEvent[]; error?: unknown; stall?: boolean } {
  if (turn.events !== undefined) return { events: [...turn.events] };
  const text = turn.output !== undefined ? splitIntoDeltas(JSON.stringify(turn.output)) : deltasOf(turn.text);
  const events: ModelEvent[] = text.map((delta) => ({ type: 'text-delta', delta }));
  if (turn.stall) return { events, stall: true };
  if (turn.error !== undefined) return { events, error: turn.error };

  const output: OutputItem[] = [];
  if (turn.refusal !== undefined) {
    const refusal = typeof turn.refusal === 'string' ? turn.refusal : turn.refusal.join('');
    output.push({
      type: 'message',
      role: 'assistant',
      id: `fake_msg_${number}`,
      status: 'completed',
      content: [{ type: 'refusal', refusal }],
    });
  }
  if (text.length > 0) {
    output.push({
      type: 'message',
      role: 'assistant',
      id: `fake_msg_${number}`,
      status: 'completed',
      content: [{ type: 'output_text', text: text.join(''), annotations: [] }],
    });
  }
  (turn.toolCalls ?? []).forEach((call, index) => {
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
  events.push({
    type: 'response',
    response: { id: turn.id ?? `fake_resp_${number}`, output, usage: usageOf(turn.usage) },
  });
  return { events };
}

/**
 * A scripted model for tests: each call to it plays the next turn of the script, written in the
 * vocabulary the local server of `rxjs-agents/testing/server` shares ({@link FakeTurn}):
 * - a string, or `{ text }`: assistant text, in word-sized deltas (a string) or the exact deltas
 *   (an array);
 * - `{ toolCalls, text? }`: calls to tools (or handoffs, `transfer_to_<agent>`), after optional text;
 * - `{ output }`: a structured answer, streamed as JSON text;
 * - `{ refusal }`: the model refuses: no text deltas, and an assistant message whose content is one
 *   `{ type: 'refusal', refusal }` part, as the Responses API gives it;
 * - `{ events }`: exactly these model events (give the `response` event yourself);
 * - `{ error, text? }`: the call fails with `error`, after streaming the optional text;
 * - `{ stall: true, text? }`: the call streams the optional text, then sends nothing more and never
 *   ends, as a stalled connection does (for the run's `idleTimeoutMs`).
 *
 * The script is checked here: a turn with the server's faults (`status`, `dropAfter`, …), an
 * unknown field or a contradiction (`text` and `output`) throws `InvalidArgumentError`.
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
  if (!Array.isArray(turns)) {
    throw new InvalidArgumentError({ argument: 'turns', message: 'fakeModel() takes an array of scripted turns.' });
  }
  const script = checkScript<ModelEvent>(turns, 'fakeModel');
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
        const turn = script[number - 1];
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

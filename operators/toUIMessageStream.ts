import { Observable, type OperatorFunction } from 'rxjs';
import { InvalidArgumentError } from '../src/errors.js';
import type { FinalOutputEvent, RunEvent, RunInterruptedEvent } from '../src/events.js';
import type { UIMessageChunk } from '../src/uiMessages/uiMessageChunk.js';
import { errorMessageOption } from './internal/publicError.js';
import { UIMessageWriter, type UIMessageWriterOptions } from './internal/uiMessageWriter.js';

/** The end of a run that the `finish` chunk reports: its answer, or its interruption. */
export type UIMessageEnd = FinalOutputEvent<unknown> | RunInterruptedEvent;

/** The options of {@link toUIMessageStream}. */
export interface ToUIMessageStreamOptions {
  /**
   * The id of the assistant message, sent in the `start` chunk. Default: none, and the client
   * makes one up. Leave it out when the stream continues the client's last assistant message (a
   * run resumed after an approval): a new id there makes the client add a second message.
   */
  readonly messageId?: string;
  /** Send the model's reasoning as `reasoning` parts, where its `raw` events carry it (default `true`). */
  readonly sendReasoning?: boolean;
  /**
   * Send the structured answer as it streams, as one `data-partial-output` part (id
   * `'partial-output'`) that each chunk replaces, ending with the validated final output (default
   * `false`). The answer's JSON text is sent as text either way.
   */
  readonly partialOutput?: boolean;
  /**
   * What the `error` chunk says of the error that ended the run. Default: `The run failed
   * (<name>).`, the error's class only — its message may hold a tool's internal URL or a host
   * name, and the chunk reaches a browser (the AI SDK masks it too). Return `error.message` for
   * the errors you know to be safe to show.
   */
  readonly errorMessage?: (error: unknown) => string;
  /**
   * The assistant message's metadata, sent with `finish`: a function of the run's last event
   * (`final-output` or `run-interrupted`), for example `(end) => ({ usage: end.usage })`.
   */
  readonly messageMetadata?: (end: UIMessageEnd) => unknown;
}

/**
 * Turns a run's events into the chunks of the AI SDK's UI message stream: what `useChat` (React,
 * Vue, Svelte) and `readUIMessageStream` of the `ai` package read.
 *
 * <span class="informal">One assistant message per run: a step per turn, its text and reasoning as
 * parts that stream, each tool call as a tool part that goes from input to output (or to an
 * approval request), and `finish` at the end.</span>
 *
 * ```text
 * source:            -t----d----d----k----c----o----t----d----f|
 * toUIMessageStream: sS----(xy)-y----z----(IA)-O----(eS)-(xy)-(zeF|)
 * ```
 *
 * (`t` turn-started, `d` text-delta, `k` turn-completed, `c` tool-call, `o` tool-output, `f`
 * final-output; `s` start, `S` start-step, `x`/`y`/`z` text-start/-delta/-end, `I`/`A`
 * tool-input-start/-available, `O` tool-output-available, `e` finish-step, `F` finish.)
 *
 * What maps to what:
 *
 * | run event | chunks |
 * | --- | --- |
 * | (subscription) | `start` (with `messageId` when given) |
 * | `turn-started` | `finish-step` of the turn before, `start-step` |
 * | `text-delta` | `text-start` (id `text-<turn>-<n>`) the first time, `text-delta`; `text-end` when the text stops (reasoning, a tool call, the turn's end) |
 * | `raw` with reasoning | `reasoning-start`/`-delta`/`-end` (Responses reasoning summaries and reasoning text; Chat Completions `reasoning_content`/`reasoning`) |
 * | `tool-call` | `tool-input-start`, `tool-input-available` (`input`: the parsed arguments) |
 * | `tool-approval-requested` | `tool-approval-request` (`approvalId` is the call's id) |
 * | `tool-output` | `tool-output-available`; `tool-output-error` (the tool failed, or a tool guardrail rejected it); `tool-output-denied` (a person rejected it) |
 * | `turn-restarted` | `reset-step`: the client drops the step's parts, and the retry streams anew |
 * | `final-output` | `data-partial-output` (with `partialOutput`), `finish-step`, `finish` (`'stop'`) |
 * | `run-interrupted` | `finish-step`, `finish` (`'tool-calls'` for approvals, `'other'` when stopped) |
 * | an error | `error` (`errorText` from `errorMessage`), then completes; a `RunAbortedError` gives `abort` |
 *
 * The Observable completes after `finish`, `error` or `abort`, so a server ends its response
 * cleanly and the client learns what happened. Tool arguments are not streamed (no
 * `tool-input-delta`): a run reports a call once its arguments are complete. `agent-updated`,
 * `guardrail` and the events of nested runs (agents called as tools) send nothing; the call of an
 * agent tool is a tool part like any other. Unsubscribing sends nothing more — an Observable
 * cannot speak after that, and the client that went away is the one that would read it.
 *
 * ## Example
 *
 * ```ts
 * import { runStreamed, toReadableStream } from 'rxjs-agents';
 * import { toUIMessageStream } from 'rxjs-agents/operators';
 *
 * const chunks = toReadableStream(runStreamed(agent, 'Plan a weekend in Lisbon.').pipe(toUIMessageStream()));
 * // for example readUIMessageStream({ stream: chunks }) of the `ai` package, or your own framing
 * ```
 *
 * @see `toUIMessageStreamResponse` (in `rxjs-agents`) and `serveUIMessageStream` (in
 * `rxjs-agents/node`), which serve it; `fromUIMessages`, which reads the client's messages back.
 *
 * @param options `messageId`, `sendReasoning`, `partialOutput`, `errorMessage`, `messageMetadata`.
 * @returns A function that returns an Observable of UI message chunks, from `start` to `finish`
 * (or `error`, or `abort`).
 * @throws InvalidArgumentError when an option is given with the wrong type.
 */
export function toUIMessageStream(
  options: ToUIMessageStreamOptions = {},
): OperatorFunction<RunEvent<unknown>, UIMessageChunk> {
  const checked = checkOptions(options);
  return (source) =>
    new Observable<UIMessageChunk>((subscriber) => {
      const writer = new UIMessageWriter(checked, (chunk) => subscriber.next(chunk));
      writer.start();
      const fail = (error: unknown): void => {
        writer.error(error);
        subscriber.complete();
      };
      return source.subscribe({
        next: (event) => {
          try {
            if (writer.event(event)) subscriber.complete();
          } catch (error) {
            fail(error); // `messageMetadata` threw: the message ends as a failed run's does
          }
        },
        error: fail,
        complete: () => {
          try {
            writer.complete();
          } catch (error) {
            fail(error);
            return;
          }
          subscriber.complete();
        },
      });
    });
}

function checkOptions(options: unknown): UIMessageWriterOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'toUIMessageStream() takes an object of options.' });
  }
  const given = options as Partial<Record<keyof ToUIMessageStreamOptions, unknown>>;
  const { messageId, sendReasoning = true, partialOutput = false, messageMetadata } = given;
  if (messageId !== undefined && (typeof messageId !== 'string' || messageId === '')) {
    throw new InvalidArgumentError({ argument: 'options.messageId', message: 'expected a non-empty string.' });
  }
  if (typeof sendReasoning !== 'boolean') {
    throw new InvalidArgumentError({ argument: 'options.sendReasoning', message: 'expected true or false.' });
  }
  if (typeof partialOutput !== 'boolean') {
    throw new InvalidArgumentError({ argument: 'options.partialOutput', message: 'expected true or false.' });
  }
  if (messageMetadata !== undefined && typeof messageMetadata !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.messageMetadata',
      message: `expected a function of the run's last event, got ${typeof messageMetadata}.`,
    });
  }
  return {
    messageId,
    sendReasoning,
    partialOutput,
    errorMessage: errorMessageOption(given.errorMessage),
    messageMetadata: messageMetadata as ToUIMessageStreamOptions['messageMetadata'],
  };
}

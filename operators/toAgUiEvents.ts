import { catchError, concat, defer, mergeMap, of, type Observable, type OperatorFunction } from 'rxjs';
import { AgUiRunState } from './internal/agUiRunState.js';
import type { AgUiEvent } from '../src/agui/agUiEvents.js';
import { InvalidArgumentError } from '../src/errors.js';
import type { RunEvent } from '../src/events.js';
import { errorMessageOption } from './internal/publicError.js';

/** The options of {@link toAgUiEvents}. */
export interface ToAgUiEventsOptions {
  /** The conversation the run belongs to: the request's `threadId`. */
  readonly threadId: string;
  /** The run's id: the request's `runId`. */
  readonly runId: string;
  /**
   * The base of the ids of the messages the run adds (default: `runId`): turn n's assistant
   * message is `<messageId>:<n>`, a tool result `<messageId>:result:<callId>`. Give one that is
   * unique in the thread.
   */
  readonly messageId?: string;
  /**
   * The front-end tools: tools the client runs (AG-UI's `tools`), as names (`fromAgUiInput()`'s
   * `clientTools`, which `toAgUiEvents(agUi)` takes with the ids) or as tools. A run that waits only on calls of these finishes with
   * `outcome: { type: 'success', pendingToolCallIds }`, the client's cue to run them.
   */
  readonly clientTools?: readonly (string | { readonly name: string })[];
  /**
   * What `RUN_ERROR` says of the error that ended the run. Default: `The run failed (<name>).` —
   * an error's own message may hold what a browser must not see. When it throws or returns
   * something else than a string, the default is sent.
   */
  readonly errorMessage?: (error: unknown) => string;
  /**
   * Also send the structured answer as it streams (default `false`; for an agent with an
   * `outputType`): after a delta that changes it, a `CUSTOM` event named
   * `rxjs-agents.partial-output` whose `value` is `{ messageId, output }`, `output` the deep-partial
   * object so far (the `partialOutput()` operator's reading, parsed at most every 1/32 of growth).
   */
  readonly partialOutput?: boolean;
}

/**
 * Translates a run's events into the events of the AG-UI protocol: what `@ag-ui/client`'s
 * `HttpAgent` and CopilotKit read.
 *
 * <span class="informal">The run, as an AG-UI agent tells it: a run that starts, steps (one per
 * model turn), assistant messages that stream, tool calls and their results, and a run that
 * finishes — with its answer, waiting for an approval, or leaving front-end tool calls to the
 * client — or fails.</span>
 *
 * ```text
 * source:        -s--d----c--t------o--(f|)
 * toAgUiEvents:  RS--(AB)-E--(TGH)--Q--(XF|)
 * ```
 *
 * (`s` turn-started, `d` text-delta, `c` turn-completed, `t` tool-call, `o` tool-output, `f`
 * final-output; `R` RUN_STARTED, `S` STEP_STARTED, `A` `B` `E` TEXT_MESSAGE_START, _CONTENT,
 * _END, `T` `G` `H` TOOL_CALL_START, _ARGS, _END, `Q` TOOL_CALL_RESULT, `X` STEP_FINISHED, `F`
 * RUN_FINISHED.)
 *
 * | run event | AG-UI events |
 * | --- | --- |
 * | (subscription) | `RUN_STARTED` |
 * | `turn-started` | `STEP_STARTED` (`stepName: 'turn <n>'`); the step before, if open, finishes first |
 * | `text-delta` | `TEXT_MESSAGE_START` (the turn's first), `TEXT_MESSAGE_CONTENT` |
 * | `turn-completed` | `TEXT_MESSAGE_END`, when the turn had text |
 * | `tool-call` | `TOOL_CALL_START` (`parentMessageId`: the turn's message), `TOOL_CALL_ARGS` (the arguments as JSON, in one piece), `TOOL_CALL_END` |
 * | `tool-output` | `TOOL_CALL_RESULT`: `content` is the output as the model read it (a string as it is, else JSON; a failure's `Error: <message>`) |
 * | `turn-restarted` | `TEXT_MESSAGE_END` of the abandoned message, `CUSTOM` `rxjs-agents.turn-restarted` (`{ messageId, attempt }`), and the retry streams as a new message |
 * | `agent-updated` | `CUSTOM` `rxjs-agents.agent-updated` (`{ from, agent }`) |
 * | `text-delta`, with `partialOutput: true` | also `CUSTOM` `rxjs-agents.partial-output` (`{ messageId, output }`) when the structured answer so far changed |
 * | `final-output` | `STEP_FINISHED`, `RUN_FINISHED` with `outcome: { type: 'success' }`, `result` (the output) and `usage` |
 * | `run-interrupted` (approvals) | `STEP_FINISHED`, `RUN_FINISHED` with `outcome: { type: 'interrupt', interrupts }`: one per call that waits, `id` and `toolCallId` its call id, `reason: 'tool_approval'`; calls of `clientTools` are not interrupts: when only they wait, `outcome: { type: 'success', pendingToolCallIds }` |
 * | `run-interrupted` (`stopAfterTurn`), or a source that completes without an end | `RUN_FINISHED` with `outcome: { type: 'cancelled' }` |
 * | an error | `RUN_ERROR` with `code` (the error's class name) and a public `message`, then completion |
 * | a nested run's events (an agent called as a tool, `parentCallId`) | `SUBAGENT_STARTED` (`subagentRunId: '<messageId>:<callId>:agent'`, `parentToolCallId`, `parentMessageId`) on its first event, its steps, messages and tool calls as above tagged with `subagentRunId`, and at the call's `tool-output` `SUBAGENT_FINISHED` (`SUBAGENT_ERROR` when the call failed) before its `TOOL_CALL_RESULT` |
 *
 * Not sent: `raw` events, `tool-approval-requested` (the `RUN_FINISHED` interrupt carries the
 * calls), `guardrail` events (their `outputInfo` is the server's). Reasoning is not in the run's
 * events, so no `REASONING_*` either.
 *
 * **Ids are deterministic**, like the run's events: turn n's assistant message is
 * `<messageId>:<n>` (`<messageId>:<n>:<attempt>` for a restarted turn's retry), a tool result
 * `<messageId>:result:<callId>`, tool calls keep the model's call ids; `messageId` defaults to the
 * `runId`. So a run's AG-UI events are as reproducible as the run.
 *
 * **A restarted turn** (`turn-restarted`: the `retry` option made a failed call again after it had
 * streamed text) cannot be taken back in AG-UI, which has no event that removes a message: the
 * abandoned message is ended where it stopped, a `CUSTOM` event named
 * `rxjs-agents.turn-restarted` names it (`value.messageId`) for a client to remove, and the retry
 * streams into a message of its own.
 *
 * **Errors complete the stream**: an error becomes `RUN_ERROR` (after the open message and step
 * are closed), then the Observable completes, so a server ends its response cleanly. Its message
 * is generic by default (`The run failed (<name>).`): an error's own message can hold what a
 * browser must not see; give `errorMessage` to decide. The stack, `cause`, `partial`, `status`
 * and the API key are never sent.
 *
 * ## Example
 *
 * ```ts
 * import { runStreamed, toAgUiResponse } from 'rxjs-agents';
 * import { toAgUiEvents } from 'rxjs-agents/operators';
 *
 * export function POST(): Response {
 *   const events$ = runStreamed(agent, 'Recommend one destination.').pipe(
 *     toAgUiEvents({ threadId: 'thread_1', runId: 'run_1' }),
 *   );
 *   return toAgUiResponse(events$);
 * }
 * ```
 *
 * @see `fromAgUiInput` and `toAgUiResponse` (in `rxjs-agents`), `serveAgUi` (in `rxjs-agents/node`).
 *
 * @param options `threadId`, `runId` and `clientTools` (the front-end tools' names) — all three in
 * `fromAgUiInput()`'s result, so `toAgUiEvents(agUi)` will do —, `messageId` (the base of message
 * ids), `errorMessage` (what `RUN_ERROR` says of an error), `partialOutput` (also send the
 * structured answer as it streams).
 * @returns A function that returns an Observable of AG-UI events: `RUN_STARTED` first, then one
 * `RUN_FINISHED` or `RUN_ERROR`, then completion.
 * @throws InvalidArgumentError when `threadId`, `runId` or `messageId` is not a non-empty string,
 * `clientTools` is not a list of names or tools, `errorMessage` is not a function, or
 * `partialOutput` is not a boolean.
 */
export function toAgUiEvents(options: ToAgUiEventsOptions): OperatorFunction<RunEvent<unknown>, AgUiEvent> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({ argument: 'options', message: 'toAgUiEvents() takes { threadId, runId }.' });
  }
  const threadId = nonEmpty(options.threadId, 'options.threadId');
  const runId = nonEmpty(options.runId, 'options.runId');
  const messageId = options.messageId === undefined ? runId : nonEmpty(options.messageId, 'options.messageId');
  const clientTools = clientToolNames(options.clientTools);
  const errorMessage = errorMessageOption(options.errorMessage);
  const partialOutput = options.partialOutput ?? false;
  if (typeof partialOutput !== 'boolean') {
    throw new InvalidArgumentError({ argument: 'options.partialOutput', message: 'expected a boolean.' });
  }
  return (source: Observable<RunEvent<unknown>>) =>
    defer(() => {
      const run = new AgUiRunState({ threadId, runId, messageId, clientTools, errorMessage, partialOutput });
      return concat(
        of(run.started()),
        source.pipe(
          mergeMap((event) => run.translate(event)),
          catchError((error: unknown) => of(...run.failed(error))),
        ),
        defer(() => run.completed()),
      );
    });
}

function nonEmpty(value: unknown, argument: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError({ argument, message: `expected a non-empty string, got ${JSON.stringify(value)}.` });
  }
  return value;
}

function clientToolNames(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: 'options.clientTools',
      message: 'expected a list of tool names or of tools (fromAgUiInput().tools).',
    });
  }
  return new Set(
    value.map((tool: unknown, index) => {
      const name = typeof tool === 'string' ? tool : (tool as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || name === '') {
        throw new InvalidArgumentError({
          argument: `options.clientTools[${index}]`,
          message: 'expected a tool name or a tool with a name.',
        });
      }
      return name;
    }),
  );
}

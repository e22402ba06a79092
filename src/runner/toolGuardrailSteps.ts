import { concat, concatMap, defer, map, Observable, of, tap, throwError } from 'rxjs';
import { InvalidArgumentError } from '../errors.js';
import { ToolGuardrailTripwireTriggered } from '../errors/guardrailErrors.js';
import type { GuardrailEvent, RunEvent, ToolOutputEvent } from '../events.js';
import type { FunctionCallItem } from '../items.js';
import type { AnyTool } from '../tool.js';
import type { ToolGuardrailContext, ToolGuardrailResult } from '../toolGuardrails.js';
import type { RunMode } from './runContext.js';
import { runToolCall, validatedArguments, type ToolCallOutcome, type ToolCallSetup } from './toolCalls.js';

/** A tool guardrail as the runner calls it: input guardrails check the arguments, output ones the output. */
interface AnyToolGuardrail {
  readonly name: string;
  execute(subject: never, context: ToolGuardrailContext<never, never>): unknown;
}

type Kind = 'input' | 'output';

/**
 * One tool call with its tool's guardrails: the input guardrails in order, then `execute` (by
 * {@link runToolCall}), then the output guardrails in order, each check reported by a `guardrail`
 * event (`kind: 'tool'`, the call's `callId`) as it answers. The first that does not allow ends the
 * checks: `'reject'` answers the call with its message (a `tool-output` with `rejected: true` and
 * the guardrail's name; an input guardrail's tool does not run), `'stop'` fails the run with
 * `ToolGuardrailTripwireTriggered`. A guardrail that throws fails the run with its error.
 *
 * Input guardrails see only validated arguments: a call whose arguments fail the schema goes
 * straight to `runToolCall`, which reports it. Output guardrails see only a tool's own return
 * value: a call that failed is reported as it is. `record` is given the outcome the model will
 * read, before its event is emitted. A tool without guardrails is `runToolCall` and nothing more.
 *
 * Answers are taken through the mode's `answer` (a Promise is refused in `runSync()`); an
 * Observable's last value counts.
 */
export function guardedToolCall<TContext>(
  call: FunctionCallItem,
  tool: AnyTool<TContext>,
  setup: ToolCallSetup<TContext>,
  answer: RunMode['answer'],
  record: (outcome: ToolCallOutcome) => void,
): Observable<RunEvent<unknown>> {
  const recorded = (outcome: ToolCallOutcome): ToolOutputEvent => {
    record(outcome);
    return outcome.event;
  };
  const plain = () => runToolCall(call, tool, setup).pipe(map(recorded));
  // A tool of an older copy of the package has no guardrail lists.
  const inputGuardrails = (tool.inputGuardrails ?? []) as readonly AnyToolGuardrail[];
  const outputGuardrails = (tool.outputGuardrails ?? []) as readonly AnyToolGuardrail[];
  if (inputGuardrails.length === 0 && outputGuardrails.length === 0) return plain();

  return defer(() => {
    const parsed = validatedArguments(call, tool);
    if (!parsed.success) return plain();
    const base = { agent: setup.agent.name, turn: setup.turn };
    const context = {
      context: setup.context,
      agent: setup.agent.name,
      toolName: call.name,
      callId: call.call_id,
      arguments: parsed.data,
    };
    const rejected = (message: string, guardrail: string): Observable<RunEvent<unknown>> =>
      defer(() =>
        of(
          recorded({
            event: {
              type: 'tool-output',
              ...base,
              callId: call.call_id,
              name: call.name,
              output: message,
              rejected: true,
              guardrail,
            },
            outputText: message,
          }),
        ),
      );

    /** The checks of `list` from `index` on, then `allowed()` when every one allowed. */
    const checks = (
      kind: Kind,
      list: readonly AnyToolGuardrail[],
      index: number,
      subject: unknown,
      allowed: () => Observable<RunEvent<unknown>>,
    ): Observable<RunEvent<unknown>> => {
      const guardrail = list[index];
      if (guardrail === undefined) return allowed();
      return checkOf(guardrail, kind, index, subject, context, answer).pipe(
        concatMap((result) => {
          const event: GuardrailEvent = {
            type: 'guardrail',
            ...base,
            name: guardrail.name,
            kind: 'tool',
            tripwireTriggered: result.behavior !== 'allow',
            ...(result.outputInfo === undefined ? {} : { outputInfo: result.outputInfo }),
            callId: call.call_id,
            behavior: result.behavior,
          };
          switch (result.behavior) {
            case 'allow':
              return concat(of(event), checks(kind, list, index + 1, subject, allowed));
            case 'reject':
              return concat(of(event), rejected(result.message, guardrail.name));
            case 'stop':
              return concat(
                of(event),
                throwError(
                  () =>
                    new ToolGuardrailTripwireTriggered({
                      guardrail: {
                        name: guardrail.name,
                        kind: 'tool',
                        agent: setup.agent.name,
                        ...(result.outputInfo === undefined ? {} : { outputInfo: result.outputInfo }),
                      },
                      toolName: call.name,
                      callId: call.call_id,
                    }),
                ),
              );
          }
        }),
      );
    };

    const executed = () =>
      runToolCall(call, tool, setup).pipe(
        concatMap((outcome) =>
          outcome.event.error !== undefined
            ? of(recorded(outcome))
            : checks('output', outputGuardrails, 0, outcome.event.output, () => of(recorded(outcome))),
        ),
      );
    return checks('input', inputGuardrails, 0, parsed.data, executed);
  });
}

/**
 * One guardrail's answer, checked, as an Observable of one result. Its `signal` is aborted when the
 * answer is no longer needed before it came (the run was unsubscribed or failed).
 */
function checkOf(
  guardrail: AnyToolGuardrail,
  kind: Kind,
  index: number,
  subject: unknown,
  context: Omit<ToolGuardrailContext, 'signal'>,
  answer: RunMode['answer'],
): Observable<ToolGuardrailResult> {
  const field = `${kind}Guardrails[${index}]`;
  const source = `Tool guardrail '${guardrail.name}' (${field} of tool '${context.toolName}')`;
  return new Observable<ToolGuardrailResult>((subscriber) => {
    const controller = new AbortController();
    let answered = false;
    const answer$ = answer(
      guardrail.execute(subject as never, { ...context, signal: controller.signal } as never),
      source,
    );
    const subscription = answer$
      .pipe(
        tap(() => (answered = true)),
        map((result) => checkedResult(result, source, field)),
      )
      .subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      if (!answered) controller.abort(new Error(`The run no longer needs the answer of ${source}.`));
    };
  });
}

function checkedResult(result: unknown, source: string, field: string): ToolGuardrailResult {
  const behavior =
    typeof result === 'object' && result !== null ? (result as { behavior?: unknown }).behavior : undefined;
  if (behavior === 'allow' || behavior === 'stop') return result as ToolGuardrailResult;
  if (behavior === 'reject' && typeof (result as { message?: unknown }).message === 'string') {
    return result as ToolGuardrailResult;
  }
  throw new InvalidArgumentError({
    argument: field,
    message:
      `${source} answered ${describe(result)}; a tool guardrail answers { behavior: 'allow' }, ` +
      `{ behavior: 'reject', message } or { behavior: 'stop' } (with an optional outputInfo).`,
  });
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

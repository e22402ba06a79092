import { Observable } from 'rxjs';
import { AgentsError, InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered } from '../errors.js';
import type { GuardrailEvent } from '../events.js';
import type { GuardrailAnswer, GuardrailContext, GuardrailKind, GuardrailResult } from '../guardrails.js';
import { describeThrown } from '../internal/describeThrown.js';
import type { LiveState } from './liveState.js';
import { withPartial } from './partial.js';
import type { RunContext } from './runContext.js';

/** One check to make: the guardrail's name and kind, and how to ask it. */
export interface GuardrailCall<TContext> {
  readonly name: string;
  readonly kind: Exclude<GuardrailKind, 'tool'>;
  /** The agent whose input, output or text is checked. */
  readonly agent: string;
  /** The turn the check belongs to (an input check: the first model call's). */
  readonly turn: number;
  readonly execute: (context: GuardrailContext<TContext>) => GuardrailAnswer;
}

const kindNames = { input: 'Input', output: 'Output', stream: 'Stream' } as const;

/**
 * One guardrail's check as a cold Observable: its `guardrail` event, then completion when it
 * passed, or, when it tripped, the event and then the error that fails the run (with the run's
 * `partial` as it is at the trip). The check's `signal` is aborted when it is unsubscribed before
 * it answered.
 *
 * A check that throws, rejects or answers anything but `{ tripwireTriggered: boolean }` fails the
 * run with an `AgentsError` that names the guardrail: a broken check neither passes nor trips.
 */
export function guardrailCheck<TContext>(
  call: GuardrailCall<TContext>,
  state: LiveState,
  run: RunContext<TContext>,
): Observable<GuardrailEvent> {
  const { name, kind, agent, turn } = call;
  const who = `${kindNames[kind]} guardrail '${name}'`;
  return new Observable<GuardrailEvent>((subscriber) => {
    const controller = new AbortController();
    let answered = false;
    const fail = (error: unknown) => subscriber.error(withPartial(error, state));
    const broken = (error: unknown) =>
      fail(new AgentsError({ message: `${who} failed: ${describeThrown(error)}`, cause: error }));
    let answer$: Observable<unknown>;
    try {
      answer$ = run.mode.answer(call.execute({ context: run.settings.context, agent, signal: controller.signal }), who);
    } catch (error) {
      // runSync()'s refusal of a Promise is our own error, with its own words.
      if (AgentsError.isInstance(error)) fail(error);
      else broken(error);
      return;
    }
    const subscription = answer$.subscribe({
      next: (result) => {
        answered = true;
        if (!isGuardrailResult(result)) {
          fail(
            new AgentsError({
              message: `${who} answered ${describeThrown(result)}; a guardrail answers { tripwireTriggered: boolean, outputInfo? }.`,
            }),
          );
          return;
        }
        const event: GuardrailEvent = {
          type: 'guardrail',
          agent,
          turn,
          name,
          kind,
          tripwireTriggered: result.tripwireTriggered,
          ...(result.outputInfo === undefined ? {} : { outputInfo: result.outputInfo }),
        };
        subscriber.next(event);
        if (event.tripwireTriggered) fail(tripError(event));
        else subscriber.complete();
      },
      error: broken,
      complete: () => {
        if (!answered) broken(new Error('its Observable completed without a result'));
      },
    });
    return () => {
      subscription.unsubscribe();
      if (!answered) controller.abort(new Error(`The run no longer needs the answer of ${who}.`));
    };
  });
}

function tripError(event: GuardrailEvent): AgentsError {
  const guardrail = {
    name: event.name,
    kind: event.kind,
    agent: event.agent,
    ...(event.outputInfo === undefined ? {} : { outputInfo: event.outputInfo }),
  };
  return event.kind === 'input'
    ? new InputGuardrailTripwireTriggered({ guardrail })
    : new OutputGuardrailTripwireTriggered({ guardrail });
}

function isGuardrailResult(value: unknown): value is GuardrailResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { tripwireTriggered?: unknown }).tripwireTriggered === 'boolean'
  );
}

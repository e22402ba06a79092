import { concat, merge, type Observable } from 'rxjs';
import type { RunEvent } from '../events.js';
import type { InputGuardrail } from '../guardrails.js';
import { guardrailCheck } from './guardrailCheck.js';
import type { LiveState } from './liveState.js';
import type { RunContext } from './runContext.js';

/**
 * The run's first model call with the input guardrails of its first agent (the runner's, then the
 * agent's): those with `runInParallel: false` are checked first, and the model is called only when
 * all have passed; the others are checked alongside the call, which a trip unsubscribes at once
 * (its request aborted). The step ends when the call and every check have ended, so no tool runs
 * and no answer is given before the input is known to pass.
 *
 * They check the run's own input, not the items a session put before it (those were checked when
 * they were a run's input). A later turn, or a resumed run past its first call, is not checked.
 */
export function withInputGuardrails<TContext>(
  firstTurn: Observable<RunEvent<unknown>>,
  state: LiveState,
  run: RunContext<TContext>,
): Observable<RunEvent<unknown>> {
  if (state.turn > 0) return firstTurn;
  const agent = run.agents.get(state.agent);
  const guardrails = [...run.settings.guardrails.inputGuardrails, ...(agent.inputGuardrails ?? [])];
  if (guardrails.length === 0) return firstTurn;
  const input = state.input.slice(state.sessionItems);
  const check = (guardrail: InputGuardrail<TContext>) =>
    guardrailCheck(
      {
        name: guardrail.name,
        kind: 'input',
        agent: agent.name,
        turn: state.turn + 1,
        execute: (context) => guardrail.execute(input, context),
      },
      state,
      run,
    );
  const before = guardrails.filter((guardrail) => guardrail.runInParallel === false);
  const alongside = guardrails.filter((guardrail) => guardrail.runInParallel !== false);
  return concat(merge(...before.map(check)), merge(firstTurn, ...alongside.map(check)));
}

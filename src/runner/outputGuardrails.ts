import { merge, type Observable } from 'rxjs';
import type { GuardrailEvent } from '../events.js';
import { guardrailCheck } from './guardrailCheck.js';
import type { LiveState } from './liveState.js';
import type { RunContext } from './runContext.js';

/**
 * The output guardrails of the agent that gave the final output (the runner's, then the agent's),
 * checked concurrently on that output before `final-output` is emitted: each gives its
 * `guardrail` event, and the first trip fails the run with `OutputGuardrailTripwireTriggered`
 * (the checks still running are unsubscribed, their `signal` aborted).
 */
export function outputGuardrailChecks<TContext>(
  output: unknown,
  state: LiveState,
  run: RunContext<TContext>,
): Observable<GuardrailEvent> {
  const agent = run.agents.get(state.agent);
  const guardrails = [...run.settings.guardrails.outputGuardrails, ...(agent.outputGuardrails ?? [])];
  return merge(
    ...guardrails.map((guardrail) =>
      guardrailCheck(
        {
          name: guardrail.name,
          kind: 'output',
          agent: agent.name,
          turn: state.turn,
          execute: (context) => guardrail.execute(output, context),
        },
        state,
        run,
      ),
    ),
  );
}

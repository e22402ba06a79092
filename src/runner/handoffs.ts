import type { PlannedHandoff } from './nextStep.js';

/**
 * What the model is sent back for a `transfer_to_…` call: the agent that now answers, or, for a
 * second handoff in the same response, that it was not carried out.
 */
export function handoffOutput(handoff: PlannedHandoff): string {
  return handoff.carriedOut
    ? JSON.stringify({ assistant: handoff.target })
    : 'Multiple handoffs were requested in one response; only the first was carried out.';
}

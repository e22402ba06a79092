import type { FinalOutputEvent } from '../../src/index.js';

/**
 * The result fields of a `final-output` event for a hand-written event list whose run produced
 * nothing an operator under test looks at: spread it into the event.
 */
export const noRunItems: Pick<FinalOutputEvent, 'newItems' | 'history' | 'rawResponses'> = {
  newItems: [],
  history: [],
  rawResponses: [],
};

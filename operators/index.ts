export { accumulateText } from './accumulateText.js';
export { bufferTokens } from './bufferTokens.js';
export type { BufferTokensOptions } from './bufferTokens.js';
export { filterTextDeltas } from './filterTextDeltas.js';
export { ofType } from './ofType.js';
export { partialOutput } from './partialOutput.js';
export { toFinalOutput } from './toFinalOutput.js';
export { toRunResult } from './toRunResult.js';
export { toServerSentEvents } from './toServerSentEvents.js';

/** Token usage of one model response, or summed over a run. */
export interface Usage {
  /** How many model responses this usage covers. */
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/** Usage of nothing at all: the start of a sum. */
export const emptyUsage: Usage = Object.freeze({ requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 });

/** The sum of two usages, as a new object. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

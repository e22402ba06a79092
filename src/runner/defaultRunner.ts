import type { Observable } from 'rxjs';
import type { Agent } from '../agent.js';
import type { BatchEvent, BatchItems, BatchOptions } from '../batch/batchTypes.js';
import type { RunEvent } from '../events.js';
import { OpenAIProvider } from '../models/openaiProvider.js';
import type { RunInput } from './runInput.js';
import type { RunState } from './runState.js';
import type { RunOptions } from './runOptions.js';
import type { RunResult } from './runResult.js';
import { Runner } from './runner.js';

let defaultRunner: Runner | undefined;

/**
 * The runner the module functions use: model names resolve through OpenAI's Responses API
 * (`new OpenAIProvider()`, whose client reads `OPENAI_API_KEY` and `OPENAI_BASE_URL` on first
 * use), `maxTurns` 10.
 *
 * This is the one place where the runner meets the OpenAI models: the core takes its provider
 * from here, so code that uses only `Runner` and its own models does not bundle `openai`.
 */
export function getDefaultRunner(): Runner {
  return (defaultRunner ??= new Runner({ modelProvider: new OpenAIProvider() }));
}

/** Streamed mode with the default runner; see {@link Runner.runStreamed}. */
export function runStreamed<TOutput, TContext = unknown>(
  agent: Agent<TOutput, TContext>,
  input: RunInput | RunState,
  options?: RunOptions<TContext>,
): Observable<RunEvent<TOutput>> {
  return getDefaultRunner().runStreamed(agent, input, options);
}

/** Async mode with the default runner; see {@link Runner.run}. */
export function run<TOutput, TContext = unknown>(
  agent: Agent<TOutput, TContext>,
  input: RunInput | RunState,
  options?: RunOptions<TContext>,
): Promise<RunResult<TOutput, TContext>> {
  return getDefaultRunner().run(agent, input, options);
}

/** Sync mode with the default runner; see {@link Runner.runSync}. */
export function runSync<TOutput, TContext = unknown>(
  agent: Agent<TOutput, TContext>,
  input: RunInput | RunState,
  options?: RunOptions<TContext>,
): RunResult<TOutput, TContext> {
  return getDefaultRunner().runSync(agent, input, options);
}

/** Batch mode with the default runner; see {@link Runner.runBatch}. */
export function runBatch<TOutput, TContext = unknown>(
  agent: Agent<TOutput, TContext>,
  items: BatchItems<TContext>,
  options?: BatchOptions<TContext>,
): Observable<BatchEvent<TOutput>> {
  return getDefaultRunner().runBatch(agent, items, options);
}

import type { Observable } from 'rxjs';
import { InvalidArgumentError } from './errors.js';
import type { InputItem } from './items.js';

/**
 * What a guardrail's check found: whether it trips (the run stops), and anything the check wants
 * to report (a classifier's score, the reason), which the `guardrail` event and the error carry.
 * Keep `outputInfo` plain data: it crosses server-sent events with the event.
 */
export interface GuardrailResult {
  readonly tripwireTriggered: boolean;
  readonly outputInfo?: unknown;
}

/** What a check may return: a result, a Promise of one, or an Observable (its last value counts). */
export type GuardrailAnswer = GuardrailResult | PromiseLike<GuardrailResult> | Observable<GuardrailResult>;

/** What a guardrail's check is given besides what it checks. */
export interface GuardrailContext<TContext = unknown> {
  /** The run's `context` option, as given. */
  readonly context: TContext;
  /** The name of the agent whose input, output or text is checked. */
  readonly agent: string;
  /**
   * Aborted when the check's answer is no longer needed: the run was unsubscribed or failed, or
   * (for a stream guardrail) a later check replaced it. A check that calls a model passes it on.
   */
  readonly signal: AbortSignal;
}

/**
 * A check of the run's input, made once, for the run's first agent.
 *
 * By default (`runInParallel: true`) it runs alongside the first model call, so it adds no
 * latency: a trip aborts that call at once (its request ended, no more tokens paid for) and fails
 * the run with `InputGuardrailTripwireTriggered`. With `runInParallel: false` the model is called
 * only once every such check has passed, so a tripped input costs no tokens.
 */
export interface InputGuardrail<TContext = unknown> {
  /** Names the guardrail in its `guardrail` event and in the error it trips. */
  readonly name: string;
  /** Whether the check runs alongside the first model call (default `true`) or before it. */
  readonly runInParallel?: boolean;
  /**
   * Checks the input.
   *
   * @param input The run's input as conversation items (a string input is one user message).
   * @param context The run's context and an abort signal.
   */
  execute(input: readonly InputItem[], context: GuardrailContext<TContext>): GuardrailAnswer;
}

/**
 * A check of the final output, made before `final-output` is emitted (for the agent that
 * produced it): a trip fails the run with `OutputGuardrailTripwireTriggered`.
 */
export interface OutputGuardrail<TOutput = unknown, TContext = unknown> {
  readonly name: string;
  /**
   * Checks the final output.
   *
   * @param output The final output: the text, or the value the agent's `outputType` parsed.
   * @param context The run's context and an abort signal.
   */
  execute(output: TOutput, context: GuardrailContext<TContext>): GuardrailAnswer;
}

/** How often a stream guardrail checks the text: every so many characters, or sentences, streamed. */
export type StreamGuardrailCadence = { readonly characters: number } | { readonly sentences: number };

/**
 * A check of the assistant's text *while it streams*: called with the response's text so far each
 * time the cadence (`every`) is reached, and once with the whole text when the response
 * completes. Checks never hold the stream back — deltas flow while one runs, and a newer check
 * replaces one still running — but a check still running when the answer completes is awaited
 * before `final-output`. A trip ends the model call at once (no more tokens paid for) and fails the
 * run with `OutputGuardrailTripwireTriggered`, whose `partial.text` is the text up to the trip.
 */
export interface StreamGuardrail<TContext = unknown> {
  readonly name: string;
  /** Check every `{ characters: n }` characters, or every `{ sentences: n }` sentences, of text. */
  readonly every: StreamGuardrailCadence;
  /**
   * Checks the text so far.
   *
   * @param textSoFar The text the current response has streamed so far.
   * @param context The run's context and an abort signal.
   */
  execute(textSoFar: string, context: GuardrailContext<TContext>): GuardrailAnswer;
}

/** Which kind of guardrail reported: of the run's input, its final output, a tool call, or the streaming text. */
export type GuardrailKind = 'input' | 'output' | 'tool' | 'stream';

/** The guardrails an agent (or a `Runner`, as defaults for every agent) may be given. */
export interface GuardrailsConfig<TOutput, TContext> {
  /** Checks of the run's input, for the run's first agent. */
  readonly inputGuardrails?: readonly InputGuardrail<TContext>[];
  /** Checks of the final output, before `final-output`. */
  readonly outputGuardrails?: readonly OutputGuardrail<TOutput, TContext>[];
  /** Checks of the assistant's text while it streams. */
  readonly streamGuardrails?: readonly StreamGuardrail<TContext>[];
}

/**
 * The guardrail lists of a configuration, checked: each an array of objects with a non-empty
 * `name` and an `execute` function (and, for stream guardrails, a cadence of whole numbers above
 * zero). Throws `InvalidArgumentError` naming the list and index, where the list was given.
 */
export function checkedGuardrails<TOutput, TContext>(
  config: GuardrailsConfig<TOutput, TContext>,
  where: string,
): Required<GuardrailsConfig<TOutput, TContext>> {
  const { inputGuardrails = [], outputGuardrails = [], streamGuardrails = [] } = config;
  checkGuardrailList(inputGuardrails, 'inputGuardrails', where, (guardrail, argument) => {
    const { runInParallel } = guardrail as { runInParallel?: unknown };
    if (runInParallel !== undefined && typeof runInParallel !== 'boolean') {
      throw new InvalidArgumentError({ argument, message: `${where}: runInParallel must be true or false.` });
    }
  });
  checkGuardrailList(outputGuardrails, 'outputGuardrails', where);
  checkGuardrailList(streamGuardrails, 'streamGuardrails', where, (guardrail, argument) => {
    const { every } = guardrail as { every?: unknown };
    const count =
      typeof every === 'object' && every !== null
        ? 'characters' in every
          ? every.characters
          : 'sentences' in every
            ? every.sentences
            : undefined
        : undefined;
    if (!(typeof count === 'number' && Number.isInteger(count) && count > 0)) {
      throw new InvalidArgumentError({
        argument: `${argument}.every`,
        message: `${where}: every must be { characters: n } or { sentences: n }, n a whole number above 0; got ${JSON.stringify(every)}.`,
      });
    }
  });
  return {
    inputGuardrails: Object.freeze(inputGuardrails.slice()),
    outputGuardrails: Object.freeze(outputGuardrails.slice()),
    streamGuardrails: Object.freeze(streamGuardrails.slice()),
  };
}

/**
 * Checks one list of guardrails where it is given: an array of objects with a non-empty `name` and
 * an `execute` function, each checked further by `more`.
 *
 * @throws InvalidArgumentError naming the list, or the index and field.
 */
export function checkGuardrailList(
  list: unknown,
  field: string,
  where: string,
  more?: (guardrail: object, argument: string) => void,
): void {
  if (!Array.isArray(list)) {
    throw new InvalidArgumentError({
      argument: field,
      message: `${where}: ${field} must be an array of { name, execute } guardrails.`,
    });
  }
  list.forEach((guardrail: unknown, index) => {
    const argument = `${field}[${index}]`;
    if (typeof guardrail !== 'object' || guardrail === null) {
      throw new InvalidArgumentError({ argument, message: `${where}: a guardrail is an object { name, execute }.` });
    }
    const { name, execute } = guardrail as { name?: unknown; execute?: unknown };
    if (typeof name !== 'string' || name.trim() === '') {
      throw new InvalidArgumentError({
        argument: `${argument}.name`,
        message: `${where}: a guardrail needs a non-empty name; got ${JSON.stringify(name)}.`,
      });
    }
    if (typeof execute !== 'function') {
      throw new InvalidArgumentError({
        argument: `${argument}.execute`,
        message: `${where}: guardrail '${name}' needs an execute function.`,
      });
    }
    more?.(guardrail, argument);
  });
}

import { AgentsError, type AgentsErrorOptions } from './agentsError.js';

// The errors of a guardrail that tripped: the check's name, kind and what it reported.

/** What a tripped guardrail reported, as an error carries it. */
export interface TrippedGuardrail {
  /** The guardrail's `name`. */
  readonly name: string;
  /** `'input'`, `'output'`, `'stream'` or `'tool'`. */
  readonly kind: 'input' | 'output' | 'stream' | 'tool';
  /** The name of the agent whose input, output or text was checked. */
  readonly agent: string;
  /** The check's `outputInfo`. */
  readonly outputInfo?: unknown;
}

/** What a tripwire error is made from: the guardrail that tripped. */
export type GuardrailErrorOptions = AgentsErrorOptions & { readonly guardrail: TrippedGuardrail };

const inputTripwireMarker = 'rxjs-agents.error.InputGuardrailTripwireTriggered';
const inputTripwireSymbol = Symbol.for(inputTripwireMarker);

/**
 * An input guardrail tripped: the run stopped (a model call running alongside the check was
 * aborted). `partial` holds what the run had produced by then.
 */
export class InputGuardrailTripwireTriggered extends AgentsError {
  private readonly [inputTripwireSymbol] = true;
  /** The guardrail that tripped and what it reported. */
  readonly guardrail: TrippedGuardrail;

  constructor({ guardrail, cause }: GuardrailErrorOptions) {
    super({ message: `Input guardrail '${guardrail.name}' tripped.`, cause });
    this.guardrail = guardrail;
  }

  /** Whether `error` is an `InputGuardrailTripwireTriggered` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is InputGuardrailTripwireTriggered {
    return AgentsError.hasMarker(error, inputTripwireMarker);
  }
}

const outputTripwireMarker = 'rxjs-agents.error.OutputGuardrailTripwireTriggered';
const outputTripwireSymbol = Symbol.for(outputTripwireMarker);

/**
 * An output guardrail (`kind: 'output'`) or a stream guardrail (`kind: 'stream'`) tripped: the
 * run stopped before `final-output`. For a stream guardrail the model call was cut at the trip, and
 * `partial.text` is the text streamed up to it.
 */
export class OutputGuardrailTripwireTriggered extends AgentsError {
  private readonly [outputTripwireSymbol] = true;
  /** The guardrail that tripped and what it reported. */
  readonly guardrail: TrippedGuardrail;

  constructor({ guardrail, cause }: GuardrailErrorOptions) {
    const what = guardrail.kind === 'stream' ? 'Stream guardrail' : 'Output guardrail';
    super({ message: `${what} '${guardrail.name}' tripped.`, cause });
    this.guardrail = guardrail;
  }

  /** Whether `error` is an `OutputGuardrailTripwireTriggered` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is OutputGuardrailTripwireTriggered {
    return AgentsError.hasMarker(error, outputTripwireMarker);
  }
}

const toolTripwireMarker = 'rxjs-agents.error.ToolGuardrailTripwireTriggered';
const toolTripwireSymbol = Symbol.for(toolTripwireMarker);

/**
 * A tool guardrail (`kind: 'tool'`) answered `behavior: 'stop'`: the run stopped at that call. An
 * input guardrail's call did not run; an output guardrail's tool ran, and its output was not sent
 * to the model. `partial` holds what the run had produced by then.
 */
export class ToolGuardrailTripwireTriggered extends AgentsError {
  private readonly [toolTripwireSymbol] = true;
  /** The guardrail that tripped and what it reported. */
  readonly guardrail: TrippedGuardrail;
  /** The tool whose call (or output) was checked. */
  readonly toolName: string;
  /** The model's id for the call. */
  readonly callId: string;

  constructor({
    guardrail,
    toolName,
    callId,
    cause,
  }: GuardrailErrorOptions & { readonly toolName: string; readonly callId: string }) {
    super({
      message: `Tool guardrail '${guardrail.name}' stopped the run at a call of tool '${toolName}' (${callId}).`,
      cause,
    });
    this.guardrail = guardrail;
    this.toolName = toolName;
    this.callId = callId;
  }

  /** Whether `error` is a `ToolGuardrailTripwireTriggered` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ToolGuardrailTripwireTriggered {
    return AgentsError.hasMarker(error, toolTripwireMarker);
  }
}

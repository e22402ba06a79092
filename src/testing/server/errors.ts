/**
 * The error of the local server: a `respond` function that threw. The request it could not answer
 * got a 500 at once; this error makes sure the test hears of it too, even when the app under
 * test handled that 500 quietly.
 */
import { AgentsError } from '../../errors.js';

const responderMarker = 'rxjs-agents.error.ResponderError';
const responderSymbol = Symbol.for(responderMarker);

/**
 * `respond` threw (or returned a turn that is not valid) for one or more requests: what
 * `LocalServer.close()` rejects with, after the server has closed. `errors` holds each thrown
 * value, in request order; `cause` is the first.
 */
export class ResponderError extends AgentsError {
  private readonly [responderSymbol] = true;
  /** What `respond` threw, one entry per failed request, in order. */
  readonly errors: readonly unknown[];

  constructor({ errors }: { readonly errors: readonly unknown[] }) {
    const first = errors[0];
    super({
      message:
        `The local server's respond function failed for ${errors.length} request${errors.length === 1 ? '' : 's'}` +
        ` (each answered with a 500): ${describeThrown(first)}`,
      cause: first,
    });
    this.errors = errors;
  }

  /** Whether `error` is a `ResponderError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is ResponderError {
    return AgentsError.hasMarker(error, responderMarker);
  }
}

/** A thrown value's message, for a 500 body and a log line; never throws itself. */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    return String(value);
  } catch {
    return 'a value that cannot be printed';
  }
}

import { AgentsError, type AgentsErrorOptions } from '../errors.js';

const remoteRunMarker = 'rxjs-agents.error.RemoteRunError';
const remoteRunSymbol = Symbol.for(remoteRunMarker);

/**
 * A run that failed on the other side of a server-sent-event stream: the server sent an `error`
 * frame. `name` and `message` are the remote error's own (for example `'MaxTurnsExceededError'`),
 * so code that checks `error.name` works the same on both sides; nothing else crosses the wire
 * (no stack, no cause, no partial). The remote class's own `isInstance` is therefore false for it.
 */
export class RemoteRunError extends AgentsError {
  private readonly [remoteRunSymbol] = true;

  constructor({ name, message }: { name: string; message: string }) {
    super({ message });
    this.name = name;
  }

  /** Whether `error` is a `RemoteRunError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is RemoteRunError {
    return AgentsError.hasMarker(error, remoteRunMarker);
  }
}

const eventStreamMarker = 'rxjs-agents.error.EventStreamError';
const eventStreamSymbol = Symbol.for(eventStreamMarker);

/**
 * A server-sent-event stream of run events could not be read: the server answered with an error
 * status, the connection failed or ended before the run's final output, a frame was not a run
 * event, or a `Response` body was asked for a second time.
 */
export class EventStreamError extends AgentsError {
  private readonly [eventStreamSymbol] = true;
  /** The HTTP status, when the server answered with one that is not 2xx. */
  readonly status?: number;

  constructor({ message, status, cause }: AgentsErrorOptions & { message: string; status?: number }) {
    super({ message, cause });
    if (status !== undefined) this.status = status;
  }

  /** Whether `error` is an `EventStreamError` (or a subclass), from this or another copy of the package. */
  static override isInstance(error: unknown): error is EventStreamError {
    return AgentsError.hasMarker(error, eventStreamMarker);
  }
}

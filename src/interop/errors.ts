import { AgentsError, type AgentsErrorOptions } from '../errors.js';

/**
 * A run that failed on the other side of a server-sent-event stream: the server sent an `error`
 * frame. `name` and `message` are the remote error's own (for example `'MaxTurnsExceededError'`),
 * so code that checks `error.name` works the same on both sides; nothing else crosses the wire
 * (no stack, no cause, no partial).
 */
export class RemoteRunError extends AgentsError {
  constructor({ name, message }: { name: string; message: string }) {
    super(message);
    this.name = name;
  }
}

/**
 * A server-sent-event stream of run events could not be read: the server answered with an error
 * status, the connection failed or ended before the run's final output, a frame was not a run
 * event, or a `Response` body was asked for a second time.
 */
export class EventStreamError extends AgentsError {
  /** The HTTP status, when the server answered with one that is not 2xx. */
  readonly status?: number;

  constructor(message: string, options?: AgentsErrorOptions & { status?: number }) {
    super(message, options);
    if (options?.status !== undefined) this.status = options.status;
  }
}

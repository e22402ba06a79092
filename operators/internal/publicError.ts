import { InvalidArgumentError } from '../../src/errors.js';

/**
 * What a stream that reaches a browser says of the error that ended a run: what
 * `toServerSentEvents()`, `toUIMessageStream()` and `toAgUiEvents()` share. An error's own message can hold what a
 * browser must not see (a tool's internal URL, a host name, a file path), so the default names the
 * error's class only, and the user's `errorMessage` decides the rest.
 */

/** A function from an error to what a client may read of it. */
export type ErrorMessage = (error: unknown) => string;

/**
 * Reads an `errorMessage` option, checked where it is given.
 *
 * @throws InvalidArgumentError naming `options.errorMessage` when it is given and is not a function.
 */
export function errorMessageOption(errorMessage: unknown): ErrorMessage {
  if (errorMessage !== undefined && typeof errorMessage !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.errorMessage',
      message: `expected a function from an error to its public message, got ${typeof errorMessage}.`,
    });
  }
  return (errorMessage as ErrorMessage | undefined) ?? genericMessage;
}

/** What `publicMessage` makes of `error`; the generic message when it throws or answers a non-string. */
export function publicErrorMessage(error: unknown, publicMessage: ErrorMessage): string {
  let message: unknown;
  try {
    message = publicMessage(error);
  } catch {
    message = undefined;
  }
  return typeof message === 'string' ? message : genericMessage(error);
}

/** `The run failed (<name>).`: says which kind of error, and nothing the error holds. */
export function genericMessage(error: unknown): string {
  return `The run failed (${errorName(error)}).`;
}

/**
 * The error's `name` when it is a plain identifier of at most 64 characters (a class name: an
 * `Error` from any realm, our errors, `RemoteRunError` passing on a remote name), else `'Error'`:
 * a name that is not one is as free-form as a message.
 */
export function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  let name: unknown;
  try {
    name = (error as { name?: unknown }).name;
  } catch {
    return 'Error';
  }
  return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : 'Error';
}

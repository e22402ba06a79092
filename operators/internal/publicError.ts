import { InvalidArgumentError } from '../../src/errors.js';

/**
 * What an error that ended a run may tell a browser: its class name and a public message. Shared by
 * the operators that encode a run for a client (`toServerSentEvents`, `toAgUiEvents`), so that
 * they say the same of the same error.
 */

/** An `errorMessage` option: what the client is told of an error. */
export type PublicErrorMessage = (error: unknown) => string;

/**
 * The `errorMessage` option, checked where the operator is made.
 *
 * @throws InvalidArgumentError when it is given and is not a function.
 */
export function checkedErrorMessage(errorMessage: unknown, argument: string): PublicErrorMessage {
  if (errorMessage !== undefined && typeof errorMessage !== 'function') {
    throw new InvalidArgumentError({
      argument,
      message: `expected a function from an error to its public message, got ${typeof errorMessage}.`,
    });
  }
  return (errorMessage as PublicErrorMessage | undefined) ?? genericMessage;
}

/** What `publicMessage` says of `error`; the generic message when it throws or returns no string. */
export function publicMessageOf(error: unknown, publicMessage: PublicErrorMessage): string {
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

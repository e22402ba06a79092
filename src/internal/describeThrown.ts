/**
 * Describing whatever was thrown, in words, without ever throwing.
 *
 * JavaScript lets code throw anything: an `Error`, a string, `undefined`, an object made with
 * `Object.create(null)` (which `String()` cannot convert: it has no `toString`), an object whose
 * `toString`, `toJSON` or `message` getter throws itself. A tool's failure is reported to the model
 * and in a `tool-output` event whatever it threw, so the description of it must not become a
 * second, raw `TypeError` that fails the run instead.
 */

/** The longest description: a thrown object may be large, and its JSON goes to the model. */
const maxLength = 2_000;

/**
 * What `thrown` says, as text: an error's message; a string as it is; a primitive as `String()`
 * makes it; an object by its own `toString` when it has a meaningful one, else its JSON, else
 * `'a thrown <Class> object'`. Never throws.
 */
export function describeThrown(thrown: unknown): string {
  return clip(attempt(() => describe(thrown)) ?? `a thrown ${kindOf(thrown)}`);
}

/** `thrown`'s `name` when it is an error with a string one, else `'Error'`. Never throws. */
export function thrownName(thrown: unknown): string {
  if (!isError(thrown)) return 'Error';
  const name = attempt(() => (thrown as { name?: unknown }).name);
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

function describe(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'function') return `a thrown function${thrown.name === '' ? '' : ` (${thrown.name})`}`;
  if (typeof thrown !== 'object' || thrown === null) return String(thrown);
  if (isError(thrown)) {
    const message = attempt(() => (thrown as { message?: unknown }).message);
    if (typeof message === 'string') return message;
    if (message !== undefined && message !== thrown) return describe(message);
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- its own toString, if any, is what it says
  const text = attempt(() => String(thrown));
  if (text !== undefined && text !== '[object Object]' && !text.startsWith('[object ')) return text;
  const json = attempt(() => JSON.stringify(thrown) as string | undefined);
  if (json !== undefined && json !== '{}') return json;
  return text ?? `a thrown ${kindOf(thrown)}`;
}

/** `Error` instances of this realm or another (a worker, a vm context). */
function isError(value: unknown): boolean {
  if (value instanceof Error) return true;
  return attempt(() => Object.prototype.toString.call(value) === '[object Error]') ?? false;
}

/** `'null-prototype object'`, `'Foo object'`, `'value'`: what kind of thing was thrown. */
function kindOf(thrown: unknown): string {
  if (typeof thrown !== 'object' || thrown === null) return 'value';
  const proto = attempt(() => Object.getPrototypeOf(thrown) as unknown);
  if (proto === null) return 'null-prototype object';
  const name = attempt(() => (proto as { constructor?: { name?: unknown } }).constructor?.name);
  return typeof name === 'string' && name !== '' ? `${name} object` : 'object';
}

function clip(text: string): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)`;
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

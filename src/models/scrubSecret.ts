import { isHeadersLike, type HeadersLike } from './sdkErrors.js';

/**
 * Removing the API key from everything an error holds, before the error becomes the `cause` of
 * ours: printing our error the way `console.error`, `util.inspect` (with any `depth`, with
 * `showHidden`), `JSON.stringify` or `String` do must never show the key, wherever in the error
 * the provider's echo or a custom `fetch` put it.
 *
 * Internal to `src/models/`.
 */

/** What replaces the API key wherever it occurs. */
export const redacted = '[redacted]';

/** `text` with every occurrence of `secret` replaced; short or absent secrets leave it as it is. */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < 4) return text;
  return text.split(secret).join(redacted);
}

/**
 * How many objects the read-only check of a foreign object (see {@link scrubSecret}) may visit
 * before it gives up and treats the object as holding the key: a socket or an HTTP agent can
 * reach a large graph, and an unreadable one is replaced rather than walked for long.
 */
const foreignBudget = 10_000;

/**
 * `value` with `secret` removed, in place: the error, its message and stack (own properties,
 * enumerable or not, data or accessor), its `cause` chain to any length, an `AggregateError`'s
 * `errors`, arrays, plain objects, `Map`s and `Set`s (keys and values), symbol-keyed properties,
 * and headers (a `Headers` holding the key is replaced by a redacted copy, since a response's
 * headers cannot be changed).
 *
 * The walk is iterative with a set of visited objects, so a chain thousands of causes deep or a
 * cycle (`error.cause = error`) neither overflows the stack nor loops.
 *
 * Errors, arrays, plain objects, `Map`s and `Set`s are the error's own data and are changed in
 * place. Any other object (a class instance: a socket, an HTTP agent, an `OpenAI` client someone
 * attached to an error) may still be in use, so it is never changed: it is only searched, and if
 * it holds the key, the reference to it is replaced by a `'[redacted: ClassName]'` string.
 *
 * @returns `value` itself (changed in place), or the redacted string when `value` is a string.
 */
export function scrubSecret<T>(value: T, secret: string | undefined): T {
  if (secret === undefined || secret.length < 4) return value;
  if (typeof value === 'string') return redact(value, secret) as T;
  if (!isObject(value)) return value;
  const seen = new Set<object>([value]);
  const pending: object[] = [value];
  const clean = (child: unknown): unknown => {
    if (typeof child === 'string') return child.includes(secret) ? redact(child, secret) : child;
    if (!isObject(child) || typeof child === 'function') return child;
    if (isHeadersLike(child) && !(child instanceof Map)) return cleanHeaders(child, secret);
    if (!ownsData(child)) return holdsSecret(child, secret) ? `[redacted: ${className(child)}]` : child;
    if (!seen.has(child)) {
      seen.add(child);
      pending.push(child);
    }
    return child;
  };
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    for (const slot of slotsOf(current, secret)) {
      const next = clean(slot.value);
      if (next !== slot.value) slot.replace(next);
    }
  }
  return value;
}

/** One place of an object that holds a value, and how to put another value there. */
interface Slot {
  readonly value: unknown;
  readonly replace: (value: unknown) => void;
}

/**
 * The places of `node` that hold values: a `Map`'s keys and values, a `Set`'s members, or an
 * object's own properties (string and symbol keys, enumerable or not). A property whose key holds
 * `secret` (when given) is renamed first. Reading a property never throws out of here (a `Proxy`, a getter).
 */
function slotsOf(node: object, secret: string | undefined): Slot[] {
  const slots: Slot[] = [];
  if (node instanceof Map) {
    const map = node as Map<unknown, unknown>;
    for (const [key, entry] of [...map]) {
      slots.push({ value: entry, replace: (value) => map.set(key, value) });
      slots.push({
        value: key,
        replace: (value) => {
          map.delete(key);
          map.set(value, entry);
        },
      });
    }
    return slots;
  }
  if (node instanceof Set) {
    const set = node as Set<unknown>;
    for (const member of [...set]) {
      slots.push({
        value: member,
        replace: (value) => {
          set.delete(member);
          set.add(value);
        },
      });
    }
    return slots;
  }
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(node);
  } catch {
    return slots;
  }
  for (const original of keys) {
    const key =
      secret !== undefined && typeof original === 'string' && original.includes(secret)
        ? rename(node, original, secret)
        : original;
    const descriptor = tryOr(() => Object.getOwnPropertyDescriptor(node, key), undefined);
    if (descriptor === undefined) continue;
    // An accessor is read only for `stack`, which some engines define as one: other getters may
    // have effects, and `util.inspect` shows them as `[Getter]` without calling them.
    if (!('value' in descriptor) && key !== 'stack') continue;
    const value: unknown =
      'value' in descriptor ? (descriptor.value as unknown) : tryOr((): unknown => Reflect.get(node, key), undefined);
    slots.push({ value, replace: (next) => put(node, key, next, descriptor) });
  }
  return slots;
}

/** Moves the property `key` (which holds the secret) to its redacted name; returns the key now in use. */
function rename(node: object, key: string, secret: string): string {
  const descriptor = tryOr(() => Object.getOwnPropertyDescriptor(node, key), undefined);
  if (descriptor === undefined || !descriptor.configurable) return key;
  const renamed = redact(key, secret);
  try {
    Object.defineProperty(node, renamed, descriptor);
    Reflect.deleteProperty(node, key);
    return renamed;
  } catch {
    return key;
  }
}

/** Sets `node[key]` to `value`, keeping whether it was enumerable; a frozen property stays as it is. */
function put(node: object, key: string | symbol, value: unknown, was: PropertyDescriptor): void {
  try {
    if (was.configurable) {
      Object.defineProperty(node, key, {
        value,
        writable: true,
        configurable: true,
        enumerable: was.enumerable ?? false,
      });
    } else if (was.writable) {
      Reflect.set(node, key, value);
    }
  } catch {
    // Not ours to change (a Proxy refused): the value stays, as it would have without us.
  }
}

/** `headers` itself when no name or value holds the secret, else a redacted copy. */
function cleanHeaders(headers: HeadersLike, secret: string): unknown {
  const entries: [string, string][] = [];
  tryOr(() => headers.forEach((value, name) => entries.push([String(name), String(value)])), undefined);
  if (!entries.some(([name, value]) => name.includes(secret) || value.includes(secret))) return headers;
  const copy = entries.map(([name, value]): [string, string] => [redact(name, secret), redact(value, secret)]);
  return typeof Headers === 'function' ? new Headers(copy) : Object.fromEntries(copy);
}

/**
 * Whether `root` (an object not changed in place) holds the secret anywhere a printer could
 * show it; an object too large to search within the budget counts as holding it.
 */
function holdsSecret(root: object, secret: string): boolean {
  const seen = new Set<object>([root]);
  const pending: object[] = [root];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    if (seen.size > foreignBudget) return true;
    if (isHeadersLike(current) && !(current instanceof Map)) {
      if (cleanHeaders(current, secret) !== current) return true;
      continue;
    }
    let keys: (string | symbol)[] = [];
    if (!(current instanceof Map) && !(current instanceof Set)) {
      keys = tryOr(() => Reflect.ownKeys(current), []);
      if (keys.some((key) => typeof key === 'string' && key.includes(secret))) return true;
    }
    for (const value of [...slotsOf(current, undefined).map((slot) => slot.value), ...printedFields(current)]) {
      if (typeof value === 'string') {
        if (value.includes(secret)) return true;
      } else if (isObject(value) && typeof value !== 'function' && !seen.has(value)) {
        seen.add(value);
        pending.push(value);
      }
    }
  }
  return false;
}

/**
 * The fields of a fetch `Response` or `Request` that printers show but that are not own properties:
 * `util.inspect` reads the prototype's getters of these classes (the key in a response's headers
 * prints), and some engines keep their state in private fields no walk reaches (Node 24's undici).
 * Only these getters are read, which have no effects.
 */
function printedFields(value: object): unknown[] {
  const name = className(value);
  if (name !== 'Response' && name !== 'Request') return [];
  return ['headers', 'url', 'statusText'].map((field) => tryOr((): unknown => Reflect.get(value, field), undefined));
}

/** Whether `value` is data an error owns (changed in place), as opposed to a live object that is only searched. */
function ownsData(value: object): boolean {
  if (value instanceof Error || Array.isArray(value) || value instanceof Map || value instanceof Set) return true;
  const proto: unknown = tryOr(() => Object.getPrototypeOf(value) as unknown, undefined);
  return proto === null || proto === Object.prototype;
}

function className(value: object): string {
  const name: unknown = tryOr(() => (value as { constructor?: { name?: unknown } }).constructor?.name, undefined);
  return typeof name === 'string' && name !== '' ? name : 'object';
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function tryOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

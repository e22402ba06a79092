import type { FunctionCallItem } from '../items.js';
import { isOptionalString, isRecord } from './eventShapes.js';

/**
 * The tool calls of one streamed chat completion, put together from their deltas.
 *
 * Internal to `src/models/`.
 */

interface ToolCallSoFar {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Accumulates tool-call deltas into calls: id and name from the first delta that has them (an
 * empty string is no id: servers send `id: ''` on continuation deltas), arguments concatenated.
 *
 * Which call a delta belongs to:
 * - By `index`, the way OpenAI streams them, whether the arguments come in pieces or whole in one
 *   delta, and whether one chunk holds one call or several.
 * - A delta at an index whose call already has a different, non-empty id starts a new call: some
 *   servers number every call 0. A different id cannot continue a call.
 * - Without `index` (Gemini's OpenAI-compatible endpoint, some proxies), by position: a delta with
 *   an id other than the last call's, or (when either has no id) with a name while the last call
 *   already has one, starts a new call; any other continues the last call. Whole calls sent one
 *   per delta, with or without ids, and calls streamed in pieces are both read correctly.
 *
 * Calls come out in the order they started.
 */
export class ChatToolCalls {
  readonly #calls: ToolCallSoFar[] = [];
  readonly #byIndex = new Map<number, ToolCallSoFar>();

  /**
   * Takes in one delta of `delta.tool_calls`. A delta that is not an object, a function that is
   * not an object, an id, name or arguments that are not strings, or an `index` that is not a
   * small whole number throws `malformed(what)`'s error.
   */
  add(delta: unknown, malformed: (what: string) => Error): void {
    if (!isRecord(delta)) throw malformed('a tool call that is not an object');
    const fn = delta['function'] ?? {};
    if (!isRecord(fn)) throw malformed('a tool call whose function is not an object');
    const { id, index } = delta;
    const { name, arguments: args } = fn;
    if (!isOptionalString(id) || !isOptionalString(name) || !isOptionalString(args))
      throw malformed('a tool call whose id, name or arguments are not strings');
    if (
      index !== undefined &&
      index !== null &&
      !(typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < 128)
    ) {
      throw malformed('a tool call whose index is not a small whole number');
    }
    const newId = typeof id === 'string' && id !== '' ? id : undefined;
    const newName = typeof name === 'string' && name !== '' ? name : undefined;
    const call = typeof index === 'number' ? this.#atIndex(index, newId) : this.#byPosition(newId, newName);
    if (newId !== undefined && call.id === '') call.id = newId;
    if (newName !== undefined && call.name === '') call.name = newName;
    if (typeof args === 'string') call.arguments += args;
  }

  #atIndex(index: number, id: string | undefined): ToolCallSoFar {
    const known = this.#byIndex.get(index);
    if (known !== undefined && !(id !== undefined && known.id !== '' && known.id !== id)) return known;
    const call = this.#start();
    this.#byIndex.set(index, call);
    return call;
  }

  #byPosition(id: string | undefined, name: string | undefined): ToolCallSoFar {
    const last = this.#calls.at(-1);
    if (last === undefined) return this.#start();
    const starts = id !== undefined && last.id !== '' ? id !== last.id : name !== undefined && last.name !== '';
    return starts ? this.#start() : last;
  }

  #start(): ToolCallSoFar {
    const call: ToolCallSoFar = { id: '', name: '', arguments: '' };
    this.#calls.push(call);
    return call;
  }

  /**
   * The calls as `function_call` items, in the order they started. A call the server sent
   * without an id gets `call_<position>`, so that its output can still be matched to it.
   */
  items(): FunctionCallItem[] {
    return this.#calls.map((call, position) => ({
      type: 'function_call',
      call_id: call.id === '' ? `call_${position}` : call.id,
      name: call.name,
      arguments: call.arguments,
    }));
  }
}

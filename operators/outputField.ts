import { Observable, type OperatorFunction } from 'rxjs';
import { InvalidArgumentError, ModelBehaviorError } from '../src/errors.js';
import type { RunEvent } from '../src/events.js';
import { JsonFieldScanner } from './internal/jsonFieldScanner.js';

/**
 * Emits the text of one string field of a structured answer as it streams: the field's value so
 * far, growing with each text delta, decoded from the JSON the model writes.
 *
 * <span class="informal">For an agent with an `outputType`: a field's prose as it is written, for
 * a UI (or a terminal) to show, instead of the JSON text around it.</span>
 *
 * ```text
 * source:       -a------b-------c----f|   a '{"city":"Oslo","reason":"Fj'  b 'ords and'  c ' light"}'  f final-output
 * outputField:  -x------y-------z-----|   x 'Fj'  y 'Fjords and'  z 'Fjords and light'
 * ```
 *
 * The text of the current turn is read one character at a time, once (a field of an 80 kB answer
 * costs what the answer's length does, not a parse per delta), and the field's value is emitted
 * after each delta that made it longer. Escapes are decoded (`\n`, `\"`, `\u00e9`), never shown
 * half-read, even when a delta ends in the middle of one.
 *
 * - `path` names the field: a key of the answer (`'reason'`), or keys from the top down for a
 *   nested one (`['trip', 'reason']`). Only a string value is followed.
 * - Each turn's text starts afresh (text before a tool call is not the answer), and so does the
 *   attempt a `turn-restarted` event retries: the value then starts again from `''`.
 * - At `final-output`, the output's field (validated by the run, possibly transformed by the
 *   schema) is emitted when it differs from the last value, and the Observable completes. A
 *   final output whose field is there but is not a string errors with `ModelBehaviorError`; a
 *   missing one ends it quietly, as does a run that completes without a final output (one
 *   interrupted for approval).
 * - Nested runs' events (agents called as tools, with `parentCallId`) are ignored.
 *
 * ## Example
 *
 * ```ts
 * import { z } from 'zod';
 * import { Agent, runStreamed } from 'rxjs-agents';
 * import { outputField } from 'rxjs-agents/operators';
 *
 * const agent = new Agent({
 *   name: 'Travel agent',
 *   outputType: z.object({ destination: z.string(), reason: z.string() }),
 * });
 *
 * // In an Angular component: <p [textContent]="reason$ | async"></p>
 * const reason$ = runStreamed(agent, 'Somewhere warm in March?').pipe(outputField('reason'));
 * ```
 *
 * @see {@link partialOutput}
 * @see {@link accumulateText}
 *
 * @param path The field: a key of the answer, or the keys down to a nested one.
 * @returns A function that returns an Observable of the field's text so far.
 * @throws InvalidArgumentError when `path` is not a key or a non-empty list of keys.
 */
export function outputField<T>(path: string | readonly string[]): OperatorFunction<RunEvent<T>, string> {
  const keys = typeof path === 'string' ? [path] : path;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'string')) {
    throw new InvalidArgumentError({
      argument: 'path',
      message: `outputField() takes a field name or a non-empty list of keys; got ${JSON.stringify(path) ?? typeof path}.`,
    });
  }
  return (source) =>
    new Observable<string>((subscriber) => {
      let turn: number | undefined;
      let scanner = new JsonFieldScanner(keys);
      let last: string | undefined;
      const emit = (value: string): void => {
        // The field only grows within an attempt: its length tells a new value, where comparing
        // the strings would flatten the growing one after every delta (quadratic).
        if (last !== undefined && value.length === last.length && (value.length === 0 || value === last)) return;
        last = value;
        subscriber.next(value);
      };
      const restart = (): void => {
        scanner = new JsonFieldScanner(keys);
        if (last !== undefined && last !== '') emit('');
      };

      return source.subscribe({
        next: (event) => {
          if (event.parentCallId !== undefined) return;
          if (event.type === 'text-delta') {
            if (event.turn !== turn) {
              if (turn !== undefined) restart();
              turn = event.turn;
            }
            scanner.write(event.delta);
            if (scanner.value !== '' || scanner.done) emit(scanner.value);
          } else if (event.type === 'turn-restarted' && event.turn === turn) {
            restart();
          } else if (event.type === 'final-output') {
            const value = fieldOf(event.output, keys);
            if (value !== undefined && typeof value !== 'string') {
              subscriber.error(
                new ModelBehaviorError({
                  message: `outputField(): the final output's field ${keys.join('.')} is not a string, but ${typeof value}.`,
                }),
              );
              return;
            }
            if (value !== undefined) emit(value);
            subscriber.complete();
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

function fieldOf(output: unknown, keys: readonly string[]): unknown {
  let value: unknown = output;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

import { zodResponsesFunction, zodTextFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import type { JsonSchema } from '../model.js';

/** Whether `value` is a zod 4 schema (what `outputType` and `parameters` must be). */
export function isZodSchema(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** Whether `value` is a zod object schema (what tool `parameters` must be). */
export function isZodObject(value: unknown): value is z.ZodObject {
  return isZodSchema(value) && zodTypeOf(value) === 'object';
}

/** The zod 4 kind of `schema`: `'object'`, `'array'`, `'union'`, … */
function zodTypeOf(schema: z.ZodType): string | undefined {
  const { type } = (schema as { _zod: { def: { type?: unknown } } })._zod.def;
  return typeof type === 'string' ? type : undefined;
}

/**
 * The strict JSON schema of a structured answer, made by the `openai` SDK's own zod helper so that
 * it is exactly what the API accepts in strict mode.
 *
 * @throws Error (the SDK's or zod's) when strict mode cannot express `schema`; see {@link strictSchemaProblem}.
 */
export function outputJsonSchema(schema: z.ZodType, name: string): JsonSchema {
  return zodTextFormat(schema, name).schema;
}

/**
 * The strict JSON schema of a tool's parameters, made by the `openai` SDK's own zod helper.
 *
 * @throws Error (the SDK's or zod's) when strict mode cannot express `schema`; see {@link strictSchemaProblem}.
 */
export function parametersJsonSchema(schema: z.ZodObject, name: string): JsonSchema {
  return zodResponsesFunction({ name, parameters: schema }).parameters as JsonSchema;
}

/**
 * Why strict mode cannot express `schema`, told from what the SDK's helper (or zod's
 * `toJSONSchema`) threw: where in the schema, what is wrong, and what to write instead. It goes in
 * an `InvalidArgumentError`'s message, so the reason is read where the error is, not in its `cause`.
 *
 * @param cause What {@link outputJsonSchema} or {@link parametersJsonSchema} threw.
 * @param schema The zod schema that was being converted.
 * @returns A sentence fragment, such as ``"`note` uses .optional() without .nullable(), …"``.
 */
export function strictSchemaProblem(cause: unknown, schema: z.ZodType): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  let match = /Schema field at `([^`]*)` uses `\.optional\(\)` without `\.nullable\(\)`/.exec(text);
  if (match) {
    return (
      `${fieldPath(match[1])} uses .optional() without .nullable(): in strict mode every field is required; ` +
      'use .nullable() (or .optional().nullable()) for a field the model may leave out.'
    );
  }
  match = /^Root schema must have type: 'object'/.exec(text);
  if (match) {
    const kind = zodTypeOf(schema);
    return (
      `the root is ${kind === undefined ? 'not an object' : `a z.${kind}()`}, but strict mode needs a z.object({ ... }) ` +
      'at the root; wrap it, as in z.object({ answer: ... }).'
    );
  }
  match = /Object schema at `([^`]*)` must set `additionalProperties: false`/.exec(text);
  if (match) {
    return (
      `${fieldPath(match[1])} is an object with open keys (z.record(), .catchall(), z.looseObject()), which strict ` +
      'mode cannot express; name its keys in a z.object({ ... }), or use an array of { key, value } objects.'
    );
  }
  match = /Schema at `([^`]*)` uses tuple-form `items`/.exec(text);
  if (match) {
    return `${fieldPath(match[1])} is a z.tuple(), which strict mode cannot express; use a z.object({ ... }) or a z.array().`;
  }
  match = /^(.+) cannot be represented in JSON Schema/.exec(text);
  if (match) {
    return `it uses ${match[1]}, which cannot be represented in JSON Schema; describe the JSON the model writes, and convert it after the run.`;
  }
  return `strict mode cannot express it: ${text}`;
}

/**
 * A JSON-schema path as the SDK reports it (`properties/list/items/properties/note`), as a field
 * path a zod schema's author reads (`` `list[].note` ``); `<root>` is "the root".
 */
function fieldPath(pointer: string | undefined): string {
  if (pointer === undefined || pointer === '' || pointer === '<root>') return 'the root';
  const segments = pointer.split('/');
  let path = '';
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (segment === 'properties' && index + 1 < segments.length) {
      const key = segments[++index]!;
      path += path === '' ? key : `.${key}`;
    } else if (segment === 'items') {
      path += '[]';
    } else {
      path += path === '' ? segment : `.${segment}`;
    }
  }
  return `\`${path}\``;
}

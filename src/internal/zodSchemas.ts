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
  return isZodSchema(value) && (value as { _zod: { def: { type?: unknown } } })._zod.def.type === 'object';
}

/**
 * The strict JSON schema of a structured answer, made by the `openai` SDK's own zod helper so that
 * it is exactly what the API accepts in strict mode.
 */
export function outputJsonSchema(schema: z.ZodType, name: string): JsonSchema {
  return zodTextFormat(schema, name).schema;
}

/** The strict JSON schema of a tool's parameters, made by the `openai` SDK's own zod helper. */
export function parametersJsonSchema(schema: z.ZodObject, name: string): JsonSchema {
  return zodResponsesFunction({ name, parameters: schema }).parameters as JsonSchema;
}

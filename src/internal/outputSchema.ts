import type { z } from 'zod';
import { InvalidArgumentError } from '../errors.js';
import type { JsonSchema } from '../model.js';
import { isZodSchema, outputJsonSchema, strictSchemaProblem } from './zodSchemas.js';

/** An agent's structured answer as the model request names it: `final_output` and its strict JSON schema. */
export interface OutputSchema {
  readonly name: 'final_output';
  readonly schema: JsonSchema;
}

/** What an error about an outputType names: the argument, and the words its message starts with. */
export interface Blame {
  readonly argument: string;
  readonly where: string;
}

// The JSON schema of an outputType is the same for every agent and run: made once per zod schema.
const schemas = new WeakMap<z.ZodType, OutputSchema>();

/**
 * The strict JSON schema of `agent.outputType`, or `undefined` for an agent that answers in text.
 *
 * `new Agent()` calls it, so an `outputType` strict mode cannot express fails where it is written,
 * before any run pays for a model call; the runner calls it again for each agent a run reaches
 * (once made, the schema is kept, keyed by the zod schema).
 *
 * @param agent The agent (or what it is being made from).
 * @param blame The argument an error names, and the words its message starts with; by default
 * `outputType` and `agent '<name>'`. A handoff check names `handoffs[i]` instead.
 * @throws InvalidArgumentError whose message says where in the schema and why, for example
 * `` Invalid argument `outputType`: agent 'A': `note` uses .optional() without .nullable(): … ``.
 */
export function outputSchemaOf(
  agent: { readonly name: string; readonly outputType?: unknown },
  blame: Blame = { argument: 'outputType', where: `agent '${agent.name}'` },
): OutputSchema | undefined {
  const { outputType } = agent;
  if (outputType === undefined) return undefined;
  if (!isZodSchema(outputType)) {
    throw new InvalidArgumentError({
      argument: blame.argument,
      message: `${blame.where}: outputType must be a zod schema, such as z.object({ ... }).`,
    });
  }
  let made = schemas.get(outputType);
  if (made === undefined) {
    try {
      made = { name: 'final_output', schema: outputJsonSchema(outputType, 'final_output') };
    } catch (cause) {
      throw new InvalidArgumentError({
        argument: blame.argument,
        message: `${blame.where}: ${strictSchemaProblem(cause, outputType)}`,
        cause,
      });
    }
    schemas.set(outputType, made);
  }
  return made;
}

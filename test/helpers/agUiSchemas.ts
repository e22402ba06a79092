/**
 * AG-UI's own checks of what we send, from the protocol's packages: each event against
 * `@ag-ui/core`'s zod schema of its type, made strict (the schemas are loose, so a misspelt field
 * would pass them), and a whole run's sequence through `@ag-ui/client`'s `verifyEvents`, the
 * client's own check of the order (a message opened before its content, every step finished before
 * `RUN_FINISHED`, nothing after it).
 */
import { verifyEvents } from '@ag-ui/client';
import { EventSchema } from '@ag-ui/core/schemas';
import { from } from 'rxjs';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { AgUiEvent } from '../../src/index.js';

const schemas = EventSchema.options as readonly z.ZodObject[];

function schemaOf(type: string): z.ZodObject {
  const schema = schemas.find((option) => (option.shape.type as z.ZodLiteral).value === type);
  if (!schema) throw new Error(`@ag-ui/core has no event of type ${type}`);
  return schema.strict();
}

/** Fails unless every event is valid under its type's schema, with no field the schema lacks. */
export function expectValidAgUiEvents(events: readonly unknown[]): void {
  for (const event of events) {
    const type = (event as { type: string }).type;
    const result = schemaOf(type).safeParse(event);
    expect(result.error?.issues, `${type} ${JSON.stringify(event)}`).toBeUndefined();
  }
}

/** Fails unless the events are valid one by one and, as a run, in an order the client accepts. */
export async function expectValidAgUiRun(events: readonly AgUiEvent[]): Promise<void> {
  expectValidAgUiEvents(events);
  // The client has its own copy of RxJS (it pins one): its Observables are not ours by type.
  const verify = verifyEvents();
  const verified = await new Promise<number>((resolve, reject) => {
    let count = 0;
    verify(from(events) as unknown as Parameters<typeof verify>[0]).subscribe({
      next: () => count++,
      error: reject,
      complete: () => resolve(count),
    });
  });
  expect(verified).toBe(events.length);
}

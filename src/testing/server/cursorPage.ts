/**
 * One page of a list endpoint, as the `openai` SDK's `CursorPage` reads it (`data`, `has_more`,
 * and the next page asked for with `after` = the last item's id), with OpenAI's `first_id` and
 * `last_id` beside them.
 */
import { errorBody } from './respond.js';
import type { JsonAnswer } from './conversations.js';

/**
 * The page of `items` (already in the list's order) after the id `query.get('after')`, of at most
 * `limit` items (`query.get('limit')`, between 1 and `maxLimit`, default `defaultLimit`); a 400
 * naming the parameter when `limit` or `after` is not valid.
 */
export function cursorPage<T extends { readonly id: string }>(
  items: readonly T[],
  query: URLSearchParams,
  defaultLimit: number,
  maxLimit: number,
): JsonAnswer {
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? defaultLimit : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    return {
      status: 400,
      body: errorBody(400, `limit must be an integer from 1 to ${maxLimit}; got ${String(rawLimit)}.`, null, 'limit'),
    };
  }
  const after = query.get('after');
  let start = 0;
  if (after !== null) {
    const index = items.findIndex((item) => item.id === after);
    if (index < 0) {
      return { status: 400, body: errorBody(400, `No object with id '${after}' to list after.`, null, 'after') };
    }
    start = index + 1;
  }
  const data = items.slice(start, start + limit);
  return {
    status: 200,
    body: {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: start + limit < items.length,
    },
  };
}

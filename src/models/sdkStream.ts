import { ModelProviderError } from '../errors.js';
import type { ApiLabel } from './providerErrors.js';

/**
 * Reading the `openai` SDK's streams.
 *
 * Internal to `src/models/`.
 */

/**
 * The events of `stream`, with the SDK's own failure to read a malformed event turned into a
 * retryable `ModelProviderError` ("sent a malformed event"), the SDK's `TypeError` as its `cause`.
 *
 * `openai` 7 normalizes every Chat Completions chunk before it yields it (it reads
 * `choice.finish_reason` of each choice), so a chunk whose choice is `null` throws a `TypeError`
 * inside the SDK's iterator, where the models' own checks of each event (see `eventShapes.ts`)
 * never see it; `openai` 6 yielded the chunk, and the models' checks named it. Only an error the
 * iterator throws is translated, and only a language `TypeError` (no `cause`): a body that breaks
 * off is undici's `TypeError('terminated')` with the socket error as `cause`, and stays a broken
 * connection. Leaving early returns the SDK's iterator, which aborts its request.
 *
 * `ready` (backpressure, see `modelCall`) is asked before each event is read: while what it
 * returns is pending, the SDK's body is not read, so the socket fills and the server waits.
 */
export async function* sdkEvents(
  stream: AsyncIterable<unknown>,
  api: ApiLabel,
  ready?: () => Promise<void> | undefined,
): AsyncGenerator<unknown> {
  const iterator = stream[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let result: IteratorResult<unknown>;
      const paused = ready?.();
      if (paused !== undefined) await paused;
      try {
        result = await iterator.next();
      } catch (error) {
        finished = true;
        if (!unreadableEvent(error)) throw error;
        throw new ModelProviderError({
          message: `${api} sent a malformed event: one the openai SDK could not read.`,
          cause: error,
          retryable: true,
        });
      }
      if (result.done === true) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}

function unreadableEvent(error: unknown): boolean {
  return error instanceof TypeError && error.cause === undefined && error.message !== 'terminated';
}

/**
 * What an error may quote of a response that was not the stream it should have been: the start
 * of its body, read and then cancelled (which closes the connection).
 *
 * Internal: used by the OpenAI models and by `fromServerSentEvents()`. Browser-safe.
 */

/** How many bytes of such a body an error quotes. */
export const quotedBytes = 200;

/** Whether `contentType` names a server-sent event stream; a missing or empty one is given the benefit of the doubt. */
export function isEventStreamType(contentType: string | null): boolean {
  return contentType === null || contentType.trim() === '' || /^\s*text\/event-stream\b/i.test(contentType);
}

/**
 * The first {@link quotedBytes} bytes of `body` as text (fewer if it ends or breaks off first),
 * as a phrase: `its body began: "<!DOCTYPE html>…"`, or `its body was empty`. The body is cancelled
 * after. `secret` (the API key) is replaced wherever it shows.
 */
export async function bodyStart(body: ReadableStream<Uint8Array> | null, secret?: string): Promise<string> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await firstBytes(body)).slice(0, quotedBytes);
  const shown = secret !== undefined && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
  return shown.trim() === '' ? 'its body was empty' : `its body began: ${JSON.stringify(shown)}`;
}

async function firstBytes(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (body === null || body.locked) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < quotedBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.byteLength;
    }
  } catch {
    // What arrived before the body broke off is what the error quotes.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined.subarray(0, quotedBytes);
}

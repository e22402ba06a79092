/**
 * A `fetch` that answers every request with the same recorded server-sent-event bytes, in
 * process: one chunk per event, one event per read, as the local server writes them. Given to
 * the SDKs as their `fetch`, it takes the server and the network out of the measurement, leaving
 * only each client's own work.
 */

/** Records the body the server sends for the next request, split into one chunk per event. */
export async function recordEvents(baseURL: string): Promise<Uint8Array[]> {
  const response = await fetch(`${baseURL}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', input: 'Tell me a long story.', stream: true }),
  });
  const text = await response.text();
  const encoder = new TextEncoder();
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => encoder.encode(`${event}\n\n`));
}

/** A `fetch` that replays `chunks` as a `text/event-stream` response to every request. */
export function replayFetch(chunks: readonly Uint8Array[]): typeof fetch {
  return async (_input, init) => {
    // Read the request body as a real fetch would send it.
    if (typeof init?.body === 'string') void init.body.length;
    let index = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[index++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  };
}

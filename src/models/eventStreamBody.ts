import { createParser } from 'eventsource-parser';
import { eventDataParser } from './parseEventData.js';

/**
 * Reading a streamed response's server-sent events ourselves, instead of through the `openai`
 * SDK's `Stream`.
 *
 * The SDK still makes the request (authentication, base URL, headers, its retries until the
 * response arrives, its error classes for an HTTP error); only the body is read here. Its own
 * reader costs more than the rest of a streamed run together (bench/README.md, finding 5): it
 * copies its byte buffer as it splits events, runs three async generators per event, and — in
 * `openai` 7 — copies every Chat Completions chunk to add `finish_reason: null`. Here a read's
 * bytes are decoded once, split by `eventsource-parser` (linear in the bytes), and its events are
 * handled synchronously, so the only `await` per read is the read itself.
 *
 * What the SDK's reader does with the events is kept: `data: [DONE]` ends the stream; an event
 * that is not JSON is a `SyntaxError`; an `event: error`, or an event with an `error` field, is
 * the SDK's own `APIError` (made with the client's class, so it is handled exactly as the SDK's
 * would be); an event left without its closing blank line at the end of the body still counts.
 *
 * Internal to `src/models/`.
 */

/** What an in-stream error becomes: the client's `APIError(undefined, error, undefined, headers)`. */
export type StreamErrorFactory = (error: unknown, headers: Headers) => Error;

/** How {@link readEventStream} reads a body. */
export interface EventStreamReading {
  /** The API key: an event holding it is given with `[redacted]` in its place. */
  readonly secret: string | undefined;
  /** Aborting ends the reading quietly: nothing more is handed on. */
  readonly signal: AbortSignal;
  /** Called each time bytes of the body arrive, before the events they complete (if any). */
  readonly onBytes?: () => void;
  /** Asked before each event; while what it returns is pending, nothing more is read (backpressure). */
  readonly ready?: () => Promise<void> | undefined;
  readonly streamError: StreamErrorFactory;
}

/** Where {@link readEventStream} goes on handing events on, once `paused` is over. */
interface Resume {
  readonly index: number;
  readonly paused: Promise<void>;
}

interface PendingEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * Reads `response`'s body to its end (or to `[DONE]`), handing each event's parsed JSON to
 * `onEvent` in order. A throw of `onEvent` ends the reading with that error. The body is cancelled
 * whenever the reading ends before the body does.
 */
export async function readEventStream(
  response: Response,
  reading: EventStreamReading,
  onEvent: (data: unknown) => void,
): Promise<void> {
  const body = response.body;
  if (body === null) throw new TypeError('Attempted to iterate over a response with no body');
  const { signal, onBytes, ready, secret } = reading;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parseData = eventDataParser(secret);
  let pending: PendingEvent[] = [];
  const parser = createParser({ onEvent: ({ event, data }) => pending.push({ event, data }) });
  /**
   * Hands on `events` from `from`: `true` to stop reading ([DONE], an abort), `false` once all are
   * handed on, or where to go on once `paused` is over (`ready` asked to wait before that event;
   * `waited` says the wait for `from` is over). Synchronous, so that no event's text is left in the
   * reading's suspended frame: an event's data is a slice of the whole read's text, and the last
   * event of a read would keep that alive as long as the run waits for the next read.
   */
  const handOn = (events: readonly PendingEvent[], from: number, waited: boolean): boolean | Resume => {
    for (let index = from; index < events.length; index++) {
      if (!waited || index > from) {
        const paused = ready?.();
        if (paused !== undefined) return { index, paused };
      }
      if (signal.aborted) return true;
      const { event, data } = events[index] as PendingEvent;
      if (data === '[DONE]') return true;
      const parsed = parseData(data);
      const reported = reportedError(event, parsed);
      if (reported !== undefined) throw reading.streamError(reported, response.headers);
      onEvent(parsed);
    }
    return false;
  };
  let bodyEnded = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) return;
      if (done) {
        bodyEnded = true;
        // The decoder's last bytes, and an event the server did not close with a blank line.
        parser.feed(`${decoder.decode()}\n\n`);
      } else {
        onBytes?.();
        parser.feed(decoder.decode(value, { stream: true }));
      }
      const events = pending;
      pending = [];
      let outcome = handOn(events, 0, false);
      while (typeof outcome === 'object') {
        await outcome.paused;
        if (signal.aborted) return;
        outcome = handOn(events, outcome.index, true);
      }
      events.length = 0;
      if (outcome || bodyEnded) return;
    }
  } finally {
    // Ended early ([DONE], an error, an abort): let the connection go. Cancelling cannot fail the run.
    if (!bodyEnded) reader.cancel().catch(() => undefined);
  }
}

/** The error an event reports, as the SDK reads it: `event: error`, or a truthy `error` field. */
function reportedError(event: string | undefined, data: unknown): unknown {
  const field = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  if (event === 'error') return field ?? data;
  return field ? field : undefined;
}

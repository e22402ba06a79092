/**
 * Recorded streams: one JSON event per line, exactly as a server sent them in each `data:` field.
 */
import { readFileSync } from 'node:fs';

/**
 * Reads a `.jsonl` recording into its events (blank lines skipped). A line that is not JSON
 * throws, naming the file and the line number.
 */
export function loadFixture(path: string | URL): unknown[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const events: unknown[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
    } catch (error) {
      throw new Error(`${String(path)}:${index + 1}: not a JSON line`, { cause: error });
    }
  });
  return events;
}

const responseEnds = new Set(['response.completed', 'response.failed', 'response.incomplete']);

/**
 * Splits a recording of several consecutive Responses API responses into one list of events per
 * response, cutting after each `response.completed` (or `response.failed` /
 * `response.incomplete`), so each piece can be one scripted turn. Events after the last cut form
 * a last piece of their own.
 */
export function splitResponses(events: readonly unknown[]): unknown[][] {
  const pieces: unknown[][] = [];
  let current: unknown[] = [];
  for (const event of events) {
    current.push(event);
    const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && responseEnds.has(type)) {
      pieces.push(current);
      current = [];
    }
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

import { catchError, map, of, type Observable } from 'rxjs';
import type { AgUiEvent, AgUiRunErrorEvent } from './agUiEvents.js';

/**
 * AG-UI over server-sent events: each event as one `data: <JSON>\n\n` frame, which is all that
 * `@ag-ui/client`'s parser reads (it ignores `event:` lines and picks SSE for any content type
 * but AG-UI's protobuf one). Shared by `toAgUiResponse` and `serveAgUi`.
 */

/** One event as an SSE frame; its JSON on one line (`JSON.stringify` escapes every line break). */
export function agUiFrame(event: AgUiEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/**
 * The frames of `events`. `toAgUiEvents()` never errors (an error is its `RUN_ERROR`); a stream of
 * events made otherwise that errors, or an event that cannot be encoded, ends with a generic
 * `RUN_ERROR` frame, so the client learns the run failed and the response still ends cleanly.
 */
export function agUiFrames(events: Observable<AgUiEvent>): Observable<string> {
  return events.pipe(
    map(agUiFrame),
    catchError(() => {
      const failed: AgUiRunErrorEvent = { type: 'RUN_ERROR', message: 'The run failed.', code: 'Error' };
      return of(agUiFrame(failed));
    }),
  );
}

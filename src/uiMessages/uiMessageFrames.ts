import { catchError, endWith, map, of, type Observable } from 'rxjs';
import { errorMessageOption, publicErrorMessage } from '../../operators/internal/publicError.js';
import { toUIMessageStream, type ToUIMessageStreamOptions } from '../../operators/toUIMessageStream.js';
import type { RunEvent } from '../events.js';
import { eventStreamHeaders } from '../interop/eventStreamHeaders.js';
import type { UIMessageChunk } from './uiMessageChunk.js';

/**
 * The wire form of the UI message stream, what the servers of `toUIMessageStreamResponse()` and
 * `serveUIMessageStream()` share: server-sent events of one `data: <JSON>` line each, a last
 * `data: [DONE]`, and the headers the AI SDK's own servers send (`x-vercel-ai-ui-message-stream:
 * v1` tells the client which protocol it reads).
 */
export const uiMessageStreamHeaders: Readonly<Record<string, string>> = {
  ...eventStreamHeaders,
  'x-vercel-ai-ui-message-stream': 'v1',
};

/** The last frame of every stream. */
export const doneFrame = 'data: [DONE]\n\n';

/**
 * The frames of a run: a chunk each, then `[DONE]`. A chunk that cannot be encoded (a `BigInt` in
 * a tool's output) ends the stream with an `error` chunk, as an error of the run does.
 */
export function uiMessageFrames(
  events: Observable<RunEvent<unknown>>,
  options: ToUIMessageStreamOptions,
): Observable<string> {
  const chunks = toUIMessageStream(options);
  const publicMessage = errorMessageOption(options.errorMessage);
  return events.pipe(
    chunks,
    map(frame),
    catchError((error: unknown) => of(frame({ type: 'error', errorText: publicErrorMessage(error, publicMessage) }))),
    endWith(doneFrame),
  );
}

function frame(chunk: UIMessageChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

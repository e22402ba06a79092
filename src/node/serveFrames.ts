import type { ServerResponse } from 'node:http';
import { Subscription, type Observable } from 'rxjs';
import { pauseSource } from '../backpressure.js';
import { eventStreamHeaders } from '../interop/eventStreamHeaders.js';

/**
 * What `serveServerSentEvents` and `serveAgUi` share: status 200 and the event-stream headers,
 * flushed at once; each frame written, the source asked to pause (`pauseSource()`) until `drain`
 * when `write()` returns `false`; the response ended when the frames complete; and the frames
 * unsubscribed when the response closes first. A response already destroyed (or ended) starts
 * nothing. The caller has checked that the headers were not sent.
 */
export function serveFrames(response: ServerResponse, frames: Observable<string>): Subscription {
  if (response.destroyed || response.writableEnded) return Subscription.EMPTY;

  response.writeHead(200, eventStreamHeaders);
  response.flushHeaders();

  const subscription = new Subscription();
  const onClose = (): void => subscription.unsubscribe();
  response.once('close', onClose);
  subscription.add(() => response.off('close', onClose));
  let drained: Promise<void> | undefined;
  /** The next `drain` (or `close`: a closed response drains nothing, and the run is ending). */
  const whenDrained = (): Promise<void> =>
    (drained ??= new Promise<void>((resolve) => {
      const done = (): void => {
        response.off('drain', done);
        response.off('close', done);
        drained = undefined;
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    }));
  subscription.add(
    frames.subscribe({
      next: (frame) => {
        if (!response.write(frame)) pauseSource(whenDrained());
      },
      complete: () => response.end(),
    }),
  );
  return subscription;
}

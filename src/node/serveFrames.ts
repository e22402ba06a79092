import type { ServerResponse } from 'node:http';
import { Subscription, type Observable } from 'rxjs';
import { pauseSource } from '../backpressure.js';

/**
 * What `serveServerSentEvents()`, `serveUIMessageStream()` and `serveAgUi()` share: status 200 and `headers`
 * flushed at once, each frame written as it comes, the response ended when the frames complete;
 * the frames unsubscribed when the response closes first (the client went away), and paused while
 * `write()` says the response is full, until its `drain`.
 *
 * Internal to `src/node/`. The caller has checked that the headers were not sent.
 */
export function serveFrames(
  response: ServerResponse,
  headers: Readonly<Record<string, string>>,
  frames: Observable<string>,
): Subscription {
  if (response.destroyed || response.writableEnded) return Subscription.EMPTY;

  response.writeHead(200, headers);
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

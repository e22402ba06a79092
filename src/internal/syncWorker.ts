/**
 * The model worker behind `runSync()`: it rebuilds the OpenAI model from its descriptor, makes
 * each call under the run's policy (idle timeout, retries), and sends the call's events back as
 * they arrive, in chunks of at most `chunkEvents`, then an end (with the error, if any). Nothing
 * of a call is held here beyond one chunk, so a long answer never sits whole in this heap.
 *
 * An event that cannot cross to the calling thread (structured clone fails: an event nested
 * thousands of levels deep) ends its call with a `SyncRunError` that names it, and the HTTP
 * request is aborted, so the calling thread never waits for a reply that cannot come.
 *
 * Started by the supervisor (`syncSupervisor.ts`), which reports this thread's death.
 */
import { describeThrown } from './describeThrown.js';
import { workerData } from 'node:worker_threads';
import { Subscription } from 'rxjs';
import type { Model } from '../model.js';
import { modelFromSyncDescriptor } from '../models/syncDescriptor.js';
import { guardModelCall, type ModelCallEvent } from '../runner/retryModelCall.js';
import { toSyncCallError, type SyncCallError } from '../runner/sync/syncCallError.js';
import {
  chunkEvents,
  postAndNotify,
  type CallMessage,
  type FromModelWorker,
  type ModelWorkerData,
  type ToModelWorker,
} from '../runner/sync/syncProtocol.js';

const { shared, calls } = workerData as ModelWorkerData;
const running = new Map<number, Subscription>();

/** What ends a call whose event could not be cloned: plain data for `rebuildError`. */
function cloneFailure(error: unknown, index: number, event: ModelCallEvent): SyncCallError {
  const why = describeThrown(error);
  return {
    name: 'SyncRunError',
    message:
      `runSync() could not bring event ${index + 1} of the model's stream (a '${event.type}' event) back from its ` +
      `worker thread: copying it to the calling thread failed (${why}), as it does for an event nested too deeply. ` +
      `The call was aborted. Use run(), which reads the stream on the calling thread.`,
  };
}

/** One call's replies: events gathered into chunks, each posted at once when full or on the next turn of the loop. */
function startCall({ id, descriptor, request, policy }: CallMessage): void {
  const call = new Subscription();
  let pending: ModelCallEvent[] = [];
  let posted = 0;
  let flushScheduled = false;
  let ended = false;

  const post = (message: FromModelWorker): void => postAndNotify(calls, shared, message);
  const end = (error?: SyncCallError): void => {
    if (ended) return;
    ended = true;
    call.unsubscribe();
    running.delete(id);
    try {
      post(error === undefined ? { type: 'end', id } : { type: 'end', id, error });
    } catch (postError) {
      // The error itself would not clone (a strange `usage`): send what is sure to.
      post({ type: 'end', id, error: { name: error?.name ?? 'Error', message: toSyncCallError(postError).message } });
    }
  };
  /** Posts what is pending; false (and the call ended) when an event would not clone. */
  const flush = (): boolean => {
    if (ended || pending.length === 0) return !ended;
    const events = pending;
    pending = [];
    try {
      post({ type: 'events', id, events });
      posted += events.length;
      return true;
    } catch {
      // Find the event at fault; those before it go through one by one.
      for (const event of events) {
        try {
          post({ type: 'events', id, events: [event] });
          posted += 1;
        } catch (error) {
          end(cloneFailure(error, posted, event));
          return false;
        }
      }
      return true;
    }
  };

  running.set(id, call);
  let model: Model;
  try {
    model = modelFromSyncDescriptor(descriptor);
  } catch (error) {
    return end(toSyncCallError(error));
  }
  call.add(
    guardModelCall(() => model.stream(request), policy).subscribe({
      next: (event) => {
        // Bytes arriving (`progress`) only feed the idle timer, applied here: the caller has no use for them.
        if (event.type === 'progress') return;
        pending.push(event);
        if (pending.length >= chunkEvents) flush();
        else if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(() => {
            flushScheduled = false;
            flush();
          });
        }
      },
      complete: () => {
        if (flush()) end();
      },
      error: (error: unknown) => {
        if (flush()) end(toSyncCallError(error));
      },
    }),
  );
}

calls.on('message', (message: ToModelWorker) => {
  if (message.type === 'call') return startCall(message);
  // The calling thread stopped listening: abort the HTTP request, send nothing more.
  const call = running.get(message.id);
  running.delete(message.id);
  call?.unsubscribe();
});

import { Observable } from 'rxjs';
import { SyncRunError } from '../../errors.js';
import type { Model, ModelRequest } from '../../model.js';
import type { SyncModelDescriptor } from '../../models/openaiModelBase.js';
import type { ModelCallEvent, ModelCallPolicy } from '../retryModelCall.js';
import { syncDescriptorOf } from '../../internal/syncDescriptorOf.js';
import { chatHostedToolsError } from '../../models/hostedToolsRefusal.js';
import { chatServerHistoryError } from '../../models/serverHistoryRefusal.js';
import { isInThreadServer } from './inThreadServers.js';
import { rebuildError, type SyncCallError } from './syncCallError.js';
import { callOnWorker, canCallOnWorker } from './workerLink.js';

/** A model whose calls a worker thread can make for it: it describes itself as plain data. */
interface BridgeableModel extends Model {
  [syncDescriptorOf](): SyncModelDescriptor;
}

function isBridgeable(model: Model): model is BridgeableModel {
  return typeof (model as Partial<BridgeableModel>)[syncDescriptorOf] === 'function';
}

/** `OPENAI_BASE_URL`, which a client made without options reads (on the worker too). */
function environmentBaseURL(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.['OPENAI_BASE_URL'];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * One model call as `runSync()` makes it, when `model` is an OpenAI model: the call, with the
 * run's idle timeout and retries, is carried out on a worker thread while the calling thread
 * blocks, and its events are emitted here as they arrive, chunk by chunk (`workerLink.ts`).
 * `undefined` for any other model, which `runSync()` drives itself (it must complete its stream
 * synchronously).
 *
 * A worker that dies or falls silent, or an event that cannot be copied back, fails the call with
 * a `SyncRunError`: the calling thread never waits for a reply that cannot come. So does a base
 * URL that points at a local server listening on this very thread (`inThreadServers.ts`), at once.
 */
export function bridgedModelCall(
  model: Model,
  request: ModelRequest,
  policy: ModelCallPolicy,
): Observable<ModelCallEvent> | undefined {
  if (!isBridgeable(model)) return undefined;
  return new Observable<ModelCallEvent>((subscriber) => {
    if (!canCallOnWorker()) {
      subscriber.error(
        new SyncRunError({
          message: `runSync() cannot block in this environment (it needs Node's worker threads); use run() instead.`,
        }),
      );
      return;
    }
    const descriptor = model[syncDescriptorOf]();
    // Refused here, not on the worker, so that the error keeps its class (see syncCallError.ts).
    const refused =
      descriptor.kind === 'openai-chat-completions'
        ? (chatServerHistoryError(request) ?? chatHostedToolsError(request))
        : undefined;
    if (refused !== undefined) {
      subscriber.error(refused);
      return;
    }
    const baseURL = descriptor.clientOptions.baseURL ?? environmentBaseURL();
    if (baseURL !== undefined && isInThreadServer(baseURL)) {
      subscriber.error(
        new SyncRunError({
          message:
            `runSync() was pointed at ${baseURL}, a local server started with startServer() on this same thread: ` +
            `runSync() blocks this thread, so the server could never answer. Start it with startServerProcess() ` +
            `(rxjs-agents/testing/server), which runs it in a child process, or use run().`,
        }),
      );
      return;
    }
    let error: SyncCallError | undefined;
    try {
      error = callOnWorker({ descriptor, request, policy }, ({ events }) => {
        for (const event of events) {
          if (subscriber.closed) return false;
          subscriber.next(event);
        }
        return !subscriber.closed;
      });
    } catch (failure) {
      subscriber.error(failure);
      return;
    }
    if (error) subscriber.error(rebuildError(error));
    else subscriber.complete();
  });
}

import { Observable } from 'rxjs';
import { SyncRunError } from '../../errors.js';
import type { Model, ModelRequest } from '../../model.js';
import type { SyncModelDescriptor } from '../../models/openaiModelBase.js';
import type { ModelCallEvent, ModelCallPolicy } from '../retryModelCall.js';
import { syncDescriptorOf } from '../../internal/syncDescriptorOf.js';
import { rebuildError } from './syncCallError.js';
import { callOnWorker, canCallOnWorker } from './workerLink.js';

/** A model whose calls a worker thread can make for it: it describes itself as plain data. */
interface BridgeableModel extends Model {
  [syncDescriptorOf](): SyncModelDescriptor;
}

function isBridgeable(model: Model): model is BridgeableModel {
  return typeof (model as Partial<BridgeableModel>)[syncDescriptorOf] === 'function';
}

/**
 * One model call as `runSync()` makes it, when `model` is an OpenAI model: the call, with the
 * run's idle timeout and retries, is carried out on a worker thread while the calling thread
 * blocks, and its events are emitted here as they arrive, chunk by chunk (`workerLink.ts`).
 * `undefined` for any other model, which `runSync()` drives itself (it must complete its stream
 * synchronously).
 *
 * A worker that dies or falls silent, or an event that cannot be copied back, fails the call with
 * a `SyncRunError`: the calling thread never waits for a reply that cannot come.
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
    let error;
    try {
      error = callOnWorker({ descriptor: model[syncDescriptorOf](), request, policy }, ({ events }) => {
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

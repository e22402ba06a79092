import { Observable } from 'rxjs';
import { AgentsError, ModelProviderError, SyncRunError } from '../errors.js';
import type { Model, ModelEvent, ModelRequest } from '../model.js';
import type { SyncModelDescriptor } from '../models/openaiModelBase.js';

/** A model whose calls a worker thread can make for it: it describes itself as plain data. */
interface BridgeableModel extends Model {
  toSyncDescriptor(): SyncModelDescriptor;
}

/** An error as it crosses back from the worker: plain data. */
export interface SyncCallError {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
}

/** What the worker sends back for one model call: every event, and the error that ended it, if any. */
export interface SyncCallReply {
  readonly events: readonly ModelEvent[];
  readonly error?: SyncCallError;
}

type SyncModelCall = (descriptor: SyncModelDescriptor, request: ModelRequest) => SyncCallReply;

function isBridgeable(model: Model): model is BridgeableModel {
  return typeof (model as Partial<BridgeableModel>).toSyncDescriptor === 'function';
}

let syncModelCall: SyncModelCall | undefined;

/**
 * The blocking function that makes one model call on a worker thread, made on first use.
 *
 * Node's modules are reached through `process.getBuiltinModule` at call time, never through a
 * static import, so that the main entry stays loadable in a browser; there this returns
 * `undefined`.
 */
function blockingModelCall(): SyncModelCall | undefined {
  if (syncModelCall) return syncModelCall;
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const getBuiltinModule = processLike?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  const { createRequire } = getBuiltinModule('node:module') as typeof import('node:module');
  const require = createRequire(import.meta.url);
  const { createSyncFn } = require('synckit') as typeof import('synckit');
  // Running from TypeScript sources (the library's own tests), a bootstrap loads the TypeScript worker.
  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(fromSource ? '../internal/syncWorkerFromSource.mjs' : '../internal/syncWorker.js', import.meta.url);
  syncModelCall = createSyncFn<SyncModelCall>(workerUrl);
  return syncModelCall;
}

function rebuildError(error: SyncCallError): AgentsError {
  const rebuilt = new ModelProviderError(error.message, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.code === undefined ? {} : { code: error.code }),
  });
  rebuilt.name = error.name;
  return rebuilt;
}

/**
 * The model as `runSync()` drives it: an OpenAI model's call is carried out on a worker thread
 * while the calling thread blocks, and its events are then replayed synchronously. Any other model
 * is used as it is, and must complete its stream synchronously.
 */
export function adaptModelForSync(model: Model): Model {
  if (!isBridgeable(model)) return model;
  return {
    name: model.name,
    stream: (request: ModelRequest) =>
      new Observable<ModelEvent>((subscriber) => {
        const call = blockingModelCall();
        if (!call) {
          subscriber.error(new SyncRunError(`runSync() cannot block in this environment (it needs Node's worker threads); use run() instead.`));
          return;
        }
        const reply = call(model.toSyncDescriptor(), request);
        for (const event of reply.events) {
          if (subscriber.closed) return;
          subscriber.next(event);
        }
        if (reply.error) subscriber.error(rebuildError(reply.error));
        else subscriber.complete();
      }),
  };
}

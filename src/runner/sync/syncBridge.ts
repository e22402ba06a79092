import type * as NodeModule from 'node:module';
import { Observable } from 'rxjs';
import type * as Synckit from 'synckit';
import type { AgentsError } from '../../errors.js';
import { ModelProviderError, ModelTimeoutError, SyncRunError } from '../../errors.js';
import type { Model, ModelRequest } from '../../model.js';
import type { SyncModelDescriptor } from '../../models/openaiModelBase.js';
import type { Usage } from '../../usage.js';
import type { ModelCallEvent, ModelCallPolicy } from '../retryModelCall.js';
import { syncDescriptorOf } from '../../internal/syncDescriptorOf.js';

/** A model whose calls a worker thread can make for it: it describes itself as plain data. */
interface BridgeableModel extends Model {
  [syncDescriptorOf](): SyncModelDescriptor;
}

/** An error as it crosses back from the worker: plain data. */
export interface SyncCallError {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly usage?: Usage;
  /** A `ModelTimeoutError`'s `idleTimeoutMs`. */
  readonly timeoutMs?: number;
}

/**
 * What the worker sends back for one guarded model call: every event (restart markers included),
 * and the error that ended it, if any.
 */
export interface SyncCallReply {
  readonly events: readonly ModelCallEvent[];
  readonly error?: SyncCallError;
}

type SyncModelCall = (descriptor: SyncModelDescriptor, request: ModelRequest, policy: ModelCallPolicy) => SyncCallReply;

function isBridgeable(model: Model): model is BridgeableModel {
  return typeof (model as Partial<BridgeableModel>)[syncDescriptorOf] === 'function';
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
  const { createRequire } = getBuiltinModule('node:module') as typeof NodeModule;
  const require = createRequire(import.meta.url);
  const { createSyncFn } = require('synckit') as typeof Synckit;
  // Running from TypeScript sources (the library's own tests), a bootstrap loads the TypeScript worker.
  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(
    fromSource ? '../../internal/syncWorkerFromSource.mjs' : '../../internal/syncWorker.js',
    import.meta.url,
  );
  syncModelCall = createSyncFn<SyncModelCall>(workerUrl);
  return syncModelCall;
}

/** The error the worker reported, as the class it was: a `ModelTimeoutError` or a `ModelProviderError`. */
function rebuildError(error: SyncCallError): AgentsError {
  if (error.name === 'ModelTimeoutError' && error.timeoutMs !== undefined)
    return new ModelTimeoutError({ timeoutMs: error.timeoutMs });
  const rebuilt = new ModelProviderError({
    message: error.message,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.usage === undefined ? {} : { usage: error.usage }),
  });
  rebuilt.name = error.name;
  return rebuilt;
}

/** `error` as plain data for the trip back from the worker. */
export function toSyncCallError(error: unknown): SyncCallError {
  const { name, message, status, code, retryable, retryAfterMs, usage, timeoutMs } = error as Partial<
    Record<keyof SyncCallError, unknown>
  >;
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof retryable === 'boolean' ? { retryable } : {}),
    ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
    ...(typeof usage === 'object' && usage !== null ? { usage: usage as Usage } : {}),
    ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
  };
}

/**
 * One model call as `runSync()` makes it, when `model` is an OpenAI model: the call, with the
 * run's idle timeout and retries, is carried out on a worker thread while the calling thread
 * blocks, and its events are then replayed synchronously. `undefined` for any other model, which
 * `runSync()` drives itself (it must complete its stream synchronously).
 */
export function bridgedModelCall(
  model: Model,
  request: ModelRequest,
  policy: ModelCallPolicy,
): Observable<ModelCallEvent> | undefined {
  if (!isBridgeable(model)) return undefined;
  return new Observable<ModelCallEvent>((subscriber) => {
    const call = blockingModelCall();
    if (!call) {
      subscriber.error(
        new SyncRunError({
          message: `runSync() cannot block in this environment (it needs Node's worker threads); use run() instead.`,
        }),
      );
      return;
    }
    const reply = call(model[syncDescriptorOf](), request, policy);
    for (const event of reply.events) {
      if (subscriber.closed) return;
      subscriber.next(event);
    }
    if (reply.error) subscriber.error(rebuildError(reply.error));
    else subscriber.complete();
  });
}

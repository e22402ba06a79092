/**
 * What the calling thread of `runSync()` and its two worker threads say to each other.
 *
 * - The **model worker** (`src/internal/syncWorker.ts`) makes the OpenAI model's calls. It
 *   answers each call on the `calls` port, event by event in bounded chunks, then with an end.
 * - The **supervisor** (`src/internal/syncSupervisor.ts`) starts the model worker and watches it:
 *   when it dies (out of heap, an exit, a failure at load) the supervisor says so on the `status`
 *   port. The supervisor does nothing else, so it stays alive; it beats a heartbeat in the shared
 *   buffer, by which the calling thread knows it is alive too.
 *
 * The calling thread blocks in `Atomics.wait` on the shared buffer's notification counter, which
 * every post bumps; it reads the ports with `receiveMessageOnPort`, so it never needs its own
 * event loop. Every message is plain, structured-cloneable data.
 *
 * Internal to the runner.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ModelRequest } from '../../model.js';
import type { SyncModelDescriptor } from '../../models/openaiModelBase.js';
import type { ModelCallEvent, ModelCallPolicy } from '../retryModelCall.js';
import type { SyncCallError } from './syncCallError.js';

/** The shared `Int32Array`'s slot that every post to the calling thread bumps (and notifies). */
export const notifySlot = 0;
/** The shared `Int32Array`'s slot the supervisor bumps every {@link heartbeatMs}. */
export const heartbeatSlot = 1;
/** The length of the shared `Int32Array`. */
export const sharedSlots = 2;
/** How often the supervisor beats. */
export const heartbeatMs = 100;
/** The most events one chunk of a reply holds. */
export const chunkEvents = 256;
/** How long the calling thread waits for the supervisor's first beat (it may be loading). */
export const startupGraceMs = 30_000;
/** How long a silent heartbeat is taken for a supervisor that is still alive. */
export const silenceGraceMs = 10_000;

/** Calling thread → model worker: make one guarded model call. */
export interface CallMessage {
  readonly type: 'call';
  readonly id: number;
  readonly descriptor: SyncModelDescriptor;
  readonly request: ModelRequest;
  readonly policy: ModelCallPolicy;
}

/** Calling thread → model worker: the caller stopped listening to call `id`; unsubscribe it. */
export interface AbortMessage {
  readonly type: 'abort';
  readonly id: number;
}

/** Model worker → calling thread: the next events of call `id`, in order. */
export interface EventsMessage {
  readonly type: 'events';
  readonly id: number;
  readonly events: readonly ModelCallEvent[];
}

/** Model worker → calling thread: call `id` is over, with the error that ended it, if any. */
export interface EndMessage {
  readonly type: 'end';
  readonly id: number;
  readonly error?: SyncCallError;
}

/** Supervisor → calling thread: the model worker is gone, and why. */
export interface DiedMessage {
  readonly type: 'died';
  /** What Node reported, e.g. `ERR_WORKER_OUT_OF_MEMORY: Worker terminated due to reaching memory limit`. */
  readonly reason: string;
}

export type ToModelWorker = CallMessage | AbortMessage;
export type FromModelWorker = EventsMessage | EndMessage;

/** The `workerData` of the supervisor (it hands `calls` on to the model worker). */
export interface SupervisorData {
  readonly role: 'supervisor';
  readonly shared: Int32Array;
  readonly status: MessagePort;
  readonly calls: MessagePort;
  /** The model worker's entry, as a `file:` URL. */
  readonly modelWorker: string;
  /** The model worker's `resourceLimits` (tests only: to run it out of heap). */
  readonly resourceLimits?: ResourceLimits;
}

/** The `workerData` of the model worker. */
export interface ModelWorkerData {
  readonly role: 'model';
  readonly shared: Int32Array;
  readonly calls: MessagePort;
}

/** The subset of Node's `ResourceLimits` a test may set. */
export interface ResourceLimits {
  readonly maxOldGenerationSizeMb?: number;
  readonly maxYoungGenerationSizeMb?: number;
  readonly codeRangeSizeMb?: number;
  readonly stackSizeMb?: number;
}

/** Posts `message` on `port`, then wakes the calling thread. Throws what `postMessage` throws. */
export function postAndNotify(
  port: { postMessage(message: unknown): void },
  shared: Int32Array,
  message: FromModelWorker | DiedMessage,
): void {
  port.postMessage(message);
  Atomics.add(shared, notifySlot, 1);
  Atomics.notify(shared, notifySlot);
}

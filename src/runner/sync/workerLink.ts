import type * as WorkerThreads from 'node:worker_threads';
import { SyncRunError } from '../../errors.js';
import type { SyncCallError } from './syncCallError.js';
import {
  heartbeatSlot,
  notifySlot,
  sharedSlots,
  silenceGraceMs,
  startupGraceMs,
  type CallMessage,
  type DiedMessage,
  type FromModelWorker,
  type ResourceLimits,
  type SupervisorData,
  type ToModelWorker,
} from './syncProtocol.js';

/**
 * The calling thread's side of `runSync()`'s workers (see `syncProtocol.ts`): it starts them on
 * first use, makes one model call at a time on them while blocking, and hands each chunk of events
 * on as it arrives.
 *
 * The wait is bounded: the model worker's death is reported by the supervisor at once, and the
 * supervisor's own silence (a heartbeat that stops, or never starts) is noticed within
 * `silenceGraceMs` (`startupGraceMs` before its first beat). Either ends the call with a
 * `SyncRunError`, and the next call starts new workers.
 *
 * Node's modules are reached through `process.getBuiltinModule` at call time, never through a
 * static import, so that the main entry stays loadable in a browser.
 *
 * Internal to the runner.
 */

interface Link {
  readonly threads: typeof WorkerThreads;
  readonly supervisor: WorkerThreads.Worker;
  readonly calls: WorkerThreads.MessagePort;
  readonly status: WorkerThreads.MessagePort;
  readonly shared: Int32Array;
  /** Replies read from the port while waiting for another call (a call made from inside a call's events). */
  readonly inbox: Map<number, FromModelWorker[]>;
  /** The calls being waited for; replies to any other call are dropped. */
  readonly active: Set<number>;
  nextId: number;
}

/** How long one `Atomics.wait` lasts before the heartbeat is looked at. */
const waitSliceMs = 1_000;

let current: Link | undefined;
let modelWorkerLimits: ResourceLimits | undefined;

function nodeThreads(): typeof WorkerThreads | undefined {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const getBuiltinModule = processLike?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  return getBuiltinModule('node:worker_threads') as typeof WorkerThreads;
}

/** Whether this thread can block on a worker (Node, with `process.getBuiltinModule`). */
export function canCallOnWorker(): boolean {
  return nodeThreads() !== undefined;
}

/**
 * Test hook: the `resourceLimits` of the model worker started next (to run it out of heap), or
 * `undefined` for Node's defaults. The workers running now are stopped.
 *
 * @internal
 */
export function setModelWorkerLimits(limits: ResourceLimits | undefined): void {
  modelWorkerLimits = limits;
  if (current) drop(current);
}

/** The workers' entries: the built files, or, from TypeScript sources, a bootstrap that registers tsx. */
function entries(): { supervisor: URL; modelWorker: URL } {
  if (import.meta.url.endsWith('.ts')) {
    const bootstrap = new URL('../../internal/syncWorkerFromSource.mjs', import.meta.url);
    return { supervisor: bootstrap, modelWorker: bootstrap };
  }
  return {
    supervisor: new URL('../../internal/syncSupervisor.js', import.meta.url),
    modelWorker: new URL('../../internal/syncWorker.js', import.meta.url),
  };
}

function start(threads: typeof WorkerThreads): Link {
  const shared = new Int32Array(new SharedArrayBuffer(sharedSlots * Int32Array.BYTES_PER_ELEMENT));
  const calls = new threads.MessageChannel();
  const status = new threads.MessageChannel();
  const { supervisor: supervisorUrl, modelWorker } = entries();
  const workerData: SupervisorData = {
    role: 'supervisor',
    shared,
    status: status.port2,
    calls: calls.port2,
    modelWorker: modelWorker.href,
    ...(modelWorkerLimits === undefined ? {} : { resourceLimits: modelWorkerLimits }),
  };
  const supervisor = new threads.Worker(supervisorUrl, { workerData, transferList: [status.port2, calls.port2] });
  const link: Link = {
    threads,
    supervisor,
    calls: calls.port1,
    status: status.port1,
    shared,
    inbox: new Map(),
    active: new Set(),
    nextId: 0,
  };
  // Seen only once this thread's loop runs again: the blocked wait learns of it by the heartbeat.
  supervisor.on('error', () => {
    if (current === link) drop(link);
  });
  supervisor.unref();
  return link;
}

function drop(link: Link): void {
  if (current === link) current = undefined;
  link.calls.close();
  link.status.close();
  void link.supervisor.terminate().catch(() => undefined);
}

function died(link: Link, why: string): SyncRunError {
  drop(link);
  return new SyncRunError({
    message: `runSync()'s worker thread, which makes the model's HTTP calls, ${why}; the model call could not finish. The next runSync() starts a new worker.`,
  });
}

/** The next reply to call `id`: from the inbox, or read from the port (stashing others' replies). */
function nextReply(link: Link, id: number): FromModelWorker | undefined {
  const stashed = link.inbox.get(id);
  if (stashed && stashed.length > 0) return stashed.shift();
  for (;;) {
    const received = link.threads.receiveMessageOnPort(link.calls);
    if (!received) return undefined;
    const reply = received.message as FromModelWorker;
    if (reply.id === id) return reply;
    if (!link.active.has(reply.id)) continue;
    const box = link.inbox.get(reply.id) ?? [];
    box.push(reply);
    link.inbox.set(reply.id, box);
  }
}

/**
 * Makes one model call on the model worker, blocking this thread until it ends; each chunk of
 * events goes to `onEvents` as it arrives. When `onEvents` returns `false` (its subscriber left),
 * the call is aborted on the worker and this returns at once.
 *
 * @returns The error that ended the call, as data, or `undefined`.
 * @throws SyncRunError when the workers cannot be started, or die, or fall silent.
 */
export function callOnWorker(
  call: Omit<CallMessage, 'type' | 'id'>,
  onEvents: (events: FromModelWorker & { type: 'events' }) => boolean,
): SyncCallError | undefined {
  const threads = nodeThreads();
  if (!threads) throw new SyncRunError({ message: 'runSync() needs Node worker threads.' });
  let link: Link;
  try {
    link = current ??= start(threads);
  } catch (error) {
    throw new SyncRunError({
      message: `runSync() could not start its worker thread: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  const id = (link.nextId += 1);
  link.active.add(id);
  const post = (message: ToModelWorker): void => link.calls.postMessage(message);
  try {
    post({ type: 'call', id, ...call });
    let beat = Atomics.load(link.shared, heartbeatSlot);
    let beatAt = Date.now();
    for (;;) {
      const seen = Atomics.load(link.shared, notifySlot);
      const reply = nextReply(link, id);
      if (reply?.type === 'end') return reply.error;
      if (reply) {
        if (!onEvents(reply)) {
          post({ type: 'abort', id });
          return undefined;
        }
        continue;
      }
      const death = link.threads.receiveMessageOnPort(link.status)?.message as DiedMessage | undefined;
      if (death) throw died(link, `died (${death.reason})`);
      if (Atomics.wait(link.shared, notifySlot, seen, waitSliceMs) !== 'timed-out') continue;
      const now = Date.now();
      const beatNow = Atomics.load(link.shared, heartbeatSlot);
      if (beatNow !== beat) {
        beat = beatNow;
        beatAt = now;
      } else if (now - beatAt > (beat === 0 ? startupGraceMs : silenceGraceMs)) {
        throw died(link, beat === 0 ? 'never started' : 'stopped answering');
      }
    }
  } finally {
    link.active.delete(id);
    link.inbox.delete(id);
  }
}

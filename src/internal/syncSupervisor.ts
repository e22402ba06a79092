/**
 * The supervisor behind `runSync()`: a worker thread that starts the model worker
 * (`syncWorker.ts`) and watches it, because the calling thread cannot: it is blocked in
 * `Atomics.wait`, and a worker's `error` and `exit` events are delivered only to the event loop of
 * the thread that started it. When the model worker dies — out of heap, an exit, a module that
 * fails to load — this thread says so on the `status` port and wakes the calling thread.
 *
 * It does nothing else (no model call, no large data), so it does not die with the model worker;
 * it beats a heartbeat in the shared buffer, by which the calling thread knows it is alive.
 */
import { Worker, workerData } from 'node:worker_threads';
import {
  heartbeatMs,
  heartbeatSlot,
  postAndNotify,
  type ModelWorkerData,
  type SupervisorData,
} from '../runner/sync/syncProtocol.js';

const { shared, status, calls, modelWorker, resourceLimits } = workerData as SupervisorData;

setInterval(() => Atomics.add(shared, heartbeatSlot, 1), heartbeatMs);
Atomics.add(shared, heartbeatSlot, 1);

const data: ModelWorkerData = { role: 'model', shared, calls };
let reported = false;
const died = (reason: string): void => {
  if (reported) return;
  reported = true;
  postAndNotify(status, shared, { type: 'died', reason });
};

try {
  const worker = new Worker(new URL(modelWorker), {
    workerData: data,
    transferList: [calls],
    ...(resourceLimits === undefined ? {} : { resourceLimits }),
  });
  worker.on('error', (error: Error & { code?: unknown }) => {
    died(typeof error.code === 'string' ? `${error.code}: ${error.message}` : `${error.name}: ${error.message}`);
  });
  worker.on('exit', (code) => died(`it exited with code ${code}`));
} catch (error) {
  died(`it could not be started: ${error instanceof Error ? error.message : String(error)}`);
}

// Used only when rxjs-agents runs from its TypeScript sources (its own tests): Node 20 does not
// apply `--import tsx` to a worker's entry module, so each of runSync()'s workers (the supervisor
// and the model worker, told apart by `workerData.role`) registers tsx itself, then loads the real
// entry. The published package runs dist/src/internal/syncSupervisor.js and syncWorker.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData?.role === 'supervisor' ? './syncSupervisor.ts' : './syncWorker.ts');

// Used only when rxjs-agents runs from its TypeScript sources (its own tests): Node 20 does not
// apply `--import tsx` to a worker's entry module, so the worker registers tsx itself, then loads
// the real worker. The published package runs dist/src/internal/syncWorker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./syncWorker.ts');

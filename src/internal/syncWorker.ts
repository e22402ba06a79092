/**
 * The worker thread behind `runSync()`: it rebuilds the OpenAI model from its descriptor, makes
 * one streamed call under the run's policy (idle timeout, retries), and sends back every event
 * (and the error that ended the call, if any) while the calling thread waits.
 */
import { runAsWorker } from 'synckit';
import type { ModelRequest } from '../model.js';
import type { SyncModelDescriptor } from '../models/openaiModelBase.js';
import { modelFromSyncDescriptor } from '../models/syncDescriptor.js';
import { guardModelCall, type ModelCallEvent, type ModelCallPolicy } from '../runner/retryModelCall.js';
import { toSyncCallError, type SyncCallReply } from '../runner/sync/syncBridge.js';

runAsWorker(
  (descriptor: SyncModelDescriptor, request: ModelRequest, policy: ModelCallPolicy = {}): Promise<SyncCallReply> => {
    const events: ModelCallEvent[] = [];
    return new Promise((resolve) => {
      const model = modelFromSyncDescriptor(descriptor);
      guardModelCall(() => model.stream(request), policy).subscribe({
        next: (event) => events.push(event),
        complete: () => resolve({ events }),
        error: (error: unknown) => resolve({ events, error: toSyncCallError(error) }),
      });
    });
  },
);

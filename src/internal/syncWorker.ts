/**
 * The worker thread behind `runSync()`: it rebuilds the OpenAI model from its descriptor, makes
 * one streamed call, and sends back every event (and the error that ended the call, if any) while
 * the calling thread waits.
 */
import { runAsWorker } from 'synckit';
import type { ModelEvent, ModelRequest } from '../model.js';
import type { SyncModelDescriptor } from '../models/openaiModelBase.js';
import { modelFromSyncDescriptor } from '../models/syncDescriptor.js';
import type { SyncCallReply } from '../runner/syncBridge.js';

runAsWorker((descriptor: SyncModelDescriptor, request: ModelRequest): Promise<SyncCallReply> => {
  const events: ModelEvent[] = [];
  return new Promise((resolve) => {
    modelFromSyncDescriptor(descriptor)
      .stream(request)
      .subscribe({
        next: (event) => events.push(event),
        complete: () => resolve({ events }),
        error: (error: unknown) => {
          const { name, message, status, code } = error as { name?: string; message?: string; status?: number; code?: string };
          resolve({
            events,
            error: {
              name: name ?? 'Error',
              message: message ?? String(error),
              ...(typeof status === 'number' ? { status } : {}),
              ...(typeof code === 'string' ? { code } : {}),
            },
          });
        },
      });
  });
});

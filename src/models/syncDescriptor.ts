import { InvalidArgumentError } from '../errors.js';
import type { Model } from '../model.js';
import { ClientSource, withClientSource } from './clientSource.js';
import type { SyncModelDescriptor } from './openaiModelBase.js';
import { OpenAIChatCompletionsModel } from './openaiChatCompletionsModel.js';
import { OpenAIResponsesModel } from './openaiResponsesModel.js';

/**
 * The model a {@link SyncModelDescriptor} describes, rebuilt (in a worker thread, for `runSync()`).
 *
 * The client is made from `descriptor.clientOptions` on the model's first call, never here; with
 * empty options it is `new OpenAI()`, which reads the worker's environment (`OPENAI_API_KEY`,
 * `OPENAI_BASE_URL`). The rebuilt model describes itself with the same descriptor.
 *
 * ## Example
 *
 * ```ts
 * // main thread
 * worker.postMessage(model[syncDescriptorOf]());
 * // worker
 * parentPort.on('message', (descriptor) => { const model = modelFromSyncDescriptor(descriptor); });
 * ```
 *
 * @param descriptor what the model's `[syncDescriptorOf]()` returned.
 * @returns an `OpenAIResponsesModel` or an `OpenAIChatCompletionsModel`.
 * @throws InvalidArgumentError when the descriptor's `kind` is unknown or its `model` is empty.
 */
export function modelFromSyncDescriptor(descriptor: SyncModelDescriptor): Model {
  const source = ClientSource.lazy(descriptor.clientOptions ?? {});
  const options = withClientSource({ model: descriptor.model }, source);
  switch (descriptor.kind) {
    case 'openai-responses':
      return new OpenAIResponsesModel(options);
    case 'openai-chat-completions':
      return new OpenAIChatCompletionsModel(options);
    default:
      throw new InvalidArgumentError({
        argument: 'descriptor.kind',
        message: `expected 'openai-responses' or 'openai-chat-completions', got ${JSON.stringify(descriptor.kind)}.`,
      });
  }
}

/**
 * The key of the method by which an OpenAI model describes itself as plain data for `runSync()`'s
 * worker thread. A module-private symbol rather than a named method: the descriptor holds the API
 * key, so it is no public API, and no user code reaches it by accident (or by autocompletion).
 */
export const syncDescriptorOf: unique symbol = Symbol('rxjs-agents.syncDescriptorOf');

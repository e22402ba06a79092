export { serveAgUi } from './serveAgUi.js';
export { serveServerSentEvents } from './serveServerSentEvents.js';
export type { ServeServerSentEventsOptions } from './serveServerSentEvents.js';
export { serveUIMessageStream } from './serveUIMessageStream.js';
export type { ServeUIMessageStreamOptions } from './serveUIMessageStream.js';

export { serveServerSentEvents } from './serveServerSentEvents.js';

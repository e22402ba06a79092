/**
 * `rxjs-agents/testing/server` (Node only): a local OpenAI-compatible server for integration
 * tests. It answers the Responses API and Chat Completions, streamed or not, from scripted turns
 * or recorded events, and can misbehave on cue (HTTP errors, dropped sockets, stalls, bad lines).
 */
export { startServer } from './httpServer.js';
export { startServerProcess } from './serverProcess.js';
export type { ServerProcess } from './serverProcess.js';
export { loadFixture, splitResponses } from './fixtures.js';
export type { LocalServer, RecordedRequest, ServerOptions } from './types.js';
export type {
  HttpFaults,
  ModelFaults,
  ScriptedToolCall,
  ScriptedTurn,
  ScriptedUsage,
  ServerTurn,
  TurnContent,
} from '../script.js';

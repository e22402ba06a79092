/**
 * `rxjs-agents/testing/server` (Node only): a local OpenAI-compatible server for integration
 * tests and offline development. It answers the Responses API and Chat Completions, streamed or
 * not, from scripted turns, by request (`respond`, `echo`) or from recorded events, and can
 * misbehave on cue (HTTP errors, dropped sockets, stalls, bad lines). It keeps conversations,
 * files and batch jobs (the Files and Batch APIs, in compressed time), and can hold the model
 * endpoints to a rate-limit budget with OpenAI's headers and 429s.
 */
export { startServer } from './httpServer.js';
export { startServerProcess } from './serverProcess.js';
export type { ServerProcess, ServerProcessOptions } from './serverProcess.js';
export { echo } from './echo.js';
export { ResponderError } from './errors.js';
export { loadFixture, splitResponses } from './fixtures.js';
export type {
  ChatServerRequest,
  OfferedTool,
  ResponsesServerRequest,
  SentToolOutput,
  ServerApi,
  ServerRequest,
} from './request.js';
export type {
  BatchLineRef,
  BatchOptions,
  LocalServer,
  RateLimitOptions,
  RecordedRequest,
  Responder,
  ServerOptions,
} from './types.js';
export type {
  HttpFaults,
  ModelFaults,
  ScriptedToolCall,
  ScriptedTurn,
  ScriptedUsage,
  ServerTurn,
  TurnContent,
} from '../script.js';

export { fakeModel, splitIntoDeltas } from './fakeModel.js';
export type { FakeModel, FakeModelOptions } from './fakeModel.js';
export type {
  FakeTurn,
  HttpFaults,
  ModelFaults,
  ScriptedToolCall,
  ScriptedTurn,
  ScriptedUsage,
  ServerTurn,
  TurnContent,
} from './script.js';

export { fakeModel, splitIntoDeltas } from './fakeModel.js';
export type { FakeModel, FakeModelOptions, FakeToolCall, FakeTurn, FakeTurnOptions, FakeUsage } from './fakeModel.js';

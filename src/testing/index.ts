export { fakeModel, splitIntoDeltas } from './fakeModel.js';
export type { FakeModel, FakeModelOptions, FakeToolCall, FakeTurn, FakeUsage } from './fakeModel.js';

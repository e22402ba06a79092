import type { UIMessage, UIMessageChunk as AiUIMessageChunk } from 'ai';
import { describe, expectTypeOf, it } from 'vitest';
import type { UIMessageChunk, UIMessageLike } from '../../src/index.js';

describe('the UI message stream types', () => {
  it("are the ai package's: each chunk we send is one of its chunks", () => {
    expectTypeOf<UIMessageChunk>().toExtend<AiUIMessageChunk>();
  });

  it("read the ai package's UIMessage as it is", () => {
    expectTypeOf<UIMessage[]>().toExtend<readonly UIMessageLike[]>();
  });
});

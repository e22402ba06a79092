import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, toUIMessageStreamResponse, type RunEvent } from '../../src/index.js';
import { pausableCounter, settledMicrotasks } from '../helpers/pausable.js';
import { until } from '../helpers/waiting.js';

const deltas = (source: ReturnType<typeof pausableCounter>['source']) =>
  source.pipe(map((index): RunEvent<unknown> => ({ type: 'text-delta', agent: 'A', turn: 1, delta: `${index} ` })));

describe('toUIMessageStreamResponse', () => {
  it("sends the protocol's headers over the init's, with the init's status", async () => {
    const counter = pausableCounter(2);
    const response = toUIMessageStreamResponse(deltas(counter.source), {
      status: 201,
      statusText: 'Created',
      headers: { 'x-request-id': 'r1', 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(counter.produced()).toBe(0); // nothing runs before the body is read
    const text = await response.text();
    expect(text.split('\n\n').filter((frame) => frame !== '')).toEqual([
      'data: {"type":"start"}',
      'data: {"type":"text-start","id":"text-1-1"}',
      'data: {"type":"text-delta","id":"text-1-1","delta":"0 "}',
      'data: {"type":"text-delta","id":"text-1-1","delta":"1 "}',
      'data: {"type":"text-end","id":"text-1-1"}',
      'data: {"type":"finish","finishReason":"other"}',
      'data: [DONE]',
    ]);
  });

  it('pauses the run while the body is not read, and unsubscribes it when the body is cancelled', async () => {
    const counter = pausableCounter();
    const reader = toUIMessageStreamResponse(deltas(counter.source)).body!.getReader();
    await reader.read();
    await settledMicrotasks();
    await settledMicrotasks();
    const produced = counter.produced();
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(64);
    await settledMicrotasks();
    expect(counter.produced()).toBe(produced);
    await reader.cancel();
    await until(() => !counter.running());
  });

  it('sends an error chunk for a chunk that cannot be encoded, then [DONE]', async () => {
    const events = pausableCounter(1).source.pipe(
      map((): RunEvent<unknown> => ({ type: 'tool-output', agent: 'A', turn: 1, callId: 'c', name: 't', output: 1n })),
    );
    const frames = (await toUIMessageStreamResponse(events).text()).split('\n\n').filter((frame) => frame !== '');
    expect(frames.slice(-2)).toEqual([
      'data: {"type":"error","errorText":"The run failed (TypeError)."}',
      'data: [DONE]',
    ]);
  });

  it('checks its init and the stream options where it is called', () => {
    const source = pausableCounter(0).source.pipe(map(() => ({}) as RunEvent<unknown>));
    expect(() => toUIMessageStreamResponse(source, 'no' as never)).toThrow(InvalidArgumentError);
    expect(() => toUIMessageStreamResponse(source, { messageId: 7 as never })).toThrow(
      expect.objectContaining({ argument: 'options.messageId' }),
    );
  });
});

import { concat, finalize, NEVER, of, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toAgUiResponse, type AgUiEvent } from '../../src/index.js';
import { until } from '../helpers/waiting.js';

const started: AgUiEvent = { type: 'RUN_STARTED', threadId: 't', runId: 'r' };
const finished: AgUiEvent = { type: 'RUN_FINISHED', threadId: 't', runId: 'r', outcome: { type: 'success' } };

describe('toAgUiResponse', () => {
  it('streams each event as one data frame, with event-stream headers and init’s own', async () => {
    const response = toAgUiResponse(of(started, finished), { headers: { 'x-request-id': '7' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-request-id')).toBe('7');
    expect(await response.text()).toBe(`data: ${JSON.stringify(started)}\n\ndata: ${JSON.stringify(finished)}\n\n`);
  });

  it('ends a stream that errors with a generic RUN_ERROR frame, and says nothing of the error', async () => {
    const response = toAgUiResponse(
      concat(
        of(started),
        throwError(() => new Error('secret path /srv')),
      ),
    );
    const text = await response.text();
    expect(text).toBe(
      `data: ${JSON.stringify(started)}\n\ndata: {"type":"RUN_ERROR","message":"The run failed.","code":"Error"}\n\n`,
    );
  });

  it('subscribes on the first read, and unsubscribes when the body is cancelled', async () => {
    let subscribed = false;
    let ended = false;
    const events = concat(of(started).pipe(finalize(() => (subscribed = true))), NEVER).pipe(
      finalize(() => (ended = true)),
    );
    const response = toAgUiResponse(events);
    expect(subscribed).toBe(false);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect(ended).toBe(false);
    await reader.cancel();
    await until(() => ended);
  });
});

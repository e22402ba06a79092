/**
 * `idleTimeoutMs` counts bytes, not events: over both OpenAI APIs against the local server, one
 * large event that arrives slowly (a few bytes every 25 ms, the whole event taking longer than the
 * timeout) is not a silence; a server that truly goes silent still times out.
 */
import { describe, expect, it } from 'vitest';
import { Agent, ModelTimeoutError, Runner } from '../../src/index.js';
import { useLocalServer } from '../helpers/localServer.js';
import { apis, clientFor, outcomeOf, type Api } from './helpers.js';

const runner = new Runner();
const { serve } = useLocalServer();

const idleTimeoutMs = 150;
// 600 characters in one delta: an event of ~0.7 kB, sent 64 bytes every 25 ms, takes ~0.3 s, twice the timeout.
const big = 'x'.repeat(600);

describe.each(apis)('idleTimeoutMs over $name', (api: Api) => {
  it('a large event still arriving, bytes every 25 ms, is activity: the run succeeds', async () => {
    const { url, requests } = await serve({ text: [big], trickle: { bytes: 64, everyMs: 25 } });
    const agent = new Agent({ name: 'Assistant', model: api.model(clientFor(url)) });
    const outcome = await outcomeOf(runner.runStreamed(agent, 'Hello', { idleTimeoutMs }), 15_000);
    expect(outcome.error).toBeUndefined();
    expect(outcome.events.at(-1)).toMatchObject({ type: 'final-output', output: big });
    expect(requests).toHaveLength(1);
    // No progress event reaches the run: it only feeds the timer.
    expect(outcome.events.map((event) => event.type)).not.toContain('progress');
  });

  it('a server that goes silent mid-stream still times out', async () => {
    const { url, requests } = await serve({ text: ['Hello', ' there'], stallAfter: api.beforeText + 1 });
    const agent = new Agent({ name: 'Assistant', model: api.model(clientFor(url)) });
    const outcome = await outcomeOf(runner.runStreamed(agent, 'Hello', { idleTimeoutMs }), 5_000);
    expect(ModelTimeoutError.isInstance(outcome.error)).toBe(true);
    expect(requests).toHaveLength(1);
  });
});

/**
 * Shared helpers of the model specs: real `openai` clients against the local server, requests,
 * fixtures, and collecting what an Observable delivered.
 */
import OpenAI from 'openai';
import { VERSION } from 'openai/version';
import type { Observable } from 'rxjs';
import { expect } from 'vitest';
import { loadFixture } from '../../src/testing/server/index.js';
import { userMessage, type InputItem } from '../../src/items.js';
import type { ModelEvent, ModelRequest, ModelResponse } from '../../src/model.js';

/**
 * The major version of the `openai` SDK the tests run with: 7 from the lock, 6 in CI's second pass
 * (`npm install --no-save openai@6`). Where the two differ in what they deliver, a test says so.
 */
export const openaiMajor = Number.parseInt(VERSION, 10);

/** The API key every test client uses; it must never show in an error. */
export const apiKey = 'sk-test-secret-123';

/** A real client on the local server, without retries. */
export function clientFor(url: string, options: ConstructorParameters<typeof OpenAI>[0] = {}): OpenAI {
  return new OpenAI({ apiKey: apiKey, baseURL: url, maxRetries: 0, ...options });
}

/** A model request: one user message, no tools, no settings, unless overridden. */
export function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  const input: readonly InputItem[] = [userMessage('Hello')];
  return { input, tools: [], settings: {}, ...overrides };
}

/** The events of a recorded fixture under `test/fixtures/openai/`. */
export function fixture(path: string): unknown[] {
  return loadFixture(new URL(`../fixtures/openai/${path}`, import.meta.url));
}

/** What one subscription delivered. */
export interface Delivered {
  readonly events: ModelEvent[];
  readonly error?: unknown;
  readonly completed: boolean;
}

/** Subscribes once and resolves when the Observable completes or errors. */
export function collect(observable: Observable<ModelEvent>): Promise<Delivered> {
  return new Promise((resolve) => {
    const events: ModelEvent[] = [];
    observable.subscribe({
      next: (event) => events.push(event),
      error: (error: unknown) => resolve({ events, error, completed: false }),
      complete: () => resolve({ events, completed: true }),
    });
  });
}

/** The joined `text-delta`s of `events`. */
export function textOf(events: readonly ModelEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
}

/** The data of the `raw` events. */
export function rawOf(events: readonly ModelEvent[]): unknown[] {
  return events.flatMap((event) => (event.type === 'raw' ? [event.data] : []));
}

/** The response of a call's events: the last event, which must be the one `response`. */
export function responseOf(events: readonly ModelEvent[]): ModelResponse {
  const last = events.at(-1);
  expect(last?.type).toBe('response');
  return (last as Extract<ModelEvent, { type: 'response' }>).response;
}

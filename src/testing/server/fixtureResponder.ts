/**
 * Fixture mode: recordings answer requests in order, each API from its own recordings, looping.
 * A front end run against it keeps getting real traffic for as long as it is used.
 */
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../../errors.js';
import { loadFixture, splitResponses } from './fixtures.js';
import type { ServerApi } from './request.js';
import type { Responder } from './types.js';

const apiNames: Record<ServerApi, string> = {
  responses: 'Responses API (POST /v1/responses)',
  'chat-completions': 'Chat Completions (POST /v1/chat/completions)',
};

/** Which API a recorded response belongs to, from its first event that says. */
function apiOf(events: readonly unknown[]): ServerApi | undefined {
  for (const event of events) {
    if (typeof event !== 'object' || event === null) continue;
    const { type, object, choices } = event as { type?: unknown; object?: unknown; choices?: unknown };
    if (typeof type === 'string' && type.startsWith('response.')) return 'responses';
    if (object === 'chat.completion.chunk' || Array.isArray(choices)) return 'chat-completions';
  }
  return undefined;
}

function pathOf(file: string | URL): string {
  return file instanceof URL ? fileURLToPath(file) : file;
}

/**
 * The responder of `startServer({ fixture })`. Each Responses API recording is cut into its
 * responses (`splitResponses`); a Chat Completions recording is one response. Requests to each
 * API get that API's responses in file order, and after the last one the first again. Files are
 * read and checked here, at once: one that cannot be read, is empty, or holds neither API's
 * events throws `InvalidArgumentError` naming it. A request to an API no recording is for is
 * answered with a 500 that says which recordings there are.
 */
export function fixtureResponder(files: readonly (string | URL)[], argument = 'options.fixture'): Responder {
  const byApi: Record<ServerApi, unknown[][]> = { responses: [], 'chat-completions': [] };
  if (files.length === 0) throw new InvalidArgumentError({ argument, message: 'give at least one .jsonl recording.' });
  for (const file of files) {
    const path = pathOf(file);
    const fail = (message: string): never => {
      throw new InvalidArgumentError({ argument, message: `${path}: ${message}` });
    };
    let events: unknown[] = [];
    try {
      events = loadFixture(path);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
    if (events.length === 0) fail('the recording holds no events.');
    const api = apiOf(events) ?? fail('neither Responses API events nor Chat Completions chunks.');
    if (api === 'responses') byApi.responses.push(...splitResponses(events));
    else byApi['chat-completions'].push(events);
  }
  const next: Record<ServerApi, number> = { responses: 0, 'chat-completions': 0 };

  return (request) => {
    const recorded = byApi[request.api];
    if (recorded.length === 0) {
      const other = request.api === 'responses' ? 'chat-completions' : 'responses';
      throw new Error(
        `No recording for the ${apiNames[request.api]}: the fixtures hold only ` +
          `${byApi[other].length} ${apiNames[other]} response(s). ` +
          `Point the client at that API, or add a recording of this one.`,
      );
    }
    const events = recorded[next[request.api] % recorded.length] ?? [];
    next[request.api] += 1;
    return { events };
  };
}

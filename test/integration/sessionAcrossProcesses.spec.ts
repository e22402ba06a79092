/**
 * A conversation kept in a real database outlives the process: two Node processes, one run each,
 * on the same SQLite file or Postgres data directory (PGlite), against the local server. The
 * second run's model is sent the first run's conversation.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runTsxChild } from '../helpers/tsxChild.js';
import { startServer, type LocalServer, type ResponsesServerRequest } from '../../src/testing/server/index.js';

const child = fileURLToPath(new URL('./children/sessionTurn.ts', import.meta.url));

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const runInChild = (args: readonly string[]) => runTsxChild<string>(child, args);

/** The user messages the model was sent, as text. */
function userTexts(request: ResponsesServerRequest): string[] {
  return request.history
    .filter((item) => (item as { role?: unknown }).role === 'user')
    .map((item) => {
      const content = (item as { content: unknown }).content;
      return typeof content === 'string' ? content : (content as { text: string }[])[0]!.text;
    });
}

describe.each([
  ['SQLite', 'sqlite', (dir: string) => join(dir, 'conversations.db')],
  ['Postgres (PGlite)', 'postgres', (dir: string) => join(dir, 'pgdata')],
])('a session on %s, across two processes', (_name, kind, storeIn) => {
  it('the second run remembers the first', async () => {
    server = await startServer({
      respond: (request) => ({
        text: request.api === 'responses' ? `You said: ${userTexts(request).join(' | ')}` : '',
      }),
    });
    const store = storeIn(mkdtempSync(join(tmpdir(), 'rxjs-agents-session-')));
    expect(await runInChild([kind, store, server.url, 'My name is Ada.'])).toBe('You said: My name is Ada.');
    expect(await runInChild([kind, store, server.url, 'What is my name?'])).toBe(
      'You said: My name is Ada. | What is my name?',
    );
    // The second request carried the first run's answer too.
    const second = server.requests[1]!.body as { input: { role?: string }[] };
    expect(second.input.map((item) => item.role)).toEqual(['user', 'assistant', 'user']);
  }, 60_000);
});

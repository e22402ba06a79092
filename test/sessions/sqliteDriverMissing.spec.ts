/**
 * SQLiteSession where neither driver loads: `node:sqlite` and `better-sqlite3` are both mocked to
 * fail as they do on a Node without the one and a project without the other.
 */
import { expect, it, vi } from 'vitest';
import { SessionError } from '../../src/index.js';
import { SQLiteSession } from '../../src/sessions/index.js';

vi.mock('node:sqlite', () => {
  throw Object.assign(new Error('No such built-in module: node:sqlite'), { code: 'ERR_UNKNOWN_BUILTIN_MODULE' });
});
vi.mock('better-sqlite3', () => {
  throw Object.assign(new Error("Cannot find package 'better-sqlite3'"), { code: 'ERR_MODULE_NOT_FOUND' });
});

it('rejects the first call with a SessionError that says what to install, and keeps both reasons as its cause', async () => {
  const session = new SQLiteSession({ sessionId: 'user-1', path: ':memory:' });
  const error = await session
    .addItems([{ type: 'message', role: 'user', content: 'hi' }])
    .catch((caught: unknown) => caught);
  expect(SessionError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ operation: 'addItems', sessionId: 'user-1' });
  expect((error as Error).message).toBe(
    `Session "user-1": addItems() failed: SQLiteSession needs node:sqlite (Node 22.13+ or 24; this is Node ${process.versions.node}) or the better-sqlite3 package: npm install better-sqlite3@12.`,
  );
  const cause = (error as SessionError).cause as AggregateError;
  expect(cause).toBeInstanceOf(AggregateError);
  expect(cause.errors).toHaveLength(2);
  await expect(session.getItems()).rejects.toMatchObject({ name: 'SessionError', operation: 'getItems' });
});

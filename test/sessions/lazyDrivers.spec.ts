/**
 * Importing `rxjs-agents/sessions`, and constructing an SQLiteSession, loads no SQLite driver: the
 * driver is imported by the session's first call, and only the one it needs. The drivers are
 * wrapped to record when they are imported, and otherwise left as they are.
 */
import { expect, it, vi } from 'vitest';

const imported = vi.hoisted(() => [] as string[]);
vi.mock('node:sqlite', async (importOriginal) => {
  imported.push('node:sqlite');
  return importOriginal();
});
vi.mock('better-sqlite3', async (importOriginal) => {
  imported.push('better-sqlite3');
  return importOriginal();
});

it('imports no driver until the first call, then node:sqlite where Node has it, else also better-sqlite3', async () => {
  const { MemorySession, PostgresSession, SQLiteSession } = await import('../../src/sessions/index.js');
  const session = new SQLiteSession({ sessionId: 's', path: ':memory:' });
  new MemorySession();
  new PostgresSession({ client: { query: () => Promise.resolve({ rows: [] }) }, sessionId: 's' });
  expect(imported).toEqual([]);

  await session.addItems([{ type: 'message', role: 'user', content: 'hi' }]);
  const driver = await session.driver();
  expect(imported).toEqual(driver === 'node:sqlite' ? ['node:sqlite'] : ['node:sqlite', 'better-sqlite3']);
  await session.close();
});

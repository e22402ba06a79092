import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, SessionError, type InputItem } from '../../src/index.js';
import { SQLiteSession, type SQLiteDriver } from '../../src/sessions/index.js';
import { thrown } from '../helpers/thrown.js';
import { describeSessionConformance } from './sessionConformance.js';

const require = createRequire(import.meta.url);
/** Whether `driver` loads on this Node: `node:sqlite` on 22.13+/24, `better-sqlite3` where it was built for this Node. */
function loads(driver: SQLiteDriver): boolean {
  try {
    const module_ = require(driver) as { DatabaseSync?: new (path: string) => { close(): void } };
    if (driver === 'better-sqlite3')
      new (module_ as unknown as new (path: string) => { close(): void })(':memory:').close();
    return true;
  } catch {
    return false;
  }
}
const drivers = { 'node:sqlite': loads('node:sqlite'), 'better-sqlite3': loads('better-sqlite3') };
const nodeMajor = Number.parseInt(process.versions.node, 10);

const directory = mkdtempSync(join(tmpdir(), 'rxjs-agents-sqlite-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
const newFile = (): string => join(directory, `sessions-${++files}.db`);
const hello: InputItem = { type: 'message', role: 'user', content: 'a secret the user wrote' };

it('this Node exercises the driver it should: node:sqlite on Node 24, better-sqlite3 on Node 20', () => {
  if (nodeMajor >= 24) expect(drivers['node:sqlite']).toBe(true);
  if (nodeMajor === 20) expect(drivers['better-sqlite3']).toBe(true);
});

for (const driver of ['node:sqlite', 'better-sqlite3'] as const) {
  describe.skipIf(!drivers[driver])(`on ${driver}`, () => {
    const path = newFile();
    describeSessionConformance(
      `SQLiteSession (${driver})`,
      (sessionId) => new SQLiteSession({ sessionId, path, driver }),
      { sharedStore: true, cleanup: (session) => (session as SQLiteSession).close() },
    );

    it(`runs on ${driver} when asked to`, async () => {
      const session = new SQLiteSession({ sessionId: 's', path: ':memory:', driver });
      expect(await session.driver()).toBe(driver);
      await session.close();
    });

    it('keeps the conversation in the file: a new instance after close reads it, in a table of the given name', async () => {
      const file = newFile();
      const writer = new SQLiteSession({ sessionId: 'user-1', path: file, tableName: 'my_items', driver });
      await writer.addItems([hello]);
      await writer.close();
      expect(existsSync(file)).toBe(true);
      const reader = new SQLiteSession({ sessionId: 'user-1', path: file, tableName: 'my_items', driver });
      expect(await reader.getItems()).toEqual([hello]);
      const otherTable = new SQLiteSession({ sessionId: 'user-1', path: file, tableName: 'other_items', driver });
      expect(await otherTable.getItems()).toEqual([]);
      await Promise.all([reader.close(), otherTable.close()]);
    });

    it("':memory:' is a database of the instance alone", async () => {
      const first = new SQLiteSession({ sessionId: 's', path: ':memory:', driver });
      const second = new SQLiteSession({ sessionId: 's', path: ':memory:', driver });
      await first.addItems([hello]);
      expect(await second.getItems()).toEqual([]);
      await Promise.all([first.close(), second.close()]);
    });

    it('a database that cannot be opened rejects each call with a SessionError naming the operation and session, never the items', async () => {
      const session = new SQLiteSession({ sessionId: 'user-7', path: join(directory, 'no-such-dir', 'x.db'), driver });
      const error = await session.addItems([hello]).catch((caught: unknown) => caught);
      expect(SessionError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ operation: 'addItems', sessionId: 'user-7' });
      expect((error as SessionError).cause).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^Session "user-7": addItems\(\) failed: /);
      expect((error as Error).message).not.toContain('secret');
      await expect(session.getItems()).rejects.toMatchObject({ name: 'SessionError', operation: 'getItems' });
      // Calls that wait for the same opening each name their own operation.
      const errors = await Promise.all(
        [session.popItem(), session.clear()].map((call) => call.catch((e: unknown) => e)),
      );
      expect(errors).toMatchObject([{ operation: 'popItem' }, { operation: 'clear' }]);
    });

    it('a store that fails mid-way (its table dropped under it) rejects with a SessionError with the code', async () => {
      const file = newFile();
      const session = new SQLiteSession({ sessionId: 'user-8', path: file, driver });
      await session.addItems([hello]);
      const saboteur = new SQLiteSession({ sessionId: 'x', path: file, tableName: 'other', driver });
      await saboteur.getItems();
      // Reach the shared file through a second connection and take the table away.
      const Database =
        driver === 'node:sqlite'
          ? (
              require('node:sqlite') as {
                DatabaseSync: new (path: string) => { exec(sql: string): void; close(): void };
              }
            ).DatabaseSync
          : (require('better-sqlite3') as new (path: string) => { exec(sql: string): void; close(): void });
      const raw = new Database(file);
      raw.exec('DROP TABLE agent_session_items');
      raw.close();
      const error = await session.addItems([hello]).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'SessionError', operation: 'addItems', sessionId: 'user-8' });
      expect((error as Error).message).not.toContain('secret');
      await Promise.all([session.close(), saboteur.close()]);
    });
  });
}

describe('SQLiteSession', () => {
  it('chooses node:sqlite where this Node has it, else better-sqlite3', async () => {
    const session = new SQLiteSession({ sessionId: 's', path: ':memory:' });
    expect(await session.driver()).toBe(drivers['node:sqlite'] ? 'node:sqlite' : 'better-sqlite3');
    await session.close();
  });

  it.skipIf(drivers['node:sqlite'])(
    'asked for node:sqlite on a Node without it, says which Node it needs',
    async () => {
      const session = new SQLiteSession({ sessionId: 's', path: ':memory:', driver: 'node:sqlite' });
      const error = await session.getItems().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'SessionError', operation: 'getItems', sessionId: 's' });
      expect((error as Error).message).toContain('node:sqlite could not be loaded: it needs Node 22.13+ or 24');
      expect((error as Error).message).toContain('npm install better-sqlite3@12');
    },
  );

  it.skipIf(drivers['better-sqlite3'])(
    'asked for better-sqlite3 where it does not load, says what to install',
    async () => {
      const session = new SQLiteSession({ sessionId: 's', path: ':memory:', driver: 'better-sqlite3' });
      const error = await session.getItems().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'SessionError', operation: 'getItems', sessionId: 's' });
      expect((error as Error).message).toContain('npm install better-sqlite3@12');
    },
  );

  it('constructing one opens nothing: the file appears on the first call', async () => {
    const file = newFile();
    const session = new SQLiteSession({ sessionId: 's', path: file });
    expect(existsSync(file)).toBe(false);
    await session.getItems();
    expect(existsSync(file)).toBe(true);
    await session.close();
  });

  it.each([
    [{ sessionId: '', path: ':memory:' }, 'sessionId'],
    [{ path: ':memory:' }, 'sessionId'],
    [{ sessionId: 's', path: '' }, 'path'],
    [{ sessionId: 's', path: ':memory:', tableName: 'items; DROP TABLE x' }, 'tableName'],
    [{ sessionId: 's', path: ':memory:', tableName: '1items' }, 'tableName'],
    [{ sessionId: 's', path: ':memory:', tableName: 'a'.repeat(49) }, 'tableName'],
    [{ sessionId: 's', path: ':memory:', driver: 'sqlite3' }, 'driver'],
  ])('refuses %j where it is given, naming %s', (options, argument) => {
    const error = thrown(() => new SQLiteSession(options as never));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });
});

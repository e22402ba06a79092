import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, SessionError, type InputItem } from '../../src/index.js';
import { PostgresSession, type PostgresClient } from '../../src/sessions/index.js';
import { thrown } from '../helpers/thrown.js';
import { describeSessionConformance } from './sessionConformance.js';

// A real Postgres engine, in this process (PGlite: Postgres compiled to WebAssembly).
let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
}, 60_000);
afterAll(async () => {
  await db.close();
});

const user = (text: string): InputItem => ({ type: 'message', role: 'user', content: text });

/** `db`, with every statement it was sent recorded. */
function recording(): { client: PostgresClient; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    client: {
      query: (text, params) => {
        statements.push(text.replace(/\s+/g, ' ').trim());
        return db.query(text, params);
      },
    },
  };
}

describeSessionConformance('PostgresSession (PGlite)', (sessionId) => new PostgresSession({ client: db, sessionId }), {
  sharedStore: true,
});

describe('PostgresSession', () => {
  it('creates its sequence, table and index on first use, once per instance, concurrent first calls sharing it', async () => {
    const { client, statements } = recording();
    const session = new PostgresSession({ client, sessionId: 's', tableName: 'created_once' });
    expect(statements).toEqual([]);
    await Promise.all([session.getItems(), session.addItems([user('a')]), session.getItems(2), session.popItem()]);
    await session.clear();
    const creates = statements.filter((statement) => statement.startsWith('CREATE'));
    expect(creates).toEqual([
      'CREATE SEQUENCE IF NOT EXISTS created_once_batch_seq',
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS created_once \(/),
      'CREATE INDEX IF NOT EXISTS created_once_session_order ON created_once (session_id, batch, position)',
    ]);
    // Every statement after them used the table; a second instance creates (IF NOT EXISTS) again.
    expect(statements.slice(3).every((statement) => !statement.startsWith('CREATE'))).toBe(true);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_name = 'created_once'",
    );
    expect(tables.rows).toHaveLength(1);
  });

  it('keeps items as json, ordered by one batch number per addItems call and a position within it', async () => {
    const session = new PostgresSession({ client: db, sessionId: 'layout', tableName: 'layout_items' });
    await session.addItems([user('a'), user('b')]);
    await session.addItems([user('c')]);
    const { rows } = await db.query<{ batch: number; position: number; item: unknown }>(
      "SELECT batch::int AS batch, position, item FROM layout_items WHERE session_id = 'layout' ORDER BY batch, position",
    );
    expect(rows.map(({ position }) => position)).toEqual([1, 2, 1]);
    expect(rows[0]!.batch).toBe(rows[1]!.batch);
    expect(rows[2]!.batch).toBeGreaterThan(rows[0]!.batch);
    expect(rows.map(({ item }) => item)).toEqual([user('a'), user('b'), user('c')]);
    const type = await db.query<{ data_type: string }>(
      "SELECT data_type FROM information_schema.columns WHERE table_name = 'layout_items' AND column_name = 'item'",
    );
    expect(type.rows).toEqual([{ data_type: 'json' }]);
  });

  it('popItem at once from two instances removes two different items', async () => {
    const first = new PostgresSession({ client: db, sessionId: 'pops' });
    const second = new PostgresSession({ client: db, sessionId: 'pops' });
    await first.addItems(['a', 'b', 'c', 'd', 'e', 'f'].map(user));
    const popped = await Promise.all([first.popItem(), second.popItem(), first.popItem(), second.popItem()]);
    expect(new Set(popped.map((item) => (item as { content: string }).content))).toEqual(new Set(['c', 'd', 'e', 'f']));
    expect(await second.getItems()).toEqual([user('a'), user('b')]);
  });

  it('a client that rejects makes each method reject with a SessionError: the operation, the session, the code, never the items', async () => {
    const failure = Object.assign(new Error('invalid input syntax: "a secret the user wrote"'), { code: '22P02' });
    let calls = 0;
    const client: PostgresClient = {
      query: (text, params) =>
        ++calls > 3 && !text.startsWith('CREATE') ? Promise.reject(failure) : db.query(text, params),
    };
    const session = new PostgresSession({ client, sessionId: 'user-9', tableName: 'failing_items' });
    for (const [operation, call] of [
      ['addItems', () => session.addItems([user('a secret the user wrote')])],
      ['getItems', () => session.getItems()],
      ['popItem', () => session.popItem()],
      ['clear', () => session.clear()],
    ] as const) {
      const error = await call().catch((caught: unknown) => caught);
      expect(SessionError.isInstance(error), operation).toBe(true);
      expect(error).toMatchObject({ operation, sessionId: 'user-9', cause: failure });
      expect((error as Error).message).toBe(
        `Session "user-9": ${operation}() failed: the store rejected with Error (code 22P02); the store's error is in \`cause\`.`,
      );
    }
  });

  it('a failed table creation is tried again by the next call', async () => {
    let failNext = true;
    const client: PostgresClient = {
      query: (text, params) => {
        if (failNext && text.startsWith('CREATE TABLE')) {
          failNext = false;
          return Promise.reject(Object.assign(new Error('connection reset'), { code: '08006' }));
        }
        return db.query(text, params);
      },
    };
    const session = new PostgresSession({ client, sessionId: 's', tableName: 'retried_items' });
    await expect(session.addItems([user('a')])).rejects.toMatchObject({ name: 'SessionError', operation: 'addItems' });
    await session.addItems([user('b')]);
    expect(await session.getItems()).toEqual([user('b')]);
  });

  it('a creation that lost a race with another connection (duplicate object) counts as created', async () => {
    const client: PostgresClient = {
      query: (text, params) =>
        text.startsWith('CREATE SEQUENCE')
          ? db
              .query(text, params)
              .then(() => Promise.reject(Object.assign(new Error('duplicate key value'), { code: '23505' })))
          : db.query(text, params),
    };
    const session = new PostgresSession({ client, sessionId: 's', tableName: 'raced_items' });
    await session.addItems([user('a')]);
    expect(await session.getItems()).toEqual([user('a')]);
  });

  it.each([
    [{ sessionId: 's' }, 'client'],
    [{ client: {}, sessionId: 's' }, 'client'],
    [{ client: 'client', sessionId: '' }, 'client'],
    [{ sessionId: '' }, 'client'],
    [{ client: { query: () => Promise.resolve({ rows: [] }) }, sessionId: '' }, 'sessionId'],
    [
      { client: { query: () => Promise.resolve({ rows: [] }) }, sessionId: 's', tableName: 'public.items' },
      'tableName',
    ],
    [
      { client: { query: () => Promise.resolve({ rows: [] }) }, sessionId: 's', tableName: 'x"; DROP TABLE y; --' },
      'tableName',
    ],
    [{ client: { query: () => Promise.resolve({ rows: [] }) }, sessionId: 's', tableName: '' }, 'tableName'],
  ])('refuses %j where it is given, naming %s', (options, argument) => {
    const error = thrown(() => new PostgresSession(options as never));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });

  it('sends nothing for addItems([]) or a bad limit', async () => {
    const { client, statements } = recording();
    const session = new PostgresSession({ client, sessionId: 's' });
    await session.addItems([]);
    await expect(session.getItems(0)).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'limit' });
    expect(statements).toEqual([]);
  });
});

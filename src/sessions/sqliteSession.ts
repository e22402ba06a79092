import { InvalidArgumentError } from '../errors/runErrors.js';
import { SessionError, type SessionOperation } from '../errors/sessionErrors.js';
import type { InputItem } from '../items.js';
import type { Session } from '../session.js';
import { checkItems, checkLimit, checkSessionId, checkTableName } from './sessionArguments.js';
import { openSQLite, SQLiteDriverUnavailable, type SQLiteDatabase, type SQLiteDriver } from './sqliteDriver.js';

/** Options of {@link SQLiteSession}. */
export interface SQLiteSessionOptions {
  /** The conversation's id: the rows of this session are the table's rows with this id. */
  readonly sessionId: string;
  /**
   * The database file, created if it does not exist (its directory must), or `':memory:'` for a
   * database of this instance alone, gone when it is closed.
   */
  readonly path: string;
  /** The table the items are kept in, created on first use. Default: `'agent_session_items'`. */
  readonly tableName?: string;
  /**
   * The SQLite driver. Default: `node:sqlite` where the running Node has it (22.13+, 24), else
   * the `better-sqlite3` package. Give `'better-sqlite3'` to use it on a Node that has both.
   */
  readonly driver?: SQLiteDriver;
}

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
const busyTimeoutMs = 5_000;

/** An open database, its statements prepared once. */
interface Opened {
  readonly database: SQLiteDatabase;
  readonly driver: SQLiteDriver;
  select(sessionId: string): unknown[];
  selectLast(sessionId: string, limit: number): unknown[];
  insert(sessionId: string, item: string): void;
  popLast(sessionId: string): unknown;
  deleteAll(sessionId: string): void;
}

/**
 * A conversation kept in an SQLite database file, one row per item, shared by every session (and
 * every process) that opens the same file and table.
 *
 * It runs on `node:sqlite` where the running Node has it (22.13+, 24: nothing to install), else on
 * `better-sqlite3` 12 (`npm install better-sqlite3@12`, an optional peer dependency). Neither is
 * loaded until the session is first used, so constructing one is synchronous and cheap, and the
 * first method call opens the file and creates the table and its index if they do not exist. A
 * missing driver or a database that cannot be opened rejects that call with a {@link SessionError}
 * (saying what to install, for a driver); the next call tries again.
 *
 * Each `addItems` call is one transaction (`BEGIN IMMEDIATE`): its items are written together,
 * contiguous and in order, even while other connections — other instances, other processes — add
 * items to the same session; a connection waits up to 5 s for another's write lock. `popItem` is
 * one `DELETE … RETURNING` statement. A database file is put in write-ahead-log mode
 * (`journal_mode = WAL`, which stays with the file): readers then never wait for writers and never
 * see part of a call. Like SQLite itself, it wants a local file system, not a network share.
 *
 * The drivers are synchronous: each call holds the thread for as long as SQLite takes, which for a
 * conversation's rows on a local disk is well under a millisecond.
 *
 * ## Example
 *
 * ```ts
 * import { SQLiteSession } from 'rxjs-agents/sessions';
 *
 * const session = new SQLiteSession({ sessionId: 'user-42', path: 'conversations.db' });
 * await session.addItems([{ type: 'message', role: 'user', content: 'Hello' }]);
 * await session.close();
 * ```
 */
export class SQLiteSession implements Session {
  /** The conversation's id. */
  readonly sessionId: string;
  /** The database file (or `':memory:'`). */
  readonly path: string;
  /** The table the items are kept in. */
  readonly tableName: string;
  readonly #driver: SQLiteDriver | undefined;
  #opened: Promise<Opened> | undefined;

  constructor({ sessionId, path, tableName = 'agent_session_items', driver }: SQLiteSessionOptions) {
    this.sessionId = checkSessionId(sessionId);
    if (typeof path !== 'string' || path === '') {
      throw new InvalidArgumentError({ argument: 'path', message: "must be a file's path or ':memory:'." });
    }
    this.path = path;
    this.tableName = checkTableName(tableName);
    if (driver !== undefined && driver !== 'node:sqlite' && driver !== 'better-sqlite3') {
      throw new InvalidArgumentError({
        argument: 'driver',
        message: `must be 'node:sqlite' or 'better-sqlite3' (got ${JSON.stringify(driver)}).`,
      });
    }
    this.#driver = driver;
  }

  /**
   * The driver this session runs on. Opens the database if no call has yet (a failure rejects as
   * `getItems` would).
   */
  async driver(): Promise<SQLiteDriver> {
    return this.#run('getItems', (opened) => opened.driver);
  }

  /** The `limit` most recent items (all of them by default), oldest first. */
  async getItems(limit?: number): Promise<InputItem[]> {
    const count = checkLimit(limit);
    return this.#run('getItems', (opened) =>
      (count === undefined ? opened.select(this.sessionId) : opened.selectLast(this.sessionId, count)).map(parseRow),
    );
  }

  /** Appends `items`, in order, in one transaction. An empty list writes nothing. */
  async addItems(items: readonly InputItem[]): Promise<void> {
    const rows = checkItems(items).map((item) => JSON.stringify(item));
    if (rows.length === 0) return;
    await this.#run('addItems', (opened) => {
      opened.database.exec('BEGIN IMMEDIATE');
      try {
        for (const row of rows) opened.insert(this.sessionId, row);
        opened.database.exec('COMMIT');
      } catch (error) {
        try {
          opened.database.exec('ROLLBACK');
        } catch {
          // The transaction is already gone (SQLite rolls back on some errors itself); the
          // insert's error is the one to report.
        }
        throw error;
      }
    });
  }

  /** Removes the most recent item and gives it, or `undefined` when there is none. */
  async popItem(): Promise<InputItem | undefined> {
    return this.#run('popItem', (opened) => {
      const row = opened.popLast(this.sessionId);
      return row === undefined ? undefined : parseRow(row);
    });
  }

  /** Removes every item of this session (the other sessions' rows stay). */
  async clear(): Promise<void> {
    await this.#run('clear', (opened) => opened.deleteAll(this.sessionId));
  }

  /**
   * Closes the database connection, if the session opened one. A call after it opens the database
   * again. A `':memory:'` database is gone once closed.
   */
  async close(): Promise<void> {
    const opened = this.#opened;
    this.#opened = undefined;
    if (opened === undefined) return;
    const database = await opened.then(
      (value) => value.database,
      () => undefined,
    );
    database?.close();
  }

  /**
   * `work` on the open database, whatever fails — opening it, its driver, the statement — becoming
   * a {@link SessionError} of `operation` (with what to install, for a driver).
   */
  async #run<T>(operation: SessionOperation, work: (opened: Opened) => T): Promise<T> {
    try {
      return work(await this.#open());
    } catch (cause) {
      if (cause instanceof SQLiteDriverUnavailable) {
        throw new SessionError({ operation, sessionId: this.sessionId, message: cause.message, cause: cause.cause });
      }
      throw new SessionError({ operation, sessionId: this.sessionId, cause });
    }
  }

  /** The open database: opened, and its table created, by the first call (concurrent ones share it). */
  #open(): Promise<Opened> {
    this.#opened ??= this.#openDatabase().catch((error: unknown) => {
      this.#opened = undefined;
      throw error;
    });
    return this.#opened;
  }

  async #openDatabase(): Promise<Opened> {
    const { database, driver } = await openSQLite(this.path, this.#driver);
    try {
      return prepare(database, driver, this.path, this.tableName);
    } catch (error) {
      database.close();
      throw error;
    }
  }
}

/** Creates the table and index if they are missing, and prepares the statements. */
function prepare(database: SQLiteDatabase, driver: SQLiteDriver, path: string, table: string): Opened {
  database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  // Write-ahead logging: readers never wait for a writer (in the default rollback journal, a
  // process writing often can keep another's reads waiting past any timeout), and a commit is one
  // append. The mode is the file's own and stays; it needs a local file system, as SQLite does.
  if (path !== ':memory:') database.exec('PRAGMA journal_mode = WAL');
  database.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL,
      item TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    )`,
  );
  database.exec(`CREATE INDEX IF NOT EXISTS ${table}_session_id_id ON ${table} (session_id, id)`);
  const select = database.prepare(`SELECT item FROM ${table} WHERE session_id = ? ORDER BY id`);
  const selectLast = database.prepare(
    `SELECT item FROM (SELECT id, item FROM ${table} WHERE session_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
  );
  const insert = database.prepare(`INSERT INTO ${table} (session_id, item) VALUES (?, ?)`);
  const popLast = database.prepare(
    `DELETE FROM ${table} WHERE id = (SELECT max(id) FROM ${table} WHERE session_id = ?) RETURNING item`,
  );
  const deleteAll = database.prepare(`DELETE FROM ${table} WHERE session_id = ?`);
  return {
    database,
    driver,
    select: (sessionId) => select.all(sessionId),
    selectLast: (sessionId, limit) => selectLast.all(sessionId, limit),
    insert: (sessionId, item) => void insert.run(sessionId, item),
    popLast: (sessionId) => popLast.get(sessionId),
    deleteAll: (sessionId) => void deleteAll.run(sessionId),
  };
}

/** A row's item, parsed from its JSON text. */
function parseRow(row: unknown): InputItem {
  return JSON.parse((row as { item: string }).item) as InputItem;
}

import { InvalidArgumentError } from '../errors/runErrors.js';
import type { InputItem } from '../items.js';
import type { Session } from '../session.js';
import { postgresSql, type PostgresSql } from './postgresSql.js';
import { checkItems, checkLimit, checkSessionId, checkTableName } from './sessionArguments.js';
import { storeOperation } from './storeOperation.js';

/**
 * What {@link PostgresSession} needs of a Postgres client: `query(text, params)` resolving with
 * `{ rows }`. `pg`'s `Pool` and `Client` and `@electric-sql/pglite`'s `PGlite` have it as they are.
 * It is typed by its shape, so rxjs-agents depends on no Postgres package: the application brings
 * its own client, configured and pooled as it likes.
 */
export interface PostgresClient {
  /** Runs one statement with its `$1`, `$2`, … parameters and resolves with the rows it returned. */
  query(text: string, params: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

/** Options of {@link PostgresSession}. */
export interface PostgresSessionOptions {
  /** The client the session queries through; the session never ends it. */
  readonly client: PostgresClient;
  /** The conversation's id: the rows of this session are the table's rows with this id. */
  readonly sessionId: string;
  /**
   * The table the items are kept in, created on first use with a sequence and an index named
   * after it. A plain identifier (folded to lower case, as Postgres does). Default:
   * `'agent_session_items'`.
   */
  readonly tableName?: string;
}

/** Postgres's codes for a `CREATE … IF NOT EXISTS` that lost a race with another connection's. */
const lostCreateRace = new Set(['23505', '42P07']);

/**
 * A conversation kept in Postgres, one row per item, shared by every session (and every process)
 * on the same database and table.
 *
 * It queries through the client it is given (`pg`'s `Pool` in production), and creates its table,
 * sequence and index (`CREATE … IF NOT EXISTS`) on its first call: once per instance, concurrent
 * first calls sharing that one creation, and again on the next call if it failed.
 *
 * Each `addItems` call is one `INSERT` statement that numbers its items under one batch number, so
 * two calls at once on the same session id — two instances, two processes, a pool's two
 * connections — lose nothing and each call's items stay contiguous and in order. `popItem` is one
 * `DELETE … RETURNING` statement. No statement needs a transaction, so a `Pool`, whose queries may
 * each go to another connection, is as safe as a `Client`.
 *
 * ## Example
 *
 * ```ts
 * import pg from 'pg';
 * import { PostgresSession } from 'rxjs-agents/sessions';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const session = new PostgresSession({ client: pool, sessionId: 'user-42' });
 * ```
 */
export class PostgresSession implements Session {
  /** The conversation's id. */
  readonly sessionId: string;
  /** The table the items are kept in. */
  readonly tableName: string;
  readonly #client: PostgresClient;
  readonly #sql: PostgresSql;
  #created: Promise<void> | undefined;

  constructor({ client, sessionId, tableName = 'agent_session_items' }: PostgresSessionOptions) {
    if (typeof (client as Partial<PostgresClient> | undefined)?.query !== 'function') {
      throw new InvalidArgumentError({
        argument: 'client',
        message: 'must be a Postgres client with `query(text, params)` (a pg Pool or Client, a PGlite).',
      });
    }
    this.#client = client;
    this.sessionId = checkSessionId(sessionId);
    this.tableName = checkTableName(tableName);
    this.#sql = postgresSql(this.tableName);
  }

  /** The `limit` most recent items (all of them by default), oldest first. */
  async getItems(limit?: number): Promise<InputItem[]> {
    const count = checkLimit(limit);
    return storeOperation(this.sessionId, 'getItems', async () => {
      await this.#create();
      const { rows } =
        count === undefined
          ? await this.#client.query(this.#sql.select, [this.sessionId])
          : await this.#client.query(this.#sql.selectLast, [this.sessionId, count]);
      return rows.map(parseRow);
    });
  }

  /** Appends `items`, in order, in one statement. An empty list sends nothing. */
  async addItems(items: readonly InputItem[]): Promise<void> {
    const checked = checkItems(items);
    if (checked.length === 0) return;
    const json = JSON.stringify(checked);
    await storeOperation(this.sessionId, 'addItems', async () => {
      await this.#create();
      await this.#client.query(this.#sql.insert, [this.sessionId, json]);
    });
  }

  /** Removes the most recent item and gives it, or `undefined` when there is none. */
  async popItem(): Promise<InputItem | undefined> {
    return storeOperation(this.sessionId, 'popItem', async () => {
      await this.#create();
      const { rows } = await this.#client.query(this.#sql.popLast, [this.sessionId]);
      return rows.length === 0 ? undefined : parseRow(rows[0]);
    });
  }

  /** Removes every item of this session (the other sessions' rows stay). */
  async clear(): Promise<void> {
    await storeOperation(this.sessionId, 'clear', async () => {
      await this.#create();
      await this.#client.query(this.#sql.deleteAll, [this.sessionId]);
    });
  }

  /** The table, sequence and index, created by the first call; concurrent first calls share it. */
  #create(): Promise<void> {
    this.#created ??= this.#createTables().catch((error: unknown) => {
      this.#created = undefined;
      throw error;
    });
    return this.#created;
  }

  async #createTables(): Promise<void> {
    for (const statement of this.#sql.create) {
      try {
        await this.#client.query(statement, []);
      } catch (error) {
        // Another connection created the same object between our check and our insert into the
        // catalog (Postgres's IF NOT EXISTS is not atomic): it exists now, which is what we wanted.
        if (!lostCreateRace.has(String((error as { code?: unknown } | null)?.code))) throw error;
      }
    }
  }
}

/** A row's item, parsed from its JSON text (selected as `item::text`, whatever the client's JSON parsing). */
function parseRow(row: unknown): InputItem {
  return JSON.parse((row as { item: string }).item) as InputItem;
}

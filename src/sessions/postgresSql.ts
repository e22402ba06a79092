// The SQL of PostgresSession, for one table. A table's name cannot be a query parameter, so it is
// put into the text; it was checked to be a plain identifier (checkTableName) before it got here.
//
// Order is (batch, position): each addItems call takes one number from the table's sequence, once,
// and its items are numbered 1, 2, … within it. Ordering by a per-row identity column would not
// keep a call's items together: two INSERTs running at once on two connections may take sequence
// numbers in turn, interleaving their rows. Items are `json`, not `jsonb`: it keeps the text as
// written (key order, a "\u0000" escape, which jsonb refuses), and nothing queries inside it.

/** The statements of one table, created by {@link postgresSql}. */
export interface PostgresSql {
  /** Run in order, each on its own, on first use. */
  readonly create: readonly string[];
  /** `$1` session id. */
  readonly select: string;
  /** `$1` session id, `$2` limit. */
  readonly selectLast: string;
  /** `$1` session id, `$2` the items as one JSON array. */
  readonly insert: string;
  /** `$1` session id. */
  readonly popLast: string;
  /** `$1` session id. */
  readonly deleteAll: string;
}

export function postgresSql(table: string): PostgresSql {
  const sequence = `${table}_batch_seq`;
  return {
    create: [
      `CREATE SEQUENCE IF NOT EXISTS ${sequence}`,
      `CREATE TABLE IF NOT EXISTS ${table} (
        session_id TEXT NOT NULL,
        batch BIGINT NOT NULL,
        position INTEGER NOT NULL,
        item JSON NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (batch, position)
      )`,
      `CREATE INDEX IF NOT EXISTS ${table}_session_order ON ${table} (session_id, batch, position)`,
    ],
    select: `SELECT item::text AS item FROM ${table} WHERE session_id = $1 ORDER BY batch, position`,
    selectLast: `SELECT item FROM (
        SELECT batch, position, item::text AS item FROM ${table}
        WHERE session_id = $1 ORDER BY batch DESC, position DESC LIMIT $2
      ) AS last ORDER BY batch, position`,
    // A CTE with a volatile function is evaluated once, never inlined: one batch number per call.
    insert: `WITH call AS (SELECT nextval('${sequence}') AS batch)
      INSERT INTO ${table} (session_id, batch, position, item)
      SELECT $1, call.batch, element.position, element.item
      FROM call, json_array_elements($2::json) WITH ORDINALITY AS element(item, position)`,
    // One statement, so atomic; SKIP LOCKED makes two pops at once remove two items, not one twice.
    popLast: `WITH last AS (
        SELECT batch, position FROM ${table} WHERE session_id = $1
        ORDER BY batch DESC, position DESC LIMIT 1 FOR UPDATE SKIP LOCKED
      )
      DELETE FROM ${table} AS stored USING last
      WHERE stored.batch = last.batch AND stored.position = last.position
      RETURNING stored.item::text AS item`,
    deleteAll: `DELETE FROM ${table} WHERE session_id = $1`,
  };
}

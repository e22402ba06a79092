// PostgresClient is typed by its shape, so that rxjs-agents needs no Postgres package: these are
// the clients users pass, as their own packages type them (`pg` through @types/pg, PGlite).
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import type { PostgresClient } from '../../src/sessions/index.js';

describe('PostgresClient', () => {
  it("accepts pg's Pool, Client and a pool's PoolClient, and PGlite", () => {
    expectTypeOf<pg.Pool>().toExtend<PostgresClient>();
    expectTypeOf<pg.Client>().toExtend<PostgresClient>();
    expectTypeOf<pg.PoolClient>().toExtend<PostgresClient>();
    expectTypeOf<PGlite>().toExtend<PostgresClient>();
  });

  it('refuses what has no query(text, params) resolving with rows', () => {
    expectTypeOf<{ query(text: string): string }>().not.toExtend<PostgresClient>();
    expectTypeOf<{
      execute(text: string, params: unknown[]): Promise<{ rows: unknown[] }>;
    }>().not.toExtend<PostgresClient>();
  });
});

import pg from 'pg';
import { isolatedPgDatabase, testStores, type IsolatedDatabase } from '@shop/testkit';

/**
 * An isolated database of the test PostgreSQL with a pool on it; close() ends the pool and drops the database. An idle
 * client the server terminates is dropped by the pool, not raised as an unhandled error that fails whichever test runs.
 */
export async function testDatabase(): Promise<{ database: IsolatedDatabase; pool: pg.Pool; close(): Promise<void> }> {
  const database = await isolatedPgDatabase(testStores().usersPgAdminUrl, 'shop_postgres');
  const pool = new pg.Pool({ connectionString: database.url, max: 6 });
  pool.on('error', () => undefined);
  return {
    database,
    pool,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

/** The one outbox table shape, as a service's migration creates it. */
export const outboxTableSql = `CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  subject text NOT NULL,
  type text NOT NULL,
  payload bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  trace_context jsonb
)`;

import type { ConnectionPool, PooledConnection } from './queryable.js';

/** The outcome of a transaction and the WAL position right after its commit, for reads that must see it. */
export interface CommittedAt<T> {
  readonly result: T;
  readonly commitLsn: string;
}

/** Runs work in one transaction on one pooled connection: commit on success, rollback on any error. */
export async function inTransaction<T>(pool: ConnectionPool, work: (client: PooledConnection) => Promise<T>): Promise<T> {
  return (await transaction(pool, work, false)).result;
}

/** Runs work as inTransaction does and also returns the commit's WAL position (read-your-writes on a replica). */
export async function inTransactionWithCommitLsn<T>(pool: ConnectionPool, work: (client: PooledConnection) => Promise<T>): Promise<CommittedAt<T>> {
  const { result, commitLsn } = await transaction(pool, work, true);
  return { result, commitLsn: commitLsn! };
}

async function transaction<T>(pool: ConnectionPool, work: (client: PooledConnection) => Promise<T>, withLsn: boolean): Promise<{ result: T; commitLsn?: string }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    if (!withLsn) return { result };
    const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return { result, commitLsn: rows[0]!.lsn };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/** The analytics store: one embedded DuckDB file, a connection for writes (serialized) and one for reads. */
export interface AnalyticsDatabase {
  /** Runs work on the write connection, one at a time. */
  serialized<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Rows of a read query, as plain JS values. */
  query(sql: string, values?: DuckDBValue[]): Promise<Record<string, unknown>[]>;
  close(): void;
}

/**
 * Opens (creating when missing) the DuckDB file at the path, readable and writable by the service's OS user only (a
 * missing folder is created for that user alone); `:memory:` for a throwaway store. `threads` bounds DuckDB's worker
 * threads (its default is one per core).
 */
export async function openAnalyticsDatabase(path: string, options: { threads?: number } = {}): Promise<AnalyticsDatabase> {
  if (path !== ':memory:') await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const instance = await DuckDBInstance.create(path, options.threads === undefined ? {} : { threads: String(options.threads) });
  if (path !== ':memory:') await chmod(path, 0o600);
  const writer = await instance.connect();
  const reader = await instance.connect();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    serialized: <T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> => {
      const run = queue.then(() => work(writer));
      queue = run.catch(() => undefined);
      return run;
    },
    query: async (sql, values) => (await reader.runAndReadAll(sql, values)).getRowObjectsJS() as Record<string, unknown>[],
    close: () => {
      reader.closeSync();
      writer.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs the work in one transaction on the connection, rolling back when it throws. */
export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await connection.run('COMMIT');
    return result;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/** A JS date as a DuckDB TIMESTAMP literal (UTC, microseconds dropped to milliseconds). */
export function timestampValue(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

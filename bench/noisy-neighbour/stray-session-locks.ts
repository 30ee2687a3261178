import pg from 'pg';

const TERMINATE_ADVISORY_LOCK_HOLDERS = `
SELECT pg_terminate_backend(pid) FROM pg_locks
WHERE locktype = 'advisory' AND pid <> pg_backend_pid()
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/**
 * Ends the server connections that still hold a session advisory lock in the URL's database. Behind a transaction
 * pooler a session lock (users takes one around its migrations at every start) stays on whichever pooled server
 * connection took it, after the client that took it has gone; the pooler replaces the ended connection.
 * Returns how many connections were ended.
 */
export async function endStraySessionLocks(directUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: directUrl });
  await client.connect();
  try {
    return (await client.query(TERMINATE_ADVISORY_LOCK_HOLDERS)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

import pg from 'pg';
import type { Logger } from '@shop/runtime';

/** Opens the users database's pool; it names itself users in pg_stat_activity and logs failing idle connections. */
export function openUsersPool(databaseUrl: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, application_name: 'users', max: 10, connectionTimeoutMillis: 5000 });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle postgres connection failed'));
  return pool;
}

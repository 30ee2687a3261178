import pg from 'pg';
import type { Logger } from '@shop/runtime';

/** The connection pools: writes (and reads that must be fresh) on the primary, other reads on the replica when there is one. */
export interface OrderPools {
  readonly primary: pg.Pool;
  readonly replica?: pg.Pool;
}

/** Opens the pools; each names itself in pg_stat_activity (orders-primary, orders-replica). */
export function openPools(primaryUrl: string, replicaUrl: string | undefined, logger: Logger): OrderPools {
  const primary = openPool(primaryUrl, 'orders-primary', logger);
  return replicaUrl ? { primary, replica: openPool(replicaUrl, 'orders-replica', logger) } : { primary };
}

/** Closes every pool. */
export async function closePools(pools: OrderPools): Promise<void> {
  await Promise.all([pools.primary.end(), pools.replica?.end()]);
}

function openPool(connectionString: string, applicationName: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString, application_name: applicationName, max: 10, connectionTimeoutMillis: 5000 });
  pool.on('error', (error) => logger.warn({ err: error, pool: applicationName }, 'idle database connection failed'));
  return pool;
}

import { ConstantBackoff, handleWhen, retry } from 'cockatiel';
import type { ConnectionPool, PooledConnection } from './queryable.js';

/** SQLSTATE cannot_connect_now: the server is starting up (or a standby is not yet consistent). */
const CANNOT_CONNECT_NOW = '57P03';

/** How often a start tries again while its server is not up yet. */
const RETRY_INTERVAL_MS = 100;

/**
 * Whether a connection failed because the server is not up yet: nothing listens on its address so far, or it
 * answers that it is still starting. Refused credentials and unknown databases are not this: they fail at once.
 */
export function isServerNotUpYet(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === CANNOT_CONNECT_NOW;
}

/**
 * Takes a connection from the pool, trying again every 100 ms for up to waitMs while the server is not up yet (a
 * service and its database started together, say); any other failure, or the last one, rejects.
 */
export async function connectOnceUp(pool: ConnectionPool, waitMs: number): Promise<PooledConnection> {
  const deadline = Date.now() + waitMs;
  const policy = retry(
    handleWhen((error) => isServerNotUpYet(error) && Date.now() + RETRY_INTERVAL_MS <= deadline),
    { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ConstantBackoff(RETRY_INTERVAL_MS) },
  );
  return policy.execute(() => pool.connect());
}

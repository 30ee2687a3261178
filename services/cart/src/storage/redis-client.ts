import { Redis } from 'ioredis';

/** Reconnection delays grow to at most this, so the service notices Redis is back within about a second. */
const maxReconnectDelayMs = 1000;

/**
 * Connects to Redis and checks the credentials with a PING; fails with Redis's own reason (never the URL). While
 * the connection is down commands fail at once (no offline queue), so callers get UNAVAILABLE instead of a wait.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 50, maxReconnectDelayMs),
    connectionName: 'cart',
  });
  let lastError: Error | undefined;
  const remember = (error: Error) => (lastError = error);
  redis.on('error', remember);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot connect to CART_REDIS_URL: ${(lastError ?? (error as Error)).message}`);
  }
}

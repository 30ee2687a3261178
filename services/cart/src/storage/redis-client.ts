import { Redis } from 'ioredis';

/** Connects to Redis and checks the credentials with a PING; fails with Redis's own reason (never the URL). */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: 'cart' });
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

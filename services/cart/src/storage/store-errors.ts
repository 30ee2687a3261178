import { ReplyError } from 'ioredis';
import { unavailable } from '@shop/runtime';

/** Runs a Redis call; a lost or refused connection becomes UNAVAILABLE naming redis, a reply error stays unexpected. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ReplyError && !/^(WRONGPASS|NOAUTH|LOADING|BUSY)/.test(message)) throw error;
    throw unavailable('redis', message);
  }
}

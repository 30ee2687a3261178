import { ReplyError } from 'ioredis';
import type { StoreOutageClassifier } from '@shop/runtime';

const unreachableReplies = /^(WRONGPASS|NOAUTH|LOADING|BUSY|MASTERDOWN)/;
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const unreachableMessages = /^(Connection is closed|Stream isn't writeable|Reached the max retries per request limit)/;

/** Redis outages: a lost, refused or unauthenticated connection, or a server still loading; other reply errors are not outages. */
export const redisOutage: StoreOutageClassifier = (error) => {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const unreachable =
    error instanceof ReplyError
      ? unreachableReplies.test(error.message)
      : error.name === 'MaxRetriesPerRequestError' || unreachableMessages.test(error.message) || (typeof code === 'string' && unreachableCodes.has(code));
  return unreachable ? { store: 'redis', reason: error.message } : undefined;
};

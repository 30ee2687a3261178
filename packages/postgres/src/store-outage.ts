import type { StoreOutageClassifier } from '@shop/runtime';

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
const shutdownStates = new Set(['57P01', '57P02', '57P03']);
const lostConnection = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable/i;

/**
 * Whether a pg error means the server could not be reached or went away: a refused or broken socket, a server
 * shutting down or starting (57P01, 57P02, 57P03), a connection exception (SQLSTATE class 08) or a lost connection.
 */
export function isPgConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (networkCodes.has(code) || shutdownStates.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isPgConnectionFailure);
  return typeof message === 'string' && lostConnection.test(message);
}

/** The StoreOutageClassifier of a PostgreSQL store: an outage of it answers UNAVAILABLE naming the store. */
export function pgStoreOutage(store: string): StoreOutageClassifier {
  return (error) => (isPgConnectionFailure(error) ? { store, reason: 'the database cannot be reached' } : undefined);
}

import type { StoreOutageClassifier } from '@shop/runtime';

const outage = /IO Error|Could not set lock|database has been closed|connection (was|is) closed|connection disconnected|disk is full|No space left/i;

/** The message of an error from the native binding, whose errors need not be instances of this realm's Error. */
const messageOf = (error: unknown) => (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : undefined);

/** The DuckDB file's outages (unreadable, locked, full, closed): a call failing on one answers UNAVAILABLE naming duckdb. */
export const analyticsStoreOutage: StoreOutageClassifier = (error) => {
  const message = messageOf(error);
  return message !== undefined && outage.test(message) ? { store: 'duckdb', reason: message.split('\n')[0]!.slice(0, 120) } : undefined;
};

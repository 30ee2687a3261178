import type { StoreOutageClassifier } from '@shop/runtime';

const outage = /IO Error|Could not set lock|database has been closed|connection (was|is) closed|disk is full|No space left/i;

/** The DuckDB file's outages (unreadable, locked, full, closed): a call failing on one answers UNAVAILABLE naming duckdb. */
export const analyticsStoreOutage: StoreOutageClassifier = (error) =>
  error instanceof Error && outage.test(error.message) ? { store: 'duckdb', reason: error.message.split('\n')[0]!.slice(0, 120) } : undefined;

import { pgStoreOutage } from '@shop/postgres';

/** The orders database's outages: a call failing on one answers UNAVAILABLE naming postgres. */
export const ordersStoreOutage = pgStoreOutage('postgres');

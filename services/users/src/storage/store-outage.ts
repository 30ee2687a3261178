import { pgStoreOutage } from '@shop/postgres';

/** The users database's outages: a call failing on one answers UNAVAILABLE naming postgres. */
export const usersStoreOutage = pgStoreOutage('postgres');

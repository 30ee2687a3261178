import { createIsolatedDatabase, dropIsolatedDatabase, type LocalStores } from '@shop/local-stack';
import pg from 'pg';

/** How the users and orders databases are laid out. */
export type Mode = 'database-per-service' | 'shared-database';

/** Where each service's tables live, and the credentials the attacks on orders use. */
export interface Topology {
  readonly mode: Mode;
  readonly usersDatabaseUrl: string;
  readonly ordersDatabaseUrl: string;
  /** The role that owns the orders tables: the reporting job, the lock and the migration run as it. */
  readonly ordersOwnerUrl: string;
  /** What this layout is, in one sentence, for the report. */
  readonly description: string;
  drop(): Promise<void>;
}

const USERS_SCHEMA = 'users_svc';

/** Each service its own cluster, database and role. */
async function databasePerService(stores: LocalStores): Promise<Topology> {
  const ordersUrl = await createIsolatedDatabase(stores.admin.ordersPrimaryUrl, 'bench_orders');
  const usersUrl = await createIsolatedDatabase(stores.admin.usersUrl, 'bench_users');
  return {
    mode: 'database-per-service',
    usersDatabaseUrl: usersUrl,
    ordersDatabaseUrl: ordersUrl,
    ordersOwnerUrl: ordersUrl,
    description: 'users on its own cluster (database and role of its own); orders on the orders cluster',
    drop: async () => {
      await dropIsolatedDatabase(stores.admin.ordersPrimaryUrl, ordersUrl);
      await dropIsolatedDatabase(stores.admin.usersUrl, usersUrl);
    },
  };
}

/** The URL with a search_path given as a startup option, so a service's unqualified tables land in that schema. */
function withSearchPath(url: string, schema: string): string {
  const withOption = new URL(url);
  withOption.searchParams.set('options', `-c search_path=${schema}`);
  return withOption.toString();
}

/** One database on the orders cluster and one role for both services; users' tables in a schema of their own. */
async function sharedDatabase(stores: LocalStores): Promise<Topology> {
  const sharedUrl = await createIsolatedDatabase(stores.admin.ordersPrimaryUrl, 'bench_shared');
  const client = new pg.Client({ connectionString: sharedUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${USERS_SCHEMA}`);
  } finally {
    await client.end();
  }
  return {
    mode: 'shared-database',
    usersDatabaseUrl: withSearchPath(sharedUrl, USERS_SCHEMA),
    ordersDatabaseUrl: sharedUrl,
    ordersOwnerUrl: sharedUrl,
    description: `users and orders in one database on the orders cluster, connecting as one role (users' tables in schema ${USERS_SCHEMA}, since both services have an outbox table)`,
    drop: () => dropIsolatedDatabase(stores.admin.ordersPrimaryUrl, sharedUrl),
  };
}

/** Creates the databases of a mode. */
export function prepareTopology(mode: Mode, stores: LocalStores): Promise<Topology> {
  return mode === 'database-per-service' ? databasePerService(stores) : sharedDatabase(stores);
}

import { join } from 'node:path';
import { createIsolatedDatabase, dropIsolatedDatabase, type LocalStores } from '@shop/local-stack';
import pg from 'pg';
import { startPgBouncer } from './pgbouncer.js';

/** How the users and orders databases are laid out. */
export type Mode = 'database-per-service' | 'shared-database';

/** One URL for each PostgreSQL service. */
export interface ServiceUrls {
  readonly users: string;
  readonly orders: string;
}

/** Where each service's tables live, how the services and the attacks connect, and how to remove it all. */
export interface Topology {
  readonly mode: Mode;
  /** Direct connections the services' migrations run on (a start of each service on them, then a stop). */
  readonly migrationUrls: ServiceUrls;
  /** What the measured services connect with. */
  readonly serviceUrls: ServiceUrls;
  /** What the attacks on orders connect with: the role that owns the orders tables, through the pool when there is one. */
  readonly attackUrl: string;
  /** A direct connection as the role that owns the orders tables, for seeding and housekeeping. */
  readonly ordersOwnerUrl: string;
  /** What this layout is, in one sentence, for the report. */
  readonly description: string;
  drop(): Promise<void>;
}

/** Settings of the shared mode's pooler. */
export interface SharedPoolSettings {
  /** The folder pgbouncer's ini, userlist and log go to. */
  readonly dir: string;
  /** Server connections the one role may hold in all. */
  readonly serverConnections: number;
}

const USERS_SCHEMA = 'users_svc';
const USERS_ENTRY = 'shared_users';

/** Each service its own cluster, database, role and pg.Pool; the attacks connect straight to the orders cluster. */
async function databasePerService(stores: LocalStores): Promise<Topology> {
  const ordersUrl = await createIsolatedDatabase(stores.admin.ordersPrimaryUrl, 'bench_orders');
  const usersUrl = await createIsolatedDatabase(stores.admin.usersUrl, 'bench_users');
  const urls = { users: usersUrl, orders: ordersUrl };
  return {
    mode: 'database-per-service',
    migrationUrls: urls,
    serviceUrls: urls,
    attackUrl: ordersUrl,
    ordersOwnerUrl: ordersUrl,
    description: 'users on its own cluster (database and role of its own); orders on the orders cluster; each service its own pg.Pool of at most 10 connections, no pooler',
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

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
}

/**
 * One database on the orders cluster and one role for both services, behind one PgBouncer in transaction pooling
 * mode whose role may hold `serverConnections` server connections in all. Users' tables sit in a schema of their own
 * (both services have an outbox table); pgbouncer 1.18 cannot pass a client's search_path through transaction
 * pooling, so users connects to a second entry of the same database whose server connections set it on connect.
 */
async function sharedDatabase(stores: LocalStores, pool: SharedPoolSettings): Promise<Topology> {
  const sharedUrl = await createIsolatedDatabase(stores.admin.ordersPrimaryUrl, 'bench_shared');
  const drop = () => dropIsolatedDatabase(stores.admin.ordersPrimaryUrl, sharedUrl);
  try {
    await createSchema(sharedUrl, USERS_SCHEMA);
    // Orders' migration step looks its table up by the database name the client asked for, so its entry keeps the real name.
    const ordersEntry = decodeURIComponent(new URL(sharedUrl).pathname.slice(1));
    const pooler = await startPgBouncer({
      dir: join(pool.dir, 'pgbouncer'),
      serverUrl: sharedUrl,
      databases: [{ alias: ordersEntry }, { alias: USERS_ENTRY, connectQuery: `SET search_path TO ${USERS_SCHEMA}` }],
      serverConnections: pool.serverConnections,
    });
    return {
      mode: 'shared-database',
      migrationUrls: { users: withSearchPath(sharedUrl, USERS_SCHEMA), orders: sharedUrl },
      serviceUrls: { users: pooler.urlFor(USERS_ENTRY), orders: pooler.urlFor(ordersEntry) },
      attackUrl: pooler.urlFor(ordersEntry),
      ordersOwnerUrl: sharedUrl,
      description: `users and orders in one database on the orders cluster as one role, behind one PgBouncer 1.18 (transaction pooling) through which users, orders and every attack connect and which gives that role ${pool.serverConnections} server connections in all (max_user_connections; an idle server connection of one entry is closed when the other needs one); users' tables in schema ${USERS_SCHEMA} (both services have an outbox table), set by the connect_query of users' own entry of the same database, since pgbouncer 1.18 cannot carry a client's startup search_path through transaction pooling`,
      drop: async () => {
        await pooler.stop();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** Creates the databases (and in the shared mode the pooler) of a mode. */
export function prepareTopology(mode: Mode, stores: LocalStores, pool: SharedPoolSettings): Promise<Topology> {
  return mode === 'database-per-service' ? databasePerService(stores) : sharedDatabase(stores, pool);
}

import { setTimeout as sleep } from 'node:timers/promises';
import { ensureReplicationAccess, ensureServiceDatabase, serviceDatabaseStatements } from './postgres-databases.js';
import { initialiseCluster, isInitialised, locateCluster, startCluster, startInitialisedCluster, type ClusterLocation, type RunningCluster } from './postgres-cluster.js';
import { postgresUrl, withPgClient } from './pg-client.js';
import { cloneAsStandby, copyAsStandby } from './postgres-replica.js';
import { claimPort } from './ports.js';
import { loadSecrets, type StoreSecrets } from './secrets.js';
import type { Supervision } from './restart-policy.js';
import type { LogLine } from './supervisor.js';

const ORDERS = { database: 'orders', role: 'orders_svc' } as const;
const USERS = { database: 'users', role: 'users_svc' } as const;
const REPLICATION_ROLE = 'replicator';
const REPLICATION_SLOT = 'orders_replica';

/** The orders primary with its streaming hot-standby replica. */
export interface OrdersPostgres {
  databaseUrl: string;
  replicaDatabaseUrl: string;
  adminUrl: string;
  replicaAdminUrl: string;
  stop(): Promise<void>;
}

/** The users cluster. */
export interface UsersPostgres {
  databaseUrl: string;
  adminUrl: string;
  stop(): Promise<void>;
}

/** Options for starting the orders clusters. */
export interface StartOrdersPostgresOptions {
  dataDir: string;
  primaryPort: number;
  replicaPort: number;
  log?: LogLine;
  /** Restart each cluster when it exits unexpectedly, and report its state. */
  supervision?: Supervision;
}

/** Options for starting the users cluster. */
export interface StartUsersPostgresOptions {
  dataDir: string;
  port: number;
  log?: LogLine;
  /** Restart the cluster when it exits unexpectedly, and report its state. */
  supervision?: Supervision;
}

const silent: LogLine = () => undefined;

/**
 * How long the standby waits before it asks the primary for WAL again: at first start it connects before the primary
 * has made its replication role and slot, and PostgreSQL's 5 s default would hold streaming back that long.
 */
const WAL_RETRY_INTERVAL = '100ms';

/** How long a fresh standby may take to stream from the primary before the start fails. */
const STREAMING_TIMEOUT_MS = 60_000;

/** Starts the standby: from its folder when it has one, otherwise after an online base backup of the running primary. */
async function startReplica(
  options: StartOrdersPostgresOptions,
  location: ClusterLocation,
  primary: { port: number; running: Promise<RunningCluster> },
  secrets: { admin: string; replication: string },
): Promise<RunningCluster> {
  const log = options.log ?? silent;
  if (!isInitialised(location)) {
    const running = await primary.running;
    log('orders-replica: taking a base backup of orders-primary');
    await cloneAsStandby(running, location);
  }
  const conninfo = `host=127.0.0.1 port=${primary.port} user=${REPLICATION_ROLE} password=${secrets.replication} application_name=${REPLICATION_SLOT}`;
  return startCluster(location, {
    port: options.replicaPort,
    adminPassword: secrets.admin,
    settings: { primary_conninfo: conninfo, primary_slot_name: REPLICATION_SLOT, hot_standby: 'on', wal_retrieve_retry_interval: WAL_RETRY_INTERVAL },
    log,
    ...(options.supervision ? { supervision: options.supervision } : {}),
  });
}

/** Resolves once the standby streams from the primary through its slot. */
async function untilStreaming(primary: RunningCluster): Promise<void> {
  const deadline = Date.now() + STREAMING_TIMEOUT_MS;
  const sql = "SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'";
  while (!(await withPgClient(primary.adminUrl, (client) => client.query(sql, [REPLICATION_SLOT]))).rowCount) {
    if (Date.now() > deadline) throw new Error(`orders-replica did not stream from orders-primary within ${STREAMING_TIMEOUT_MS / 1000} s; see its log`);
    await sleep(50);
  }
}

/** The orders service's URLs (its own role) to the primary and the replica on these ports. */
function ordersServiceUrls(secrets: StoreSecrets, primaryPort: number, replicaPort: number): Pick<OrdersPostgres, 'databaseUrl' | 'replicaDatabaseUrl'> {
  const url = (port: number) => postgresUrl(port, ORDERS.role, secrets.ordersService, ORDERS.database);
  return { databaseUrl: url(primaryPort), replicaDatabaseUrl: url(replicaPort) };
}

/** The users service's URL (its own role) to the users cluster on this port. */
function usersServiceUrl(secrets: StoreSecrets, port: number): string {
  return postgresUrl(port, USERS.role, secrets.usersService, USERS.database);
}

/**
 * The service URLs that startOrdersPostgres and startUsersPostgres will hand out, known before the clusters start: a
 * new cluster gets its service's role and database before it first listens, so a service given these URLs early
 * meets only "connection refused" or "starting up" until its cluster is ready.
 */
export function plannedPostgresUrls(dataDir: string, ports: { ordersPrimary: number; ordersReplica: number; users: number }) {
  const secrets = loadSecrets(dataDir);
  return { orders: ordersServiceUrls(secrets, ports.ordersPrimary, ports.ordersReplica), users: usersServiceUrl(secrets, ports.users) };
}

/**
 * Starts the orders primary (database orders, role orders_svc) and its streaming replica, creating both on first use:
 * a new primary's folder gets the service's role and database and is copied for the standby before either starts,
 * so both start at once.
 */
export async function startOrdersPostgres(options: StartOrdersPostgresOptions): Promise<OrdersPostgres> {
  const secrets = loadSecrets(options.dataDir);
  const log = options.log ?? silent;
  const [primaryLocation, replicaLocation] = await Promise.all([locateCluster(options.dataDir, 'orders-primary'), locateCluster(options.dataDir, 'orders-replica')]);
  if (!isInitialised(primaryLocation)) {
    await initialiseCluster(primaryLocation, secrets.ordersPrimaryAdmin, serviceDatabaseStatements({ ...ORDERS, password: secrets.ordersService }));
    await copyAsStandby(primaryLocation, replicaLocation);
  }
  const primaryPort = await claimPort(options.primaryPort, primaryLocation.name);
  const starting = startCluster(primaryLocation, {
    port: primaryPort,
    adminPassword: secrets.ordersPrimaryAdmin,
    log,
    ...(options.supervision ? { supervision: options.supervision } : {}),
  });
  const replicaStarting = startReplica(options, replicaLocation, { port: primaryPort, running: starting }, { admin: secrets.ordersPrimaryAdmin, replication: secrets.ordersReplication });
  const [primaryStart, replicaStart] = await Promise.allSettled([starting, replicaStarting]);
  const started = [replicaStart, primaryStart].flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    for (const cluster of started) await cluster.stop();
  };
  try {
    if (primaryStart.status === 'rejected') throw primaryStart.reason;
    if (replicaStart.status === 'rejected') throw replicaStart.reason;
    const [primary, replica] = [primaryStart.value, replicaStart.value];
    await ensureServiceDatabase(primary.adminUrl, { ...ORDERS, password: secrets.ordersService });
    await ensureReplicationAccess(primary.adminUrl, REPLICATION_ROLE, secrets.ordersReplication, REPLICATION_SLOT);
    await untilStreaming(primary);
    return {
      ...ordersServiceUrls(secrets, primary.port, replica.port),
      adminUrl: primary.adminUrl,
      replicaAdminUrl: replica.adminUrl,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts the users cluster (database users, role users_svc), creating it, with the role and database, on first use. */
export async function startUsersPostgres(options: StartUsersPostgresOptions): Promise<UsersPostgres> {
  const secrets = loadSecrets(options.dataDir);
  const service = { ...USERS, password: secrets.usersService };
  const settings = { port: options.port, adminPassword: secrets.usersAdmin, log: options.log ?? silent, ...(options.supervision ? { supervision: options.supervision } : {}) };
  const cluster = await startInitialisedCluster(options.dataDir, 'users', settings, serviceDatabaseStatements(service));
  try {
    await ensureServiceDatabase(cluster.adminUrl, service);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { databaseUrl: usersServiceUrl(secrets, cluster.port), adminUrl: cluster.adminUrl, stop: () => cluster.stop() };
}

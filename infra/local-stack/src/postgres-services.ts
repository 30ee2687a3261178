import { ensureReplicationAccess, ensureServiceDatabase } from './postgres-databases.js';
import { isInitialised, locateCluster, startCluster, startInitialisedCluster, type RunningCluster } from './postgres-cluster.js';
import { postgresUrl } from './pg-client.js';
import { cloneAsStandby } from './postgres-replica.js';
import { loadSecrets } from './secrets.js';
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

async function startReplica(options: StartOrdersPostgresOptions, primary: RunningCluster, adminPassword: string, replicationPassword: string): Promise<RunningCluster> {
  const log = options.log ?? silent;
  const location = await locateCluster(options.dataDir, 'orders-replica');
  if (!isInitialised(location)) {
    log('orders-replica: taking a base backup of orders-primary');
    await cloneAsStandby(primary, location);
  }
  const conninfo = `host=127.0.0.1 port=${primary.port} user=${REPLICATION_ROLE} password=${replicationPassword} application_name=${REPLICATION_SLOT}`;
  return startCluster(location, {
    port: options.replicaPort,
    adminPassword,
    settings: { primary_conninfo: conninfo, primary_slot_name: REPLICATION_SLOT, hot_standby: 'on' },
    log,
    ...(options.supervision ? { supervision: options.supervision } : {}),
  });
}

/** Starts the orders primary (database orders, role orders_svc) and its streaming replica, creating both on first use. */
export async function startOrdersPostgres(options: StartOrdersPostgresOptions): Promise<OrdersPostgres> {
  const secrets = loadSecrets(options.dataDir);
  const log = options.log ?? silent;
  const primary = await startInitialisedCluster(options.dataDir, 'orders-primary', {
    port: options.primaryPort,
    adminPassword: secrets.ordersPrimaryAdmin,
    log,
    ...(options.supervision ? { supervision: options.supervision } : {}),
  });
  try {
    await ensureServiceDatabase(primary.adminUrl, { ...ORDERS, password: secrets.ordersService });
    await ensureReplicationAccess(primary.adminUrl, REPLICATION_ROLE, secrets.ordersReplication, REPLICATION_SLOT);
    const replica = await startReplica(options, primary, secrets.ordersPrimaryAdmin, secrets.ordersReplication);
    return {
      databaseUrl: postgresUrl(primary.port, ORDERS.role, secrets.ordersService, ORDERS.database),
      replicaDatabaseUrl: postgresUrl(replica.port, ORDERS.role, secrets.ordersService, ORDERS.database),
      adminUrl: primary.adminUrl,
      replicaAdminUrl: replica.adminUrl,
      stop: async () => {
        await replica.stop();
        await primary.stop();
      },
    };
  } catch (error) {
    await primary.stop();
    throw error;
  }
}

/** Starts the users cluster (database users, role users_svc), creating it on first use. */
export async function startUsersPostgres(options: StartUsersPostgresOptions): Promise<UsersPostgres> {
  const secrets = loadSecrets(options.dataDir);
  const cluster = await startInitialisedCluster(options.dataDir, 'users', {
    port: options.port,
    adminPassword: secrets.usersAdmin,
    log: options.log ?? silent,
    ...(options.supervision ? { supervision: options.supervision } : {}),
  });
  try {
    await ensureServiceDatabase(cluster.adminUrl, { ...USERS, password: secrets.usersService });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { databaseUrl: postgresUrl(cluster.port, USERS.role, secrets.usersService, USERS.database), adminUrl: cluster.adminUrl, stop: () => cluster.stop() };
}

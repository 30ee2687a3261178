import { mkdir } from 'node:fs/promises';
import { startNats } from './nats.js';
import { startOrdersPostgres, startUsersPostgres } from './postgres-services.js';
import { startRedis } from './redis.js';
import type { LogLine } from './supervisor.js';

/** TCP ports of every local store; 0 picks a free port. */
export interface StorePorts {
  ordersPrimary: number;
  ordersReplica: number;
  users: number;
  redis: number;
  nats: number;
}

/** Fixed ports used by npm start. */
export const DEFAULT_STORE_PORTS: StorePorts = { ordersPrimary: 25432, ordersReplica: 25433, users: 25434, redis: 26379, nats: 24222 };

/** Ports that let the operating system choose free ones (for tests). */
export const FREE_STORE_PORTS: StorePorts = { ordersPrimary: 0, ordersReplica: 0, users: 0, redis: 0, nats: 0 };

/** Options for startLocalStores. */
export interface StartLocalStoresOptions {
  dataDir: string;
  ports?: Partial<StorePorts>;
  log?: LogLine;
}

/** Connection URLs of every running store, plus stop(). */
export interface LocalStores {
  ordersDatabaseUrl: string;
  ordersDatabaseReplicaUrl: string;
  usersDatabaseUrl: string;
  cartRedisUrl: string;
  natsUrl: string;
  admin: { ordersPrimaryUrl: string; ordersReplicaUrl: string; usersUrl: string; redisUrl: string };
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

/** Waits for every start; if any failed, stops the ones that succeeded and rethrows the first failure. */
async function stopAllIfAnyFails(starts: Promise<Stoppable>[]): Promise<void> {
  const results = await Promise.allSettled(starts);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failure) return;
  const started = results.filter((result): result is PromiseFulfilledResult<Stoppable> => result.status === 'fulfilled');
  await Promise.all(started.map((result) => result.value.stop()));
  throw failure.reason;
}

/** Starts both orders clusters, the users cluster, Redis and NATS JetStream under dataDir, in parallel. */
export async function startLocalStores(options: StartLocalStoresOptions): Promise<LocalStores> {
  const ports = { ...DEFAULT_STORE_PORTS, ...options.ports };
  const { dataDir, log } = options;
  await mkdir(dataDir, { recursive: true });
  const starts = [
    startOrdersPostgres({ dataDir, primaryPort: ports.ordersPrimary, replicaPort: ports.ordersReplica, log }),
    startUsersPostgres({ dataDir, port: ports.users, log }),
    startRedis({ dataDir, port: ports.redis, log }),
    startNats({ dataDir, port: ports.nats, log }),
  ] as const;
  await stopAllIfAnyFails([...starts]);
  const [orders, users, redis, nats] = await Promise.all(starts);
  return {
    ordersDatabaseUrl: orders.databaseUrl,
    ordersDatabaseReplicaUrl: orders.replicaDatabaseUrl,
    usersDatabaseUrl: users.databaseUrl,
    cartRedisUrl: redis.cartUrl,
    natsUrl: nats.url,
    admin: { ordersPrimaryUrl: orders.adminUrl, ordersReplicaUrl: orders.replicaAdminUrl, usersUrl: users.adminUrl, redisUrl: redis.adminUrl },
    stop: async () => {
      await Promise.all([orders.stop(), users.stop(), redis.stop(), nats.stop()]);
    },
  };
}

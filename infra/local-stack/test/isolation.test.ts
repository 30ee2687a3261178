import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsConnectionOptions } from '@shop/runtime';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createIsolatedDatabase, dropIsolatedDatabase, FREE_STORE_PORTS, startLocalStores, startRedis, type LocalStores } from '../src/index.js';

let dataDir: string;
let stores: LocalStores;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-stack-isolation-'));
  stores = await startLocalStores({ dataDir, ports: FREE_STORE_PORTS });
}, 120_000);

afterAll(async () => {
  await stores?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

function redisClient(url: string): Redis {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false });
}

function rawRedisReply(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write(`${command}\r\n`));
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply.toString());
    });
    socket.once('error', reject);
  });
}

async function pollReplica(url: string, sql: string, values: unknown[], attempts = 100): Promise<unknown[]> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const rows = await query(url, sql, values);
    if (rows.length > 0) return rows;
    await sleep(100);
  }
  return [];
}

describe('PostgreSQL database-per-service isolation', () => {
  it('lets each service role connect to its own database', async () => {
    expect(await query(stores.ordersDatabaseUrl, 'SELECT current_user AS who, current_database() AS db')).toEqual([{ who: 'orders_svc', db: 'orders' }]);
    expect(await query(stores.usersDatabaseUrl, 'SELECT current_user AS who, current_database() AS db')).toEqual([{ who: 'users_svc', db: 'users' }]);
  });

  it('refuses the orders role on the users cluster because the role does not exist there', async () => {
    const ordersCredentialsOnUsers = new URL(stores.ordersDatabaseUrl);
    ordersCredentialsOnUsers.port = new URL(stores.usersDatabaseUrl).port;
    ordersCredentialsOnUsers.pathname = '/users';
    await expect(query(ordersCredentialsOnUsers.toString(), 'SELECT 1')).rejects.toThrow(/authentication failed for user "orders_svc"/);
    expect(await query(stores.admin.usersUrl, "SELECT rolname FROM pg_roles WHERE rolname = 'orders_svc'")).toEqual([]);
  });

  it('refuses the users role on the orders cluster because the role does not exist there', async () => {
    const usersCredentialsOnOrders = new URL(stores.usersDatabaseUrl);
    usersCredentialsOnOrders.port = new URL(stores.ordersDatabaseUrl).port;
    usersCredentialsOnOrders.pathname = '/orders';
    await expect(query(usersCredentialsOnOrders.toString(), 'SELECT 1')).rejects.toThrow(/authentication failed for user "users_svc"/);
    expect(await query(stores.admin.ordersPrimaryUrl, "SELECT rolname FROM pg_roles WHERE rolname = 'users_svc'")).toEqual([]);
  });

  it('denies a role CONNECT to another database on the same cluster', async () => {
    const isolatedUrl = await createIsolatedDatabase(stores.admin.ordersPrimaryUrl, 'isolation');
    try {
      await expect(query(withDatabase(isolatedUrl, 'orders'), 'SELECT 1')).rejects.toThrow(/permission denied for database "orders"/);
      await expect(query(withDatabase(stores.ordersDatabaseUrl, 'postgres'), 'SELECT 1')).rejects.toThrow(/permission denied for database "postgres"/);
    } finally {
      await dropIsolatedDatabase(stores.admin.ordersPrimaryUrl, isolatedUrl);
    }
  });

  it('creates an isolated test database its owner can use, and drops it with its role', async () => {
    const isolatedUrl = await createIsolatedDatabase(stores.admin.usersUrl, 'helper');
    const name = new URL(isolatedUrl).pathname.slice(1);
    await query(isolatedUrl, 'CREATE TABLE t (id int); INSERT INTO t VALUES (1)');
    expect(await query(isolatedUrl, 'SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);
    await dropIsolatedDatabase(stores.admin.usersUrl, isolatedUrl);
    expect(await query(stores.admin.usersUrl, 'SELECT datname FROM pg_database WHERE datname = $1', [name])).toEqual([]);
    expect(await query(stores.admin.usersUrl, 'SELECT rolname FROM pg_roles WHERE rolname = $1', [name])).toEqual([]);
  });
});

describe('PostgreSQL clusters copied from the shared template', () => {
  function withPassword(url: string, password: string): string {
    const target = new URL(url);
    target.password = password;
    return target.toString();
  }

  it('gives each cluster its own superuser password and refuses another cluster\'s', async () => {
    const ordersPassword = new URL(stores.admin.ordersPrimaryUrl).password;
    const usersPassword = new URL(stores.admin.usersUrl).password;
    expect(ordersPassword).not.toBe(usersPassword);
    await expect(query(stores.admin.usersUrl, 'SELECT 1')).resolves.toHaveLength(1);
    await expect(query(withPassword(stores.admin.usersUrl, ordersPassword), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
    await expect(query(withPassword(stores.admin.ordersPrimaryUrl, usersPassword), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
  });

  it('keeps the superuser password out of the server log', async () => {
    const logs = await Promise.all(['users', 'orders-primary'].map((name) => readFile(join(dataDir, 'logs', `${name}.log`), 'utf8')));
    for (const password of [new URL(stores.admin.usersUrl).password, new URL(stores.admin.ordersPrimaryUrl).password]) {
      expect(logs.join('\n')).not.toContain(password);
    }
  });
});

describe('PostgreSQL sized for a laptop', () => {
  it('runs every cluster, the replica included, with 16 MiB of shared buffers and no I/O worker processes', async () => {
    for (const url of [stores.admin.ordersPrimaryUrl, stores.admin.ordersReplicaUrl, stores.admin.usersUrl]) {
      const [settings] = await query<{ shared_buffers: string; io_method: string }>(url, "SELECT current_setting('shared_buffers') AS shared_buffers, current_setting('io_method') AS io_method");
      expect(settings).toEqual({ shared_buffers: '16MB', io_method: 'sync' });
      expect(await query(url, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'io worker'")).toEqual([]);
    }
  });
});

describe('orders streaming replica', () => {
  it('replays a write made on the primary', async () => {
    await query(stores.ordersDatabaseUrl, 'CREATE TABLE IF NOT EXISTS replicated (id text PRIMARY KEY)');
    await query(stores.ordersDatabaseUrl, 'INSERT INTO replicated VALUES ($1)', ['order-1']);
    expect(await pollReplica(stores.ordersDatabaseReplicaUrl, 'SELECT id FROM replicated WHERE id = $1', ['order-1'])).toEqual([{ id: 'order-1' }]);
  });

  it('is a hot standby that refuses writes', async () => {
    expect(await query(stores.admin.ordersReplicaUrl, 'SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: true }]);
    await expect(query(stores.ordersDatabaseReplicaUrl, 'CREATE TABLE refused (id int)')).rejects.toThrow(/read-only transaction/);
  });

  it('streams from the primary through its replication slot', async () => {
    const rows = await query(stores.admin.ordersPrimaryUrl, "SELECT state FROM pg_stat_replication WHERE application_name = 'orders_replica'");
    expect(rows).toEqual([{ state: 'streaming' }]);
  });
});

describe('Redis ACL users', () => {
  it('lets cart_svc write cart keys and run scripts on them', async () => {
    const cart = redisClient(stores.cartRedisUrl);
    try {
      await cart.connect();
      expect(await cart.ping()).toBe('PONG');
      await cart.set('cart:x', '1');
      expect(await cart.eval("return redis.call('INCR', KEYS[1])", 1, 'cart:x')).toBe(2);
    } finally {
      cart.disconnect();
    }
  });

  it('refuses cart_svc keys outside cart:* and dangerous commands with NOPERM', async () => {
    const cart = redisClient(stores.cartRedisUrl);
    try {
      await cart.connect();
      await expect(cart.set('other:x', '1')).rejects.toThrow(/NOPERM/);
      await expect(cart.flushall()).rejects.toThrow(/NOPERM/);
    } finally {
      cart.disconnect();
    }
  });

  it('answers unauthenticated clients with NOAUTH because the default user is off', async () => {
    expect(await rawRedisReply(Number(new URL(stores.cartRedisUrl).port), 'GET cart:x')).toMatch(/^-NOAUTH/);
  });
});

describe('NATS JetStream', () => {
  it('stores a published message and hands it to a durable consumer', async () => {
    const connection = await connect(natsConnectionOptions(stores.natsUrl));
    try {
      const manager = await jetstreamManager(connection);
      await manager.streams.add({ name: 'ISOLATION', subjects: ['isolation.>'] });
      await manager.consumers.add('ISOLATION', { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
      await jetstream(connection).publish('isolation.created', 'hello');
      const consumer = await jetstream(connection).consumers.get('ISOLATION', 'reader');
      const message = await consumer.next({ expires: 10_000 });
      message?.ack();
      expect(message?.string()).toBe('hello');
    } finally {
      await connection.close();
    }
  });
});

describe('port conflicts', () => {
  it('fails with a message naming the store and the taken port', async () => {
    const takenPort = Number(new URL(stores.cartRedisUrl).port);
    await expect(startRedis({ dataDir: join(dataDir, 'second'), port: takenPort })).rejects.toThrow(`redis: port ${takenPort} on 127.0.0.1 is already in use`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Redis } from 'ioredis';
import { isolatedPgDatabase, testStores, uniqueName, type IsolatedDatabase } from '@shop/testkit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { startMongoStandin } from '@shop/mongo-standin';
import { startEsStandin } from '@shop/es-standin';

const PERMISSION_DENIED = '42501';
const AUTHENTICATION_FAILED = '28P01';

/** The URL of `credentialsUrl`'s role, pointed at another server and database. */
function sameRoleElsewhere(credentialsUrl: string, serverUrl: string, database: string): string {
  const url = new URL(credentialsUrl);
  const server = new URL(serverUrl);
  url.hostname = server.hostname;
  url.port = server.port;
  url.pathname = `/${database}`;
  return url.toString();
}

function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Connects, runs SELECT current_user and closes; resolves to the role name or rejects with the server's error. */
async function connectAs(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ user: string }>('SELECT current_user AS user');
    return result.rows[0]!.user;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function refusalCode(url: string): Promise<string | undefined> {
  try {
    await connectAs(url);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

function redisClient(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  return client;
}

async function redisRefusal(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    return (error as Error).message.split(' ')[0]!;
  }
}

describe('PostgreSQL credentials of one service', () => {
  const stores = testStores();
  let ordersDb: IsolatedDatabase;
  let ordersNeighbourDb: IsolatedDatabase;
  let usersDb: IsolatedDatabase;
  let usersNeighbourDb: IsolatedDatabase;

  beforeAll(async () => {
    [ordersDb, ordersNeighbourDb, usersDb, usersNeighbourDb] = await Promise.all([
      isolatedPgDatabase(stores.ordersPgAdminUrl, 'orders'),
      isolatedPgDatabase(stores.ordersPgAdminUrl, 'reporting'),
      isolatedPgDatabase(stores.usersPgAdminUrl, 'users'),
      isolatedPgDatabase(stores.usersPgAdminUrl, 'profiles'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ordersDb, ordersNeighbourDb, usersDb, usersNeighbourDb].map((database) => database?.drop()));
  });

  it('open the service’s own database', async () => {
    expect(await connectAs(ordersDb.url)).toBe(new URL(ordersDb.url).username);
    expect(await connectAs(usersDb.url)).toBe(new URL(usersDb.url).username);
  });

  it('are refused by the other service’s cluster: orders’ role cannot log in to the users database', async () => {
    const url = sameRoleElsewhere(ordersDb.url, stores.usersPgAdminUrl, databaseOf(usersDb.url));
    expect(await refusalCode(url)).toBe(AUTHENTICATION_FAILED);
  });

  it('are refused by the other service’s cluster: users’ role cannot log in to the orders database', async () => {
    const url = sameRoleElsewhere(usersDb.url, stores.ordersPgAdminUrl, databaseOf(ordersDb.url));
    expect(await refusalCode(url)).toBe(AUTHENTICATION_FAILED);
  });

  it('are refused by another database on the same cluster: orders’ role cannot connect to a neighbour database', async () => {
    const url = sameRoleElsewhere(ordersDb.url, stores.ordersPgAdminUrl, databaseOf(ordersNeighbourDb.url));
    expect(await refusalCode(url)).toBe(PERMISSION_DENIED);
  });

  it('are refused by another database on the same cluster: users’ role cannot connect to a neighbour database', async () => {
    const url = sameRoleElsewhere(usersDb.url, stores.usersPgAdminUrl, databaseOf(usersNeighbourDb.url));
    expect(await refusalCode(url)).toBe(PERMISSION_DENIED);
  });

  it('are refused by the maintenance databases postgres and template1 of the service’s own cluster', async () => {
    const codes = await Promise.all(
      [
        [ordersDb.url, stores.ordersPgAdminUrl],
        [usersDb.url, stores.usersPgAdminUrl],
      ].flatMap(([roleUrl, serverUrl]) => ['postgres', 'template1'].map((database) => refusalCode(sameRoleElsewhere(roleUrl!, serverUrl!, database)))),
    );
    expect(codes).toEqual([PERMISSION_DENIED, PERMISSION_DENIED, PERMISSION_DENIED, PERMISSION_DENIED]);
  });
});

describe('the cart service’s Redis user', () => {
  const stores = testStores();
  const id = uniqueName('credentials');
  const cart = redisClient(stores.cartRedisUrl);
  const admin = redisClient(stores.redisAdminUrl);

  afterAll(async () => {
    await admin.del(`cart:${id}`);
    cart.disconnect();
    admin.disconnect();
  });

  it('reads and writes keys under cart:*', async () => {
    await cart.set(`cart:${id}`, 'mine');
    expect(await cart.get(`cart:${id}`)).toBe('mine');
  });

  it.each(['session', 'orders', 'users'])('is refused (NOPERM) on keys under %s:* and leaves them untouched', async (prefix) => {
    const key = `${prefix}:${id}`;
    expect(await redisRefusal(() => cart.set(key, 'intruder'))).toBe('NOPERM');
    expect(await redisRefusal(() => cart.get(key))).toBe('NOPERM');
    expect(await admin.exists(key)).toBe(0);
  });

  it.each([
    ['FLUSHALL', []],
    ['FLUSHDB', []],
    ['CONFIG', ['GET', 'requirepass']],
    ['CONFIG', ['SET', 'appendonly', 'no']],
    ['KEYS', ['*']],
    ['ACL', ['SETUSER', 'cart_svc', 'allkeys']],
    ['SHUTDOWN', ['NOSAVE']],
  ] as const)('is refused (NOPERM) the dangerous command %s %j', async (command, args) => {
    expect(await redisRefusal(() => cart.call(command, ...args))).toBe('NOPERM');
  });

  it('keeps the data of the cart user after its refused FLUSHALL', async () => {
    await cart.set(`cart:${id}`, 'kept');
    await redisRefusal(() => cart.call('FLUSHALL'));
    expect(await admin.get(`cart:${id}`)).toBe('kept');
  });

  it('cannot be bypassed: a connection without credentials is refused (the default user is off)', async () => {
    const url = new URL(stores.cartRedisUrl);
    const anonymous = redisClient(`redis://${url.hostname}:${url.port}`);
    try {
      expect(await redisRefusal(() => anonymous.get(`cart:${id}`))).toBe('NOAUTH');
    } finally {
      anonymous.disconnect();
    }
  });
});

describe('the products service’s MongoDB user (on the MongoDB stand-in started with users, as npm start does)', () => {
  let standin: Awaited<ReturnType<typeof startMongoStandin>>;
  let dataDir: string;
  const url = (user: string, password: string, database: string) => `mongodb://${user}:${password}@127.0.0.1:${standin.port}/${database}?authSource=admin`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credentials-mongo-'));
    standin = await startMongoStandin({
      port: 0,
      dataDir,
      users: [{ username: 'products_svc', password: 'products-secret', databases: ['products'] }],
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await standin?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function attempt(connectionUrl: string, database: string): Promise<unknown> {
    const client = new MongoClient(connectionUrl, { serverSelectionTimeoutMS: 3000 });
    try {
      await client.db(database).collection('probe').insertOne({ at: new Date() });
      return 'written';
    } catch (error) {
      return (error as { code?: number }).code;
    } finally {
      await client.close();
    }
  }

  it('writes its own database', async () => {
    expect(await attempt(url('products_svc', 'products-secret', 'products'), 'products')).toBe('written');
  });

  it('is refused (Unauthorized, 13) on another service’s database', async () => {
    expect(await attempt(url('products_svc', 'products-secret', 'products'), 'orders')).toBe(13);
  });

  it('is refused (AuthenticationFailed, 18) with a wrong password', async () => {
    expect(await attempt(url('products_svc', 'guess', 'products'), 'products')).toBe(18);
  });
});

describe('the search service’s Elasticsearch user (on the Elasticsearch stand-in started with users, as npm start does)', () => {
  let standin: Awaited<ReturnType<typeof startEsStandin>>;
  let dataDir: string;
  const client = (username: string, password: string) => new ElasticsearchClient({ node: standin.url, auth: { username, password } });
  const statusOf = (error: unknown) => (error as { meta?: { statusCode?: number } }).meta?.statusCode;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credentials-es-'));
    standin = await startEsStandin({ port: 0, dataDir, users: [{ username: 'search_svc', password: 'search-secret', indices: ['products*'] }], log: () => undefined });
  });
  afterAll(async () => {
    await standin?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes the product indices', async () => {
    const search = client('search_svc', 'search-secret');
    await expect(search.index({ index: 'products_v1', id: '1', document: { name: 'boot' } })).resolves.toMatchObject({ result: 'created' });
    await search.close();
  });

  it('is refused (403) on another index and (401) with a wrong password', async () => {
    const search = client('search_svc', 'search-secret');
    expect(statusOf(await search.index({ index: 'orders', id: '1', document: { total: 1 } }).catch((error: unknown) => error))).toBe(403);
    await search.close();
    const guessing = client('search_svc', 'guess');
    expect(statusOf(await guessing.search({ index: 'products_v1' }).catch((error: unknown) => error))).toBe(401);
    await guessing.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Redis } from 'ioredis';
import { isolatedPgDatabase, startServiceProcess, testStores, uniqueName, type IsolatedDatabase, type ServiceProcess, type TestStores } from '@shop/testkit';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { DuckDBInstance } from '@duckdb/node-api';
import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { startMongoStandin } from '@shop/mongo-standin';
import { startEsStandin } from '@shop/es-standin';
import { serviceNames, storeOwners, type StoreEngine } from '@shop/system-map';

const PERMISSION_DENIED = '42501';

/** The map's owners of stores on an engine: service, store user and namespace. */
const ownersOn = (engine: StoreEngine) => storeOwners().filter(({ spec }) => spec.store.engine === engine);
/** Names that belong to other services: what a store user must not reach. */
const foreignNamespaces = (service: string) => serviceNames.filter((name) => name !== service);
const [mongoOwner] = ownersOn('mongodb');
const [elasticsearchOwner] = ownersOn('elasticsearch');
const [redisOwner] = ownersOn('redis');
const [duckdbOwner] = ownersOn('duckdb');
const redisPrefix = redisOwner!.spec.store.namespace.replace(/\*$/, '');
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

/** The test cluster's superuser URL behind each PostgreSQL store variable of the map. */
const pgAdminUrlOf: Record<string, keyof TestStores> = { ORDERS_DATABASE_URL: 'ordersPgAdminUrl', USERS_DATABASE_URL: 'usersPgAdminUrl' };
const pgOwners = ownersOn('postgresql');
const pgPairs = pgOwners.flatMap((a) => pgOwners.filter((b) => b.name !== a.name).map((b) => [a.name, b.name] as const));

describe('PostgreSQL credentials of one service (every PostgreSQL owner of the system map)', () => {
  const stores = testStores();
  const own: Record<string, { admin: string; database: IsolatedDatabase; neighbour: IsolatedDatabase }> = {};

  beforeAll(async () => {
    for (const { name, spec } of pgOwners) {
      const admin = stores[pgAdminUrlOf[spec.store.urlVariable]!];
      const [database, neighbour] = await Promise.all([isolatedPgDatabase(admin, spec.store.namespace), isolatedPgDatabase(admin, 'reporting')]);
      own[name] = { admin, database, neighbour };
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(own).flatMap(({ database, neighbour }) => [database.drop(), neighbour.drop()]));
  });

  it.each(pgOwners.map(({ name }) => name))('open %s’s own database', async (name) => {
    const { database } = own[name]!;
    expect(await connectAs(database.url)).toBe(new URL(database.url).username);
  });

  it.each(pgPairs)('are refused by the other service’s cluster: %s’s role cannot log in to the %s database', async (name, other) => {
    const url = sameRoleElsewhere(own[name]!.database.url, own[other]!.admin, databaseOf(own[other]!.database.url));
    expect(await refusalCode(url)).toBe(AUTHENTICATION_FAILED);
  });

  it.each(pgOwners.map(({ name }) => name))('are refused by another database on the same cluster: %s’s role cannot connect to a neighbour database', async (name) => {
    const { database, neighbour, admin } = own[name]!;
    expect(await refusalCode(sameRoleElsewhere(database.url, admin, databaseOf(neighbour.url)))).toBe(PERMISSION_DENIED);
  });

  it('are refused by the maintenance databases postgres and template1 of the service’s own cluster', async () => {
    const codes = await Promise.all(
      Object.values(own).flatMap(({ database, admin }) => ['postgres', 'template1'].map((maintenance) => refusalCode(sameRoleElsewhere(database.url, admin, maintenance)))),
    );
    expect(codes).toEqual(Object.values(own).flatMap(() => [PERMISSION_DENIED, PERMISSION_DENIED]));
  });
});

describe(`the ${redisOwner!.name} service’s Redis user (${redisOwner!.spec.store.user} in the system map)`, () => {
  const stores = testStores();
  const id = uniqueName('credentials');
  const mine = `${redisPrefix}${id}`;
  const cart = redisClient(stores.cartRedisUrl);
  const admin = redisClient(stores.redisAdminUrl);

  afterAll(async () => {
    await admin.del(mine);
    cart.disconnect();
    admin.disconnect();
  });

  it('is the user the system map names', () => {
    expect(decodeURIComponent(new URL(stores.cartRedisUrl).username)).toBe(redisOwner!.spec.store.user);
  });

  it(`reads and writes keys under ${redisOwner!.spec.store.namespace}`, async () => {
    await cart.set(mine, 'mine');
    expect(await cart.get(mine)).toBe('mine');
  });

  it.each(['session', ...foreignNamespaces(redisOwner!.name)])('is refused (NOPERM) on keys under %s:* and leaves them untouched', async (prefix) => {
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
    ['ACL', ['SETUSER', redisOwner!.spec.store.user, 'allkeys']],
    ['SHUTDOWN', ['NOSAVE']],
  ] as const)('is refused (NOPERM) the dangerous command %s %j', async (command, args) => {
    expect(await redisRefusal(() => cart.call(command, ...args))).toBe('NOPERM');
  });

  it('keeps the data of its user after its refused FLUSHALL', async () => {
    await cart.set(mine, 'kept');
    await redisRefusal(() => cart.call('FLUSHALL'));
    expect(await admin.get(mine)).toBe('kept');
  });

  it('cannot be bypassed: a connection without credentials is refused (the default user is off)', async () => {
    const url = new URL(stores.cartRedisUrl);
    const anonymous = redisClient(`redis://${url.hostname}:${url.port}`);
    try {
      expect(await redisRefusal(() => anonymous.get(mine))).toBe('NOAUTH');
    } finally {
      anonymous.disconnect();
    }
  });
});

describe(`the ${mongoOwner!.name} service’s MongoDB user (on the MongoDB stand-in started with the map’s users, as npm start does)`, () => {
  const { user, namespace } = mongoOwner!.spec.store;
  let standin: Awaited<ReturnType<typeof startMongoStandin>>;
  let dataDir: string;
  const url = (username: string, password: string, database: string) => `mongodb://${username}:${password}@127.0.0.1:${standin.port}/${database}?authSource=admin`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credentials-mongo-'));
    standin = await startMongoStandin({
      port: 0,
      dataDir,
      users: ownersOn('mongodb').map(({ name, spec }) => ({ username: spec.store.user, password: `${name}-secret`, databases: [spec.store.namespace] })),
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
    expect(await attempt(url(user, `${mongoOwner!.name}-secret`, namespace), namespace)).toBe('written');
  });

  it.each(foreignNamespaces(mongoOwner!.name))('is refused (Unauthorized, 13) on the %s database', async (database) => {
    expect(await attempt(url(user, `${mongoOwner!.name}-secret`, namespace), database)).toBe(13);
  });

  it('is refused (AuthenticationFailed, 18) with a wrong password', async () => {
    expect(await attempt(url(user, 'guess', namespace), namespace)).toBe(18);
  });
});

describe(`the ${elasticsearchOwner!.name} service’s Elasticsearch user (on the Elasticsearch stand-in started with the map’s users, as npm start does)`, () => {
  const { user, namespace } = elasticsearchOwner!.spec.store;
  const password = `${elasticsearchOwner!.name}-secret`;
  const ownIndex = namespace.replace(/\*$/, '_v1');
  let standin: Awaited<ReturnType<typeof startEsStandin>>;
  let dataDir: string;
  const client = (username: string, secret: string) => new ElasticsearchClient({ node: standin.url, auth: { username, password: secret } });
  const statusOf = (error: unknown) => (error as { meta?: { statusCode?: number } }).meta?.statusCode;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credentials-es-'));
    const users = ownersOn('elasticsearch').map(({ name, spec }) => ({ username: spec.store.user, password: `${name}-secret`, indices: [spec.store.namespace] }));
    standin = await startEsStandin({ port: 0, dataDir, users, log: () => undefined });
  });
  afterAll(async () => {
    await standin?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`writes its own indices (${namespace})`, async () => {
    const search = client(user, password);
    await expect(search.index({ index: ownIndex, id: '1', document: { name: 'boot' } })).resolves.toMatchObject({ result: 'created' });
    await search.close();
  });

  it.each(foreignNamespaces(elasticsearchOwner!.name).filter((name) => !new RegExp(`^${namespace.replace('*', '.*')}$`).test(name)))('is refused (403) on the %s index', async (index) => {
    const search = client(user, password);
    expect(statusOf(await search.index({ index, id: '1', document: { total: 1 } }).catch((error: unknown) => error))).toBe(403);
    await search.close();
  });

  it('is refused (401) with a wrong password', async () => {
    const guessing = client(user, 'guess');
    expect(statusOf(await guessing.search({ index: ownIndex }).catch((error: unknown) => error))).toBe(401);
    await guessing.close();
  });
});

describe(`the ${duckdbOwner!.name} service’s embedded DuckDB file (${duckdbOwner!.spec.store.namespace} in the system map), held by the running service`, () => {
  const { urlVariable, namespace } = duckdbOwner!.spec.store;
  let dataDir: string;
  let file: string;
  let service: ServiceProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credentials-duckdb-'));
    file = join(dataDir, duckdbOwner!.name, namespace);
    const env = { [`${duckdbOwner!.name.toUpperCase()}_PORT`]: '0', [urlVariable]: file, NATS_URL: testStores().natsUrl, EVENTS_NAMESPACE: uniqueName('credentials').replace(/-/g, '_') };
    service = await startServiceProcess(duckdbOwner!.name, env, 90_000);
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is readable and writable by the service’s OS user only, in a folder only that user can enter', async () => {
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, duckdbOwner!.name))).mode & 0o777).toBe(0o700);
  });

  it('cannot be opened by another process while the service holds it (DuckDB’s file lock)', async () => {
    const refusal = await DuckDBInstance.create(file).then(
      (instance) => (instance.closeSync(), 'opened'),
      (error: unknown) => String((error as { message?: unknown }).message),
    );
    expect(refusal).toMatch(/Could not set lock on file/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { isolatedPgDatabase, testStores, type IsolatedDatabase } from '@shop/testkit';
import { outboxColumns, readOutboxColumns } from '@shop/postgres';
import { WriteLsns } from '../src/domain/write-lsns.js';
import { orderEvents } from '../src/events/outbound/order-events.js';
import { migrateOrdersDatabase, migrationsDir, type MigrateOptions } from '../src/storage/migrate.js';
import { PgOrderStore } from '../src/storage/order-store.js';
import { readSchemaFeatures } from '../src/storage/schema-features.js';
import { ordersEnv, startOrdersInProcess, uniqueNamespace } from './support.js';

const namespace = uniqueNamespace('orders-migrations');
const databases: IsolatedDatabase[] = [];

async function freshDatabase(): Promise<IsolatedDatabase> {
  const database = await isolatedPgDatabase(testStores().ordersPgAdminUrl, 'orders');
  databases.push(database);
  return database;
}

async function withPool<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

function migrateSchema(url: string, options: MigrateOptions = {}): Promise<number> {
  return withPool(url, (pool) => migrateOrdersDatabase(pool, options));
}

async function insertTheOldWay(pool: pg.Pool, singleLine: string): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO orders (id, idempotency_key, customer_id, customer_name, status, saga_step, total_minor, currency_code, shipping_address, version)
     VALUES ($1, $2, 'customer-1', 'Ada', 'CONFIRMED', 'done', 500, 'EUR', $3, 1)`,
    [id, randomUUID(), singleLine],
  );
  await pool.query(`INSERT INTO order_items VALUES ($1, 0, 'product-1', 'Pen', 500, 'EUR', 1)`, [id]);
  return id;
}

async function insertThroughTheStore(pool: pg.Pool, namedStatements = true): Promise<string> {
  const store = new PgOrderStore(pool, {
    events: orderEvents({ namespace }),
    features: await readSchemaFeatures(pool),
    writeLsns: new WriteLsns(),
    staleMs: 1000,
    namedStatements,
    afterCommit: () => undefined,
  });
  const { order } = await store.insert({
    id: randomUUID(),
    idempotencyKey: randomUUID(),
    customerId: 'customer-1',
    customer: { id: 'customer-1', displayName: 'Ada', version: 1n },
    items: [{ productId: 'product-1', productName: 'Pen', unitPrice: { amountMinor: 500n, currencyCode: 'EUR' }, quantity: 1 }],
    total: { amountMinor: 500n, currencyCode: 'EUR' },
    shippingAddress: { line1: 'Long Road 9', line2: '54321 City', line3: 'Spain' },
    status: 'REJECTED',
    statusReason: 'test',
  });
  return order.id;
}

async function addressesThroughTheApi(database: IsolatedDatabase, target: string, ids: string[]) {
  const { server, client } = await startOrdersInProcess(ordersEnv(database, namespace, { ORDERS_SCHEMA_TARGET: target }));
  try {
    const responses = await Promise.all(ids.map((id) => client.getOrder({ id })));
    return responses.map((response) => {
      const { line1, line2, line3 } = response.order!.shippingAddress!;
      return { line1, line2, line3 };
    });
  } finally {
    await server.shutdown();
  }
}

describe('orders schema migrations', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'orders-migrations-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('applies each migration once when several instances start at the same time', async () => {
    const database = await freshDatabase();
    const versions = await Promise.all([1, 2, 3].map(() => migrateSchema(database.url)));
    expect(versions).toEqual([4, 4, 4]);
    const applied = await withPool(database.url, async (pool) => (await pool.query('SELECT version FROM schema_migrations WHERE version > 0 ORDER BY version')).rows);
    expect(applied.map((row: { version: string }) => Number(row.version))).toEqual([1, 2, 3, 4]);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const database = await freshDatabase();
    const directory = join(scratch, 'edited');
    await cp(migrationsDir, directory, { recursive: true });
    await migrateSchema(database.url, { directory });
    await appendFile(join(directory, '001.do.create_orders.sql'), '\n-- edited later\n');
    await expect(migrateSchema(database.url, { directory })).rejects.toThrow('migration 001.do.create_orders.sql was edited after it was applied (checksum mismatch)');
    const env = ordersEnv(database, namespace);
    await expect(migrateSchema(env.ORDERS_DATABASE_URL!)).resolves.toBe(4);
  });

  it('rolls a failing migration back completely', async () => {
    const database = await freshDatabase();
    const directory = join(scratch, 'failing');
    await cp(migrationsDir, directory, { recursive: true });
    await appendFile(join(directory, '099.do.broken.sql'), 'ALTER TABLE orders ADD COLUMN gift_note text;\nSELECT no_such_function();\n');
    await expect(migrateSchema(database.url, { directory })).rejects.toThrow(/migration 099\.do\.broken\.sql failed/);
    const tables = await withPool(database.url, async (pool) => (await pool.query(`SELECT to_regclass('orders') AS orders`)).rows[0]);
    expect(tables).toEqual({ orders: null });
  });

  it('serves orders stored with a one-line address before, during and after the split into three lines', async () => {
    const database = await freshDatabase();
    await migrateSchema(database.url, { target: '1' });
    const commaSeparated = await withPool(database.url, (pool) => insertTheOldWay(pool, 'Main Street 1, 12345 Town, Region, Country'));
    const atV1 = await withPool(database.url, (pool) => insertThroughTheStore(pool));
    expect(await addressesThroughTheApi(database, '1', [commaSeparated, atV1])).toEqual([
      { line1: 'Main Street 1', line2: '12345 Town', line3: 'Region, Country' },
      { line1: 'Long Road 9', line2: '54321 City', line3: 'Spain' },
    ]);

    const duringRollout = await addressesThroughTheApi(database, '2', [commaSeparated, atV1]);
    expect(duringRollout[0]).toEqual({ line1: 'Main Street 1', line2: '12345 Town', line3: 'Region, Country' });
    const fromOldCode = await withPool(database.url, (pool) => insertTheOldWay(pool, 'Quay 3\n99999 Port\nNorway'));
    const atV2 = await withPool(database.url, (pool) => insertThroughTheStore(pool));
    const bothColumns = await withPool(database.url, async (pool) => (await pool.query('SELECT shipping_address, shipping_address_line2 FROM orders WHERE id = $1', [atV2])).rows[0]);
    expect(bothColumns).toEqual({ shipping_address: 'Long Road 9\n54321 City\nSpain', shipping_address_line2: '54321 City' });

    const afterContract = await addressesThroughTheApi(database, 'max', [commaSeparated, atV1, fromOldCode, atV2]);
    expect(afterContract).toEqual([
      { line1: 'Main Street 1', line2: '12345 Town', line3: 'Region, Country' },
      { line1: 'Long Road 9', line2: '54321 City', line3: 'Spain' },
      { line1: 'Quay 3', line2: '99999 Port', line3: 'Norway' },
      { line1: 'Long Road 9', line2: '54321 City', line3: 'Spain' },
    ]);
    const atV3 = await withPool(database.url, (pool) => insertThroughTheStore(pool));
    expect(await addressesThroughTheApi(database, 'max', [atV3])).toEqual([{ line1: 'Long Road 9', line2: '54321 City', line3: 'Spain' }]);
  });

  it('prepares the checkout statements on the connection only when named statements are on (off behind a transaction pooler)', async () => {
    const database = await freshDatabase();
    await migrateSchema(database.url);
    const prepared = (pool: pg.Pool) => pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name').then(({ rows }) => rows.map((row) => row.name));
    const onOneConnection = (url: string) => new pg.Pool({ connectionString: url, max: 1 });
    const unnamed = onOneConnection(database.url);
    try {
      await insertThroughTheStore(unnamed, false);
      expect(await prepared(unnamed)).toEqual([]);
    } finally {
      await unnamed.end();
    }
    const named = onOneConnection(database.url);
    try {
      await insertThroughTheStore(named, true);
      await insertThroughTheStore(named, true);
      expect(await prepared(named)).toEqual(['orders-insert-0', 'orders-wal-position']);
    } finally {
      await named.end();
    }
  });

  it('gives the outbox the one table shape of every PostgreSQL service', async () => {
    const database = await freshDatabase();
    await migrateSchema(database.url);
    expect(await withPool(database.url, readOutboxColumns)).toEqual(outboxColumns.map((column) => ({ ...column })));
  });
});

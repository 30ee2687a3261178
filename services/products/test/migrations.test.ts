import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { createLogger } from '@shop/runtime';
import { productMigrations } from '../migrations/index.js';
import type { LockDocument } from '../src/storage/migration-lock.js';
import { migrate } from '../src/storage/migrations.js';
import { isolatedConfig, newProduct, startProducts } from './harness.js';

const allMigrations = ['V1__create_products', 'V2__create_reservations', 'V3__create_outbox', 'V4__allow_released_reservation_tombstones'];
const logger = createLogger('products-migrations-test', 'silent');
let mongo: MongoClient;

beforeAll(async () => {
  mongo = await MongoClient.connect(isolatedConfig().mongoUrl);
});
afterAll(() => mongo.close());

function freshDatabase() {
  return mongo.db(new URL(isolatedConfig().mongoUrl).pathname.slice(1));
}

describe('migrations', () => {
  it('are listed statically, one entry per versioned file, in version order, so a bundle contains them all', () => {
    const files = readdirSync(new URL('../migrations/', import.meta.url)).filter((file) => /^V\d+__\w+\.ts$/.test(file));
    const byVersion = files.map((file) => file.replace(/\.ts$/, '')).sort((a, b) => Number(a.slice(1).split('__')[0]) - Number(b.slice(1).split('__')[0]));
    expect(productMigrations.map((migration) => migration.name)).toEqual(byVersion);
    expect(byVersion).toEqual(allMigrations);
  });

  it('are applied once and recorded when two instances start at the same time', async () => {
    const config = isolatedConfig();
    const [first, second] = await Promise.all([startProducts(config), startProducts(config)]);
    try {
      const records = await first.db.collection('migrations').find().sort({ _id: 1 }).toArray();
      expect(records.map((record) => record._id)).toEqual(allMigrations);
      expect(await first.db.collection('migration_lock').countDocuments()).toBe(0);
      const indexes = await first.db.collection('products').indexes();
      expect(indexes.find((index) => index.name === 'sku_unique')).toMatchObject({ key: { sku: 1 }, unique: true });
      expect(indexes.find((index) => index.name === 'category_id')).toMatchObject({ key: { categoryId: 1, _id: 1 } });
      const [products] = await first.db.listCollections({ name: 'products' }).toArray();
      expect(products).toMatchObject({ options: { validator: { $jsonSchema: { bsonType: 'object' } } } });
      const created = (await first.client.createProduct(newProduct())).product!;
      await expect(second.client.getProduct({ id: created.id })).resolves.toMatchObject({ product: { id: created.id } });
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('run in exactly one of two concurrent runners, the other waiting for the lock', async () => {
    const db = freshDatabase();
    const applied = await Promise.all([migrate(db, logger), migrate(db, logger)]);
    expect(applied.map((names) => names.length).sort()).toEqual([0, allMigrations.length]);
    expect(applied.flat()).toEqual(allMigrations);
  });

  it('take over a lock whose holder died after its lease ran out', async () => {
    const db = freshDatabase();
    await db.collection<LockDocument>('migration_lock').insertOne({ _id: 'migrations', owner: 'crashed', expiresAt: new Date(Date.now() - 1000) });
    await expect(migrate(db, logger)).resolves.toEqual(allMigrations);
  });

  it('apply nothing on a database that is up to date', async () => {
    const db = freshDatabase();
    await migrate(db, logger);
    await expect(migrate(db, logger)).resolves.toEqual([]);
    expect(await db.collection('migrations').countDocuments()).toBe(allMigrations.length);
  });
});

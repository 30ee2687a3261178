import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Db } from 'mongodb';
import { openTestServer, uniqueDbName, type TestServer } from './harness.js';

describe('collections, databases and indexes', () => {
  let server: TestServer;
  let db: Db;
  const dbName = uniqueDbName('catalog');

  beforeAll(async () => {
    server = await openTestServer();
    db = server.db(dbName);
  });
  afterAll(async () => {
    await db.dropDatabase();
    await server.stop();
  });

  it('creates a collection with a validator, stores it, and refuses to create it twice (48)', async () => {
    await db.createCollection('priced', { validator: { price: { $gte: 0 } }, validationAction: 'error' });
    const [info] = await db.listCollections({ name: 'priced' }).toArray();
    expect(info).toMatchObject({ name: 'priced', type: 'collection', options: { validator: { price: { $gte: 0 } } } });
    const failure = await db.createCollection('priced').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 48 });
  });

  it('rejects documents failing a query-operator validator with DocumentValidationFailure (121)', async () => {
    const priced = db.collection('priced');
    await priced.insertOne({ price: 5 });
    const failure = await priced.insertOne({ price: -1 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 121 });
    const update = await priced.updateOne({ price: 5 }, { $set: { price: -5 } }).catch((error: unknown) => error);
    expect(update).toMatchObject({ code: 121 });
  });

  it('changes a validator with collMod and enforces the new one; an unknown collection is NamespaceNotFound (26)', async () => {
    await db.createCollection('evolving', { validator: { qty: { $gte: 1 } } });
    await expect(db.collection('evolving').insertOne({ qty: 0 })).rejects.toMatchObject({ code: 121 });
    await db.command({ collMod: 'evolving', validator: { qty: { $gte: 0 } } });
    await db.collection('evolving').insertOne({ qty: 0 });
    await expect(db.collection('evolving').insertOne({ qty: -1 })).rejects.toMatchObject({ code: 121 });
    const [info] = await db.listCollections({ name: 'evolving' }).toArray();
    expect(info).toMatchObject({ options: { validator: { qty: { $gte: 0 } } } });
    await expect(db.command({ collMod: 'no-such-collection', validator: {} })).rejects.toMatchObject({ code: 26 });
  });

  it('stores and enforces a $jsonSchema validator with bsonType', async () => {
    const validator = {
      $jsonSchema: {
        bsonType: 'object',
        required: ['sku', 'price'],
        properties: { sku: { bsonType: 'string' }, price: { bsonType: ['double', 'int'], minimum: 0 }, tags: { bsonType: 'array', items: { bsonType: 'string' } } },
      },
    };
    await db.createCollection('schema', { validator });
    const [info] = await db.listCollections({ name: 'schema' }).toArray();
    expect((info as { options?: unknown }).options).toMatchObject({ validator });
    const schema = db.collection('schema');
    await schema.insertOne({ sku: 'a', price: 2.5, tags: ['x'] });
    for (const invalid of [{ sku: 'b' }, { sku: 7, price: 1 }, { sku: 'c', price: -1 }, { sku: 'd', price: 1, tags: [1] }]) {
      expect(await schema.insertOne(invalid).catch((error: unknown) => error)).toMatchObject({ code: 121 });
    }
    expect(await schema.countDocuments()).toBe(1);
  });

  it('finds documents with a $jsonSchema query', async () => {
    const mixed = db.collection('mixed');
    await mixed.insertMany([{ name: 'n' }, { name: 3 }]);
    expect(await mixed.countDocuments({ $jsonSchema: { properties: { name: { bsonType: 'string' } } } })).toBe(1);
  });

  it('lists collection names only when asked', async () => {
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['priced', 'schema']));
  });

  it('drops a collection and a database', async () => {
    await db.collection('temporary').insertOne({ a: 1 });
    expect(await db.collection('temporary').drop()).toBe(true);
    expect((await db.listCollections({ name: 'temporary' }).toArray()).length).toBe(0);
    const other = server.db(`${dbName}_gone`);
    await other.collection('x').insertOne({ a: 1 });
    expect(await other.dropDatabase()).toBe(true);
    const { databases } = await server.db('admin').admin().listDatabases();
    expect(databases.map((entry) => entry.name)).not.toContain(`${dbName}_gone`);
  });

  it('creates, lists and drops indexes', async () => {
    const indexed = db.collection('indexed');
    expect(await indexed.createIndex({ sku: 1 }, { unique: true })).toBe('sku_1');
    expect(await indexed.createIndexes([{ key: { a: 1, b: -1 }, name: 'a_b' }])).toEqual(['a_b']);
    const listed = await indexed.listIndexes().toArray();
    expect(listed.map((index) => index.name)).toEqual(['_id_', 'sku_1', 'a_b']);
    expect(listed.find((index) => index.name === 'sku_1')).toMatchObject({ key: { sku: 1 }, unique: true });
    await indexed.dropIndex('a_b');
    expect((await indexed.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'sku_1']);
    const missing = await indexed.dropIndex('nope').catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 27 });
    await indexed.dropIndexes();
    expect((await indexed.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
  });

  it('reports NamespaceNotFound (26) when listing indexes of a missing collection', async () => {
    const failure = await db.collection('never').listIndexes().toArray().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 26 });
  });

  it('refuses a unique index over data that already has duplicates', async () => {
    const dupes = db.collection('dupes');
    await dupes.insertMany([{ k: 1 }, { k: 1 }]);
    const failure = await dupes.createIndex({ k: 1 }, { unique: true }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 11000 });
  });
});

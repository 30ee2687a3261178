import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { MongoBulkWriteError, MongoServerError, type Collection } from 'mongodb';
import { openTestServer, type AnyDocument, uniqueDbName, type TestServer } from './harness.js';

describe('unique indexes and E11000', () => {
  let server: TestServer;
  let products: Collection<AnyDocument>;
  const dbName = uniqueDbName('unique');

  beforeAll(async () => {
    server = await openTestServer();
    products = server.db(dbName).collection('products');
    await products.createIndex({ sku: 1 }, { unique: true, name: 'sku_unique' });
    await products.createIndex({ shop: 1, code: 1 }, { unique: true });
    await products.insertMany([
      { _id: 'p1', sku: 'x', shop: 's1', code: 1 },
      { _id: 'p2', sku: 'y', shop: 's1', code: 2 },
    ]);
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });

  it('rejects a duplicate unique field with code 11000, MongoDB message, keyPattern and keyValue', async () => {
    const failure = await products.insertOne({ sku: 'x', shop: 's2', code: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect(failure).toMatchObject({ code: 11000, keyPattern: { sku: 1 }, keyValue: { sku: 'x' } });
    expect((failure as MongoServerError).message).toBe(`E11000 duplicate key error collection: ${dbName}.products index: sku_unique dup key: { sku: "x" }`);
  });

  it('rejects a duplicate _id', async () => {
    const failure = await products.insertOne({ _id: 'p1', sku: 'z' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 'p1' } });
  });

  it('enforces compound unique indexes on the combination only', async () => {
    await products.insertOne({ sku: 'w', shop: 's2', code: 1 });
    const failure = await products.insertOne({ sku: 'v', shop: 's1', code: 2 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 11000, keyPattern: { shop: 1, code: 1 }, keyValue: { shop: 's1', code: 2 } });
  });

  it('reports a bulk insert duplicate as a write error at its index', async () => {
    const failure = await products.insertMany([{ sku: 'new1', shop: 's3', code: 1 }, { sku: 'y' }]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MongoBulkWriteError);
    expect((failure as MongoBulkWriteError).writeErrors).toMatchObject([{ index: 1, code: 11000 }]);
    expect((failure as MongoBulkWriteError).insertedCount).toBe(1);
  });

  it('puts keyPattern and keyValue into the raw writeErrors entry of the insert reply', async () => {
    const reply = await server.db(dbName).command({ insert: 'products', documents: [{ sku: 'y' }] });
    expect(reply).toMatchObject({ ok: 1, n: 0 });
    expect(reply.writeErrors).toMatchObject([{ index: 0, code: 11000, keyPattern: { sku: 1 }, keyValue: { sku: 'y' } }]);
  });

  it('rejects an update that would duplicate a unique key, leaving the document unchanged', async () => {
    const failure = await products.updateOne({ _id: 'p2' }, { $set: { sku: 'x' } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 11000, keyValue: { sku: 'x' } });
    expect(await products.findOne({ _id: 'p2' })).toMatchObject({ sku: 'y' });
  });

  it('reports a duplicate from findAndModify as a top-level 11000 error', async () => {
    const failure = await products.findOneAndUpdate({ _id: 'p2' }, { $set: { sku: 'x' } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 11000, keyPattern: { sku: 1 }, keyValue: { sku: 'x' } });
  });

  it('lets a document keep its own key and frees a key once its document is deleted', async () => {
    await products.updateOne({ _id: 'p1' }, { $set: { sku: 'x', note: 'same key' } });
    await products.deleteOne({ _id: 'p1' });
    await products.insertOne({ _id: 'p9', sku: 'x', shop: 's9', code: 9 });
    expect(await products.countDocuments({ sku: 'x' })).toBe(1);
  });

  it('in one transaction, refuses a key given up and taken by another document when the first takes it back', async () => {
    const swaps = server.db(dbName).collection<AnyDocument>('swaps');
    await swaps.createIndex({ code: 1 }, { unique: true });
    await swaps.insertMany([{ _id: 'a', code: 'k' }, { _id: 'b', code: 'm' }]);
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await swaps.updateOne({ _id: 'a' }, { $set: { code: 'k2' } }, { session });
      await swaps.updateOne({ _id: 'b' }, { $set: { code: 'k' } }, { session });
      const failure = await swaps.updateOne({ _id: 'a' }, { $set: { code: 'k' } }, { session }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 11000, keyValue: { code: 'k' } });
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
    expect(await swaps.find({}, { sort: { _id: 1 } }).toArray()).toEqual([{ _id: 'a', code: 'k' }, { _id: 'b', code: 'm' }]);
  });

  it('finds documents by every index after updates that kept some of their keys and changed others', async () => {
    const stock = server.db(dbName).collection<AnyDocument>('stock');
    await stock.createIndex({ sku: 1 }, { unique: true });
    await stock.createIndex({ level: 1, sku: 1 });
    await stock.insertMany([{ _id: 1, sku: 's1', level: 5 }, { _id: 2, sku: 's2', level: 5 }]);
    await stock.updateOne({ _id: 1 }, { $set: { level: 4, note: 'moved in level only' } });
    await stock.updateOne({ _id: 2 }, { $set: { note: 'no index key moved' } });
    expect(await stock.find({ level: 4 }).toArray()).toEqual([{ _id: 1, sku: 's1', level: 4, note: 'moved in level only' }]);
    expect((await stock.find({ level: 5 }).toArray()).map((document) => document._id)).toEqual([2]);
    expect((await stock.find({ sku: { $in: ['s1', 's2'] } }, { sort: { sku: 1 } }).toArray()).map((document) => document._id)).toEqual([1, 2]);
    expect(await stock.insertOne({ _id: 3, sku: 's2', level: 1 }).catch((error: unknown) => error)).toMatchObject({ code: 11000, keyValue: { sku: 's2' } });
  });

  it('treats missing fields as null unless the index is sparse', async () => {
    const loose = server.db(dbName).collection('loose');
    await loose.createIndex({ tag: 1 }, { unique: true });
    await loose.insertOne({ a: 1 });
    expect(await loose.insertOne({ a: 2 }).catch((error: unknown) => error)).toMatchObject({ code: 11000, keyValue: { tag: null } });
    const sparse = server.db(dbName).collection('sparse');
    await sparse.createIndex({ tag: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ a: 1 }, { a: 2 }]);
    expect(await sparse.countDocuments()).toBe(2);
  });
});

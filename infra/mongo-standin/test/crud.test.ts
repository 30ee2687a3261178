import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import type { Collection, CommandStartedEvent } from 'mongodb';
import { itWithOwnServer, openTestServer, type AnyDocument, uniqueDbName, type TestServer } from './harness.js';

describe('document commands through the official driver', () => {
  let server: TestServer;
  let items: Collection<AnyDocument>;
  const dbName = uniqueDbName('crud');
  const started: CommandStartedEvent[] = [];

  beforeAll(async () => {
    server = await openTestServer({ monitorCommands: true });
    server.client.on('commandStarted', (event) => started.push(event));
    items = server.db(dbName).collection<AnyDocument>('items');
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });
  beforeEach(async () => {
    await items.deleteMany({});
    await items.insertMany([
      { _id: 1, sku: 'apple', qty: 5, tags: ['fruit', 'red'], price: 1.25 },
      { _id: 2, sku: 'banana', qty: 0, tags: ['fruit'], price: 0.5 },
      { _id: 3, sku: 'carrot', qty: 12, tags: ['vegetable'], price: 0.75 },
      { _id: 4, sku: 'durian', qty: 1, tags: ['fruit', 'smelly'], price: 9 },
    ]);
  });

  it('inserts documents and generates an ObjectId _id when none is given', async () => {
    const result = await items.insertOne({ sku: 'eggplant' });
    expect(result.insertedId.constructor.name).toBe('ObjectId');
    expect(await items.findOne({ _id: result.insertedId })).toMatchObject({ sku: 'eggplant' });
  });

  it('finds with filter, projection, sort, skip and limit', async () => {
    const found = await items
      .find({ tags: 'fruit', qty: { $gte: 0 } }, { projection: { _id: 0, sku: 1 } })
      .sort({ price: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(found).toEqual([{ sku: 'apple' }, { sku: 'banana' }]);
  });

  it('selects by _id equality and $in as MongoDB compares keys: 1 and 1.0 alike, a string id not equal to a number', async () => {
    await items.insertMany([{ _id: '1', sku: 'string one' }, { _id: 'x', sku: 'x' }]);
    expect((await items.find({ _id: 1.0 }).toArray()).map((document) => document.sku)).toEqual(['apple']);
    expect((await items.find({ _id: { $eq: '1' } }).toArray()).map((document) => document.sku)).toEqual(['string one']);
    expect((await items.find({ _id: { $in: [3, 'x', 99, 3] } }).toArray()).map((document) => document._id).sort()).toEqual([3, 'x']);
    expect(await items.find({ _id: { $in: [] } }).toArray()).toEqual([]);
    expect((await items.find({ _id: { $in: [1, 2, 3] } }).limit(2).toArray())).toHaveLength(2);
  });

  it('keeps an existing field in its place and puts a new field last on a top-level $set', async () => {
    await items.updateOne({ _id: 1 }, { $set: { qty: 6, origin: { country: 'NL' } } });
    const updated = await items.findOne({ _id: 1 });
    expect(Object.keys(updated!)).toEqual(['_id', 'sku', 'qty', 'tags', 'price', 'origin']);
    expect(updated).toMatchObject({ qty: 6, origin: { country: 'NL' } });
    await expect(items.updateOne({ _id: 1 }, { $set: { _id: 7 } })).rejects.toMatchObject({ code: 66 });
  });

  it('pages a cursor with batchSize through getMore', async () => {
    await items.insertMany(Array.from({ length: 21 }, (_, at) => ({ _id: 100 + at, batch: true })));
    started.length = 0;
    const all = await items.find({ batch: true }, { batchSize: 10 }).sort({ _id: 1 }).toArray();
    expect(all.map((document) => document._id)).toEqual(Array.from({ length: 21 }, (_, at) => 100 + at));
    const getMores = started.filter((event) => event.commandName === 'getMore');
    expect(getMores).toHaveLength(2);
  });

  it('kills a cursor so a later getMore reports CursorNotFound (43)', async () => {
    const cursor = items.find({}, { batchSize: 1 });
    await cursor.next();
    const id = cursor.id;
    await cursor.close();
    const failure = await server.db(dbName).command({ getMore: id, collection: 'items' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 43 });
    expect(started.some((event) => event.commandName === 'killCursors')).toBe(true);
  });

  it('updates one, many, with operators, and reports matched/modified counts', async () => {
    const one = await server.db(dbName).command({ update: 'items', updates: [{ q: { sku: 'apple' }, u: { $inc: { qty: 2 }, $push: { tags: 'sweet' } } }] });
    expect(one).toMatchObject({ n: 1, nModified: 1 });
    const many = await items.updateMany({ tags: 'fruit' }, { $set: { kind: 'fruit' } });
    expect(many).toMatchObject({ matchedCount: 3, modifiedCount: 3 });
    const noop = await items.updateOne({ sku: 'banana' }, { $set: { qty: 0 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await items.findOne({ _id: 1 })).toMatchObject({ qty: 7, tags: ['fruit', 'red', 'sweet'], kind: 'fruit' });
  });

  it('upserts from the query equality fields and $setOnInsert', async () => {
    const result = await items.updateOne({ sku: 'fig', qty: { $gt: 100 } }, { $set: { price: 3 }, $setOnInsert: { qty: 0 } }, { upsert: true });
    expect(result.upsertedCount).toBe(1);
    expect(await items.findOne({ _id: result.upsertedId ?? undefined }, { projection: { _id: 0 } })).toEqual({ sku: 'fig', price: 3, qty: 0 });
    const again = await items.updateOne({ sku: 'fig' }, { $set: { price: 4 }, $setOnInsert: { qty: 99 } }, { upsert: true });
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await items.findOne({ sku: 'fig' })).toMatchObject({ price: 4, qty: 0 });
  });

  it('replaces a document but keeps its _id', async () => {
    await items.replaceOne({ _id: 2 }, { sku: 'plantain', qty: 3 });
    expect(await items.findOne({ _id: 2 })).toEqual({ _id: 2, sku: 'plantain', qty: 3 });
    const failure = await items.updateOne({ _id: 2 }, { $set: { _id: 99 } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 66 });
  });

  it('applies arrayFilters to matching array elements', async () => {
    await items.insertOne({ _id: 50, grades: [{ score: 40 }, { score: 90 }, { score: 55 }] });
    await items.updateOne({ _id: 50 }, { $set: { 'grades.$[low].passed': false } }, { arrayFilters: [{ 'low.score': { $lt: 60 } }] });
    expect((await items.findOne({ _id: 50 }))?.grades).toEqual([{ score: 40, passed: false }, { score: 90 }, { score: 55, passed: false }]);
  });

  it('updates with an aggregation pipeline', async () => {
    await items.updateOne({ _id: 3 }, [{ $set: { total: { $multiply: ['$qty', '$price'] } } }]);
    expect((await items.findOne({ _id: 3 }))?.total).toBe(9);
  });

  it('deletes one and many', async () => {
    expect((await items.deleteOne({ tags: 'fruit' })).deletedCount).toBe(1);
    expect((await items.deleteMany({ tags: 'fruit' })).deletedCount).toBe(2);
    expect(await items.countDocuments()).toBe(1);
  });

  it('findAndModify returns the old or new document, honours sort, upserts and removes', async () => {
    const before = await items.findOneAndUpdate({ tags: 'fruit' }, { $inc: { qty: 1 } }, { sort: { qty: -1 }, returnDocument: 'before' });
    expect(before).toMatchObject({ _id: 1, qty: 5 });
    const after = await items.findOneAndUpdate({ _id: 4 }, { $inc: { qty: 1 } }, { returnDocument: 'after', projection: { qty: 1 } });
    expect(after).toEqual({ _id: 4, qty: 2 });
    const upserted = await items.findOneAndUpdate({ _id: 77 }, { $set: { sku: 'grape' } }, { upsert: true, returnDocument: 'after' });
    expect(upserted).toEqual({ _id: 77, sku: 'grape' });
    const missing = await items.findOneAndUpdate({ _id: 78 }, { $set: { sku: 'none' } });
    expect(missing).toBeNull();
    const removed = await items.findOneAndDelete({ sku: 'carrot' });
    expect(removed).toMatchObject({ _id: 3 });
    expect(await items.findOne({ _id: 3 })).toBeNull();
    const replaced = await items.findOneAndReplace({ _id: 2 }, { sku: 'banana2' }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 2, sku: 'banana2' });
  });

  it('counts with count and countDocuments, and lists distinct values (unwinding arrays)', async () => {
    expect(await items.estimatedDocumentCount()).toBe(4);
    expect(await items.countDocuments({ qty: { $gt: 0 } })).toBe(3);
    expect((await server.db(dbName).command({ count: 'items', query: { tags: 'fruit' }, limit: 2 })).n).toBe(2);
    expect((await items.distinct('tags')).sort()).toEqual(['fruit', 'red', 'smelly', 'vegetable']);
    expect((await items.distinct('sku', { qty: { $lt: 2 } })).sort()).toEqual(['banana', 'durian']);
  });

  itWithOwnServer('refuses server-side JavaScript in queries', async () => {
    expect(await items.findOne({ $where: 'true' }).catch((error: unknown) => error)).toMatchObject({ ok: 0 });
  });

  it('keeps going after a failed statement only when the batch is unordered', async () => {
    const ordered = await items.insertMany([{ _id: 10 }, { _id: 1 }, { _id: 11 }]).catch((error: unknown) => error);
    expect(ordered).toMatchObject({ code: 11000 });
    expect(await items.countDocuments({ _id: { $in: [10, 11] } })).toBe(1);
    const unordered = await items.insertMany([{ _id: 20 }, { _id: 1 }, { _id: 21 }], { ordered: false }).catch((error: unknown) => error);
    expect(unordered).toMatchObject({ code: 11000 });
    expect(await items.countDocuments({ _id: { $in: [20, 21] } })).toBe(2);
  });
});

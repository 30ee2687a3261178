import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import type { Collection } from 'mongodb';
import { failureOf, openTestServer, uniqueDbName, type AnyDocument, type TestServer } from './harness.js';

describe('collation, let, update sort, $out and $merge', () => {
  let server: TestServer;
  let people: Collection<AnyDocument>;
  const dbName = uniqueDbName('query_options');

  beforeAll(async () => {
    server = await openTestServer();
    people = server.db(dbName).collection('people');
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });
  beforeEach(async () => {
    await people.deleteMany({});
    await people.insertMany([
      { _id: 1, name: 'Zoë', rank: 3 },
      { _id: 2, name: 'zoe', rank: 1 },
      { _id: 3, name: 'ZOE', rank: 2 },
      { _id: 4, name: 'adam', rank: 4 },
    ]);
  });

  it('matches case-insensitively at strength 2 and ignores accents too at strength 1 (locale en)', async () => {
    const ids = async (strength: number): Promise<unknown[]> => (await people.find({ name: 'zoe' }, { collation: { locale: 'en', strength } }).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    expect(await ids(2)).toEqual([2, 3]);
    expect(await ids(1)).toEqual([1, 2, 3]);
    expect(await ids(3)).toEqual([2]);
    expect(await people.countDocuments({ name: { $in: ['ADAM'] } })).toBe(0);
    expect(await people.countDocuments({ name: { $in: ['ADAM'] } }, { collation: { locale: 'en', strength: 2 } })).toBe(1);
  });

  it('applies the collation to updates and deletes, and "simple" compares binary', async () => {
    const updated = await people.updateMany({ name: 'ZOE' }, { $set: { seen: true } }, { collation: { locale: 'en', strength: 2 } });
    expect(updated.modifiedCount).toBe(2);
    expect(await people.countDocuments({ name: 'ZOE' }, { collation: { locale: 'simple' } })).toBe(1);
    const deleted = await people.deleteMany({ name: 'ADAM' }, { collation: { locale: 'en', strength: 1 } });
    expect(deleted.deletedCount).toBe(1);
    const found = await people.findOneAndUpdate({ name: 'zoë' }, { $set: { found: true } }, { collation: { locale: 'en', strength: 2 }, returnDocument: 'after' });
    expect(found?._id).toBe(1);
  });

  it('evaluates let variables in $expr for find, aggregate, update and delete', async () => {
    const found = await people.find({ $expr: { $gte: ['$rank', '$$minimum'] } }, { let: { minimum: 3 } }).sort({ _id: 1 }).toArray();
    expect(found.map((doc) => doc._id)).toEqual([1, 4]);
    const aggregated = await people.aggregate([{ $match: { $expr: { $eq: ['$rank', '$$wanted'] } } }, { $project: { _id: 1, tag: '$$tag' } }], { let: { wanted: 2, tag: 'x' } }).toArray();
    expect(aggregated).toEqual([{ _id: 3, tag: 'x' }]);
    await people.updateOne({ $expr: { $eq: ['$_id', '$$target'] } }, [{ $set: { rank: '$$newRank' } }], { let: { target: 4, newRank: 40 } });
    expect(await people.findOne({ _id: 4 })).toMatchObject({ rank: 40 });
    const deleted = await people.deleteMany({ $expr: { $lt: ['$rank', '$$limit'] } }, { let: { limit: 2 } });
    expect(deleted.deletedCount).toBe(1);
  });

  it('updates the first document in sort order with updateOne sort (MongoDB 8)', async () => {
    await people.updateOne({ rank: { $gte: 1 } }, { $set: { winner: true } }, { sort: { rank: -1 } });
    expect((await people.find({ winner: true }).toArray()).map((doc) => doc._id)).toEqual([4]);
    await people.replaceOne({}, { name: 'first by rank', rank: 0 }, { sort: { rank: 1 } });
    expect(await people.findOne({ _id: 2 })).toEqual({ _id: 2, name: 'first by rank', rank: 0 });
  });

  it('replaces a collection with $out and upserts into one with $merge', async () => {
    const db = server.db(dbName);
    await db.collection('top').insertOne({ _id: 'stale' } as never);
    expect(await people.aggregate([{ $match: { rank: { $lte: 2 } } }, { $project: { name: 1 } }, { $out: 'top' }]).toArray()).toEqual([]);
    expect(await db.collection('top').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 2, name: 'zoe' },
      { _id: 3, name: 'ZOE' },
    ]);
    await people.aggregate([{ $match: { _id: { $in: [3, 4] } } }, { $project: { rank: 1 } }, { $merge: { into: 'top', whenMatched: 'merge', whenNotMatched: 'insert' } }]).toArray();
    expect(await db.collection('top').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 2, name: 'zoe' },
      { _id: 3, name: 'ZOE', rank: 2 },
      { _id: 4, rank: 4 },
    ]);
    await people.aggregate([{ $project: { rank: 1 } }, { $merge: { into: 'top', whenMatched: 'keepExisting', whenNotMatched: 'discard' } }]).toArray();
    expect(await db.collection('top').countDocuments()).toBe(3);
    const failure = await failureOf(people.aggregate([{ $merge: { into: 'top', on: 'name' } }]).toArray());
    expect(failure).toMatchObject({ code: 51183 });
  });

  it('refuses $out inside a transaction', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await people.findOne({}, { session });
      const failure = await failureOf(people.aggregate([{ $out: 'copy' }], { session }).toArray());
      expect(failure).toMatchObject({ code: 263 });
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
  });
});

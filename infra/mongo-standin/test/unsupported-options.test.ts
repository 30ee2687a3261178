import { rmSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { eventually } from '@shop/testkit';
import { startMongoStandin } from '../src/index.js';
import { failureOf, itWithOwnServer, openTestServer, temporaryDataDir, uniqueDbName, type AnyDocument, type TestServer } from './harness.js';

describe('nothing is silently ignored', () => {
  let server: TestServer;
  let items: Collection<AnyDocument>;
  const dbName = uniqueDbName('unsupported');
  const run = (command: Document): Promise<Document> => server.db(dbName).command(command);

  beforeAll(async () => {
    server = await openTestServer();
    items = server.db(dbName).collection('items');
    await items.insertMany([{ _id: 1, name: 'a' }, { _id: 2, name: 'B' }]);
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });

  it('answers an unknown command field with 40415, naming it, as MongoDB does', async () => {
    const failure = await failureOf(run({ find: 'items', filter: {}, noSuchOption: true }));
    expect(failure).toMatchObject({ code: 40415 });
    expect((failure as Error).message).toContain("'find.noSuchOption'");
    expect(await failureOf(run({ update: 'items', updates: [{ q: {}, u: { $set: { a: 1 } }, bogus: 1 }] }))).toMatchObject({ code: 40415 });
    expect(await failureOf(run({ insert: 'items', documents: [{ _id: 9 }], upsert: true }))).toMatchObject({ code: 40415 });
    expect(await failureOf(items.find({}, { collation: { locale: 'en', bogus: 1 } as never }).toArray())).toMatchObject({ code: 40415 });
  });

  it('keeps accepting what the official driver sends by itself (sessions, concerns, comment, maxTimeMS, hint, batchSize)', async () => {
    const found = await items.find({ _id: 1 }, { comment: 'why', maxTimeMS: 1000, readConcern: { level: 'majority' }, batchSize: 1, hint: { _id: 1 }, allowDiskUse: true }).toArray();
    expect(found).toEqual([{ _id: 1, name: 'a' }]);
    await items.updateOne({ _id: 1 }, { $set: { seen: 1 } }, { writeConcern: { w: 'majority', j: true, wtimeoutMS: 1000 }, comment: 'c' });
    expect(await items.countDocuments({}, { readConcern: { level: 'local' }, maxTimeMS: 500 })).toBe(2);
  });

  itWithOwnServer('refuses find options the stand-in does not implement with 115 CommandNotSupported, naming the option', async () => {
    for (const option of [{ returnKey: true }, { showRecordId: true }, { min: { _id: 1 } }, { max: { _id: 2 } }, { tailable: true }, { noCursorTimeout: true }, { allowPartialResults: true }]) {
      const failure = await failureOf(run({ find: 'items', filter: {}, ...option }));
      expect(failure).toMatchObject({ code: 115, codeName: 'CommandNotSupported' });
      expect((failure as Error).message).toContain(`'find.${Object.keys(option)[0]}'`);
    }
  });

  itWithOwnServer('refuses collations it does not implement with 115 and a non-simple collation with $regex', async () => {
    expect(await failureOf(items.find({}, { collation: { locale: 'fr' } }).toArray())).toMatchObject({ code: 115 });
    expect(await failureOf(items.find({}, { collation: { locale: 'en', numericOrdering: true } }).toArray())).toMatchObject({ code: 115 });
    expect(await failureOf(items.find({ name: /a/ }, { collation: { locale: 'en', strength: 2 } }).toArray())).toMatchObject({ code: 115 });
    expect(await failureOf(items.aggregate([{ $group: { _id: '$name' } }], { collation: { locale: 'en', strength: 2 } }).toArray())).toMatchObject({ code: 115 });
    expect(await failureOf(server.db(dbName).createCollection('ci', { collation: { locale: 'en', strength: 2 } }))).toMatchObject({ code: 115 });
  });

  itWithOwnServer('refuses index kinds and collection options it does not implement with 115', async () => {
    expect(await failureOf(items.createIndex({ name: 'text' }))).toMatchObject({ code: 115 });
    expect(await failureOf(items.createIndex({ name: 1 }, { hidden: true }))).toMatchObject({ code: 115 });
    expect(await failureOf(server.db(dbName).createCollection('capped', { capped: true, size: 4096 }))).toMatchObject({ code: 115 });
    expect(await failureOf(server.db(dbName).createCollection('series', { timeseries: { timeField: 't' } }))).toMatchObject({ code: 115 });
    expect(await failureOf(run({ collMod: 'items', index: { name: '_id_', hidden: true } }))).toMatchObject({ code: 115 });
  });

  itWithOwnServer('refuses $merge options it does not implement and unknown read/write concerns', async () => {
    expect(await failureOf(items.aggregate([{ $merge: { into: 'out', whenMatched: [{ $set: { a: 1 } }] } }]).toArray())).toMatchObject({ code: 115 });
    expect(await failureOf(items.aggregate([{ $merge: { into: 'out', let: { a: 1 } } }]).toArray())).toMatchObject({ code: 115 });
    expect(await failureOf(run({ find: 'items', readConcern: { level: 'snapshot', atClusterTime: new Date() } }))).toMatchObject({ code: 115 });
    expect(await failureOf(run({ find: 'items', readConcern: { level: 'bogus' } }))).toMatchObject({ code: 9 });
    expect(await failureOf(run({ insert: 'items', documents: [{ _id: 7 }], writeConcern: { w: 2 } }))).toMatchObject({ code: 100 });
    const multiSorted = await run({ update: 'items', updates: [{ q: {}, u: { $set: { a: 1 } }, multi: true, sort: { _id: 1 } }] });
    expect(multiSorted.writeErrors).toMatchObject([{ index: 0, code: 72 }]);
  });

  itWithOwnServer('removes documents past their TTL index date (expireAfterSeconds) on its monitor pass', async () => {
    const dataDir = temporaryDataDir();
    const standin = await startMongoStandin({ port: 0, dataDir, ttlMonitorIntervalMs: 50, log: () => undefined });
    const client = await new MongoClient(standin.url, { serverSelectionTimeoutMS: 5000 }).connect();
    try {
      const events = client.db(dbName).collection('events');
      await events.createIndex({ publishedAt: 1 }, { expireAfterSeconds: 60 });
      await events.insertMany([
        { _id: 'old', publishedAt: new Date(Date.now() - 3_600_000) },
        { _id: 'fresh', publishedAt: new Date() },
        { _id: 'unpublished', publishedAt: null },
      ] as never[]);
      await eventually(async () => (await events.countDocuments({ _id: 'old' } as never)) === 0, { description: 'the expired document to be removed' });
      expect((await events.find().sort({ _id: 1 }).toArray()).map((doc) => doc._id)).toEqual(['fresh', 'unpublished']);
    } finally {
      await client.close();
      await standin.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

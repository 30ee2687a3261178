import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Collection } from 'mongodb';
import { openTestServer, type AnyDocument, uniqueDbName, type TestServer } from './harness.js';

describe('atomic single-document updates under concurrency', () => {
  let server: TestServer;
  let stock: Collection<AnyDocument>;
  const dbName = uniqueDbName('concurrency');

  beforeAll(async () => {
    server = await openTestServer({ maxPoolSize: 50 });
    stock = server.db(dbName).collection('stock');
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });

  it('never oversells: 200 concurrent conditional decrements of a stock of 20 modify exactly 20', async () => {
    await stock.insertOne({ _id: 'sku-1', stock: 20 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => stock.updateOne({ _id: 'sku-1', stock: { $gte: 1 } }, { $inc: { stock: -1 } })),
    );
    expect(results.reduce((total, result) => total + result.modifiedCount, 0)).toBe(20);
    expect(await stock.findOne({ _id: 'sku-1' })).toEqual({ _id: 'sku-1', stock: 0 });
  });

  it('hands each of 50 concurrent findOneAndUpdate claims a distinct ticket', async () => {
    await stock.insertMany(Array.from({ length: 30 }, (_, at) => ({ _id: `ticket-${at}`, claimed: false })));
    const claims = await Promise.all(
      Array.from({ length: 50 }, (_, at) => stock.findOneAndUpdate({ claimed: false }, { $set: { claimed: true, by: at } }, { returnDocument: 'after' })),
    );
    const won = claims.filter((claim) => claim !== null).map((claim) => claim._id);
    expect(won).toHaveLength(30);
    expect(new Set(won).size).toBe(30);
  });
});

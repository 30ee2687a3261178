import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Collection, Document } from 'mongodb';
import { openTestServer, type AnyDocument, uniqueDbName, type TestServer } from './harness.js';

describe('aggregate', () => {
  let server: TestServer;
  let orders: Collection<AnyDocument>;
  const dbName = uniqueDbName('aggregate');

  beforeAll(async () => {
    server = await openTestServer();
    orders = server.db(dbName).collection('orders');
    await orders.insertMany([
      { _id: 1, customer: 'ann', items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }], total: 30 },
      { _id: 2, customer: 'bob', items: [{ sku: 'a', qty: 1 }], total: 10 },
      { _id: 3, customer: 'ann', items: [{ sku: 'c', qty: 5 }], total: 50 },
    ]);
    await server.db(dbName).collection<AnyDocument>('customers').insertMany([
      { _id: 'ann', city: 'Oslo' },
      { _id: 'bob', city: 'Rome' },
    ]);
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });

  it('runs $match, $group, $sort, $project and $addFields', async () => {
    const result = await orders
      .aggregate([
        { $match: { total: { $gte: 10 } } },
        { $group: { _id: '$customer', spent: { $sum: '$total' }, orders: { $sum: 1 } } },
        { $sort: { spent: -1 } },
        { $addFields: { average: { $divide: ['$spent', '$orders'] } } },
        { $project: { _id: 0, customer: '$_id', spent: 1, average: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { spent: 80, average: 40, customer: 'ann' },
      { spent: 10, average: 10, customer: 'bob' },
    ]);
  });

  it('runs $unwind, $skip, $limit and $count', async () => {
    const lines = await orders.aggregate([{ $unwind: '$items' }, { $sort: { _id: 1, 'items.sku': 1 } }, { $skip: 1 }, { $limit: 2 }]).toArray();
    expect(lines.map((line) => (line.items as Document).sku)).toEqual(['b', 'a']);
    const [counted] = await orders.aggregate([{ $unwind: '$items' }, { $count: 'lines' }]).toArray();
    expect(counted).toEqual({ lines: 4 });
  });

  it('runs $facet with several sub-pipelines', async () => {
    const [facets] = await orders
      .aggregate([{ $facet: { big: [{ $match: { total: { $gt: 20 } } }, { $count: 'n' }], ids: [{ $project: { _id: 1 } }] } }])
      .toArray();
    expect(facets).toEqual({ big: [{ n: 2 }], ids: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] });
  });

  it('joins another collection of the same database with $lookup', async () => {
    const [joined] = await orders.aggregate([{ $match: { _id: 2 } }, { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'who' } }]).toArray();
    expect(joined?.who).toEqual([{ _id: 'bob', city: 'Rome' }]);
  });

  it('pages aggregate results with a cursor batchSize', async () => {
    const all = await orders.aggregate([{ $sort: { _id: 1 } }], { batchSize: 1 }).toArray();
    expect(all.map((order) => order._id)).toEqual([1, 2, 3]);
  });
});

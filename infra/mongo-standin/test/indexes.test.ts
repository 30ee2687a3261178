import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Collection, Document } from 'mongodb';
import { openTestServer, uniqueDbName, type TestServer } from './harness.js';

interface Item {
  _id: number;
  sku: string;
  category: string;
  price: number;
  tags: string[];
}

/** Every stage of a plan tree (queryPlanner.winningPlan, in the classic or the SBE shape), depth first. */
function stagesOf(plan: unknown): Document[] {
  if (typeof plan !== 'object' || plan === null) return [];
  const node = plan as Document;
  const own = typeof node.stage === 'string' ? [node] : [];
  return [...own, ...Object.values(node).flatMap((value) => (Array.isArray(value) ? value.flatMap(stagesOf) : stagesOf(value)))];
}

function winningPlan(explained: Document): unknown {
  const planner = (explained.queryPlanner ?? (explained.stages as Document[] | undefined)?.[0]?.$cursor?.queryPlanner) as Document;
  return planner.winningPlan;
}

function indexUsed(explained: Document): string | undefined {
  const stages = stagesOf(winningPlan(explained));
  const scan = stages.find((stage) => stage.stage === 'IXSCAN' || stage.stage === 'EXPRESS_IXSCAN');
  if (scan) return scan.indexName as string;
  return stages.some((stage) => stage.stage === 'IDHACK' || stage.stage === 'EXPRESS_IDHACK') ? '_id_' : undefined;
}

describe('indexes serve reads; explain names the index', () => {
  let server: TestServer;
  let items: Collection<Item>;
  const dbName = uniqueDbName('indexes');
  const categories = ['books', 'games', 'tools', 'toys'];

  beforeAll(async () => {
    server = await openTestServer();
    items = server.db(dbName).collection<Item>('items');
    await items.createIndexes([{ key: { sku: 1 }, unique: true }, { key: { category: 1, price: 1 } }, { key: { tags: 1 } }, { key: { price: -1 } }]);
    await items.insertMany(
      Array.from({ length: 400 }, (_, at) => ({
        _id: at,
        sku: `sku-${String(at).padStart(4, '0')}`,
        category: categories[at % 4] as string,
        price: (at * 7) % 100,
        tags: at % 10 === 0 ? ['sale', 'new'] : ['regular'],
      })),
    );
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });

  it('answers equality and range reads through the indexes with the same results as a full scan', async () => {
    const reference = await items.find({}).toArray();
    const cases: [Document, (item: Item) => boolean][] = [
      [{ _id: 17 }, (item) => item._id === 17],
      [{ _id: { $gte: 390 } }, (item) => item._id >= 390],
      [{ sku: 'sku-0042' }, (item) => item.sku === 'sku-0042'],
      [{ category: 'games', price: { $gt: 40, $lte: 60 } }, (item) => item.category === 'games' && item.price > 40 && item.price <= 60],
      [{ category: { $in: ['books', 'toys'] }, price: 3 }, (item) => ['books', 'toys'].includes(item.category) && item.price === 3],
      [{ price: { $lt: 5 } }, (item) => item.price < 5],
      [{ tags: 'sale' }, (item) => item.tags.includes('sale')],
      [{ tags: { $gt: 'r' } }, (item) => item.tags.some((tag) => tag > 'r')],
      [{ $and: [{ category: 'tools' }, { price: { $gte: 90 } }] }, (item) => item.category === 'tools' && item.price >= 90],
      [{ price: { $gt: 'a' } }, () => false],
    ];
    for (const [filter, predicate] of cases) {
      const found = await items.find(filter).sort({ _id: 1 }).toArray();
      expect(found).toEqual(reference.filter(predicate));
    }
  });

  it('shows the index in explain: _id, single field, compound equality plus range, multikey; COLLSCAN without one', async () => {
    expect(indexUsed(await items.find({ _id: 5 }).explain())).toBe('_id_');
    expect(indexUsed(await items.find({ sku: 'sku-0100' }).explain())).toBe('sku_1');
    expect(indexUsed(await items.find({ category: 'books', price: { $gte: 10, $lt: 20 } }).explain())).toBe('category_1_price_1');
    expect(indexUsed(await items.find({ tags: 'new' }).explain('queryPlanner'))).toBe('tags_1');
    expect(indexUsed(await items.find({ price: { $gt: 95 } }).explain())).toBe('price_-1');
    const scan = await items.find({ unindexed: 1 } as Document).explain();
    expect(indexUsed(scan)).toBeUndefined();
    expect(stagesOf(winningPlan(scan)).map((stage) => stage.stage)).toContain('COLLSCAN');
  });

  it('explains aggregate and the explain command, and follows a hint', async () => {
    expect(indexUsed(await items.aggregate([{ $match: { sku: 'sku-0003' } }, { $project: { sku: 1 } }]).explain())).toBe('sku_1');
    const explained = await server.db(dbName).command({ explain: { find: 'items', filter: { category: 'toys' } }, verbosity: 'executionStats' });
    expect(indexUsed(explained)).toBe('category_1_price_1');
    expect(explained.executionStats.nReturned).toBe(100);
    expect(indexUsed(await items.find({ category: 'toys', price: 3 }).hint('price_-1').explain())).toBe('price_-1');
    expect(await items.find({ category: 'toys', price: 3 }).hint({ price: -1 }).toArray()).toEqual(await items.find({ category: 'toys', price: 3 }).toArray());
    const failure = await items.find({}).hint('no_such_index').toArray().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
  });

  it('keeps the indexes right through updates, deletes and transactions', async () => {
    await items.updateOne({ _id: 1 }, { $set: { category: 'garden', price: 1000 } });
    expect((await items.find({ category: 'garden' }).toArray()).map((item) => item._id)).toEqual([1]);
    const byIndex = await items.find({ category: 'games', price: 7 }).sort({ _id: 1 }).toArray();
    expect(byIndex.map((item) => item._id)).toEqual([101, 201, 301]);
    expect(await items.find({ category: 'games', price: 7 }).hint({ $natural: 1 }).sort({ _id: 1 }).toArray()).toEqual(byIndex);
    await items.deleteOne({ sku: 'sku-0002' });
    expect(await items.findOne({ sku: 'sku-0002' })).toBeNull();
    const session = server.client.startSession();
    try {
      await session.withTransaction(async () => {
        await items.insertOne({ _id: 1000, sku: 'sku-new', category: 'garden', price: 5, tags: [] }, { session });
        expect((await items.find({ category: 'garden' }, { session }).sort({ _id: 1 }).toArray()).map((item) => item._id)).toEqual([1, 1000]);
      });
    } finally {
      await session.endSession();
    }
    expect(await items.countDocuments({ category: 'garden' })).toBe(2);
  });
});

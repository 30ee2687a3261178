import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hitIds, openTestServer, uniqueIndexName, type TestServer } from './harness.js';

const sorted = (ids: string[]) => [...ids].sort();

describe('search follows updates and deletes through the index structures', () => {
  let server: TestServer;
  let index: string;
  beforeAll(async () => {
    server = await openTestServer();
    index = uniqueIndexName('postings');
    await server.client.indices.create({
      index,
      mappings: { properties: { title: { type: 'text' }, tag: { type: 'keyword' }, price: { type: 'integer' }, at: { type: 'date' } } },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  const ids = async (query: Record<string, unknown>) => sorted(hitIds(await server.client.search({ index, size: 100, query })));

  it('finds a document by its new terms and values only, after each update, and not after its delete', async () => {
    await server.client.index({ index, id: 'a', document: { title: 'red kettle', tag: 'kitchen', price: 10, at: '2024-01-01' }, refresh: true });
    await server.client.index({ index, id: 'b', document: { title: 'blue kettle', tag: 'kitchen', price: 30, at: '2024-06-01' }, refresh: true });
    expect(await ids({ match: { title: 'kettle' } })).toEqual(['a', 'b']);
    expect(await ids({ range: { price: { gte: 5, lt: 30 } } })).toEqual(['a']);

    await server.client.index({ index, id: 'a', document: { title: 'green teapot', tag: 'tea', price: 50, at: '2025-01-01' }, refresh: true });
    expect(await ids({ match: { title: 'kettle' } })).toEqual(['b']);
    expect(await ids({ match: { title: 'teapot' } })).toEqual(['a']);
    expect(await ids({ term: { tag: 'kitchen' } })).toEqual(['b']);
    expect(await ids({ terms: { tag: ['tea', 'garden'] } })).toEqual(['a']);
    expect(await ids({ range: { price: { gt: 30 } } })).toEqual(['a']);
    expect(await ids({ range: { at: { gte: '2024-03-01', lte: '2024-12-31' } } })).toEqual(['b']);
    expect(await ids({ match_phrase: { title: 'green teapot' } })).toEqual(['a']);
    expect(await ids({ prefix: { title: 'tea' } })).toEqual(['a']);

    await server.client.delete({ index, id: 'b', refresh: true });
    expect(await ids({ match: { title: 'kettle' } })).toEqual([]);
    expect(await ids({ exists: { field: 'tag' } })).toEqual(['a']);
    expect(await ids({ bool: { must_not: [{ term: { tag: 'tea' } }] } })).toEqual([]);
  });

  it('sorts and aggregates on the values of each document\'s latest write, and forgets deleted ones', async () => {
    const shelf = uniqueIndexName('columns');
    await server.client.indices.create({ index: shelf, mappings: { properties: { title: { type: 'text' }, tag: { type: 'keyword' }, price: { type: 'integer' } } } });
    await server.client.bulk({
      refresh: true,
      operations: [['p', 'mug', 'kitchen', 5], ['q', 'pan', 'kitchen', 40], ['r', 'rake', 'garden', 20]].flatMap(([id, title, tag, price]) => [
        { index: { _index: shelf, _id: id } },
        { title, tag, price },
      ]),
    });
    await server.client.index({ index: shelf, id: 'p', document: { title: 'mug', tag: 'garden', price: 60 }, refresh: true });
    await server.client.delete({ index: shelf, id: 'q', refresh: true });
    const reply = await server.client.search({
      index: shelf,
      sort: [{ price: 'desc' }],
      aggs: { tags: { terms: { field: 'tag' } }, prices: { range: { field: 'price', ranges: [{ to: 30 }, { from: 30 }] } }, top: { max: { field: 'price' } } },
    });
    expect(reply.hits.hits.map((hit) => [hit._id, hit.sort])).toEqual([['p', [60]], ['r', [20]]]);
    expect(reply.aggregations).toMatchObject({
      tags: { buckets: [{ key: 'garden', doc_count: 2 }] },
      prices: { buckets: [{ key: '*-30.0', doc_count: 1 }, { key: '30.0-*', doc_count: 1 }] },
      top: { value: 60 },
    });
  });

  it('scores each document by the term frequencies of its latest write, as an index written once with the same documents does', async () => {
    const rewritten = uniqueIndexName('rewritten');
    const writtenOnce = uniqueIndexName('written-once');
    for (const name of [rewritten, writtenOnce]) await server.client.indices.create({ index: name, mappings: { properties: { title: { type: 'text' } } } });
    await server.client.index({ index: rewritten, id: 'a', document: { title: 'red kettle' }, refresh: true });
    await server.client.index({ index: rewritten, id: 'b', document: { title: 'blue kettle kettle' }, refresh: true });
    await server.client.index({ index: rewritten, id: 'c', document: { title: 'kettle lid' }, refresh: true });
    await server.client.index({ index: rewritten, id: 'a', document: { title: 'kettle kettle kettle red' }, refresh: true });
    await server.client.delete({ index: rewritten, id: 'b', refresh: true });
    await server.client.index({ index: rewritten, id: 'b', document: { title: 'blue kettle' }, refresh: true });
    const final = { a: 'kettle kettle kettle red', b: 'blue kettle', c: 'kettle lid' };
    for (const [id, title] of Object.entries(final)) await server.client.index({ index: writtenOnce, id, document: { title }, refresh: true });
    const scores = async (name: string) =>
      Object.fromEntries((await server.client.search({ index: name, query: { match: { title: { query: 'kettle red', fuzziness: 'AUTO' } } } })).hits.hits.map((hit) => [hit._id, hit._score]));
    const expected = await scores(writtenOnce);
    expect(Object.keys(expected).sort()).toEqual(['a', 'b', 'c']);
    expect(expected['a']).toBeGreaterThan(expected['b']!);
    expect(await scores(rewritten)).toEqual(expected);
  });

  it('keeps relevance order stable when the index holds many non-matching documents', async () => {
    const filler = Array.from({ length: 300 }, (_, n) => [{ index: { _index: index, _id: `f${n}` } }, { title: `filler item ${n}`, tag: 'filler', price: n }]).flat();
    await server.client.bulk({ refresh: true, operations: filler });
    await server.client.index({ index, id: 'c', document: { title: 'copper kettle kettle', tag: 'kitchen', price: 70 }, refresh: true });
    await server.client.index({ index, id: 'd', document: { title: 'kettle with a long descriptive title about kettles', tag: 'kitchen', price: 80 }, refresh: true });
    const reply = await server.client.search({ index, query: { match: { title: 'kettle' } } });
    expect(hitIds(reply)).toEqual(['c', 'd']);
    expect(reply.hits.total).toEqual({ value: 2, relation: 'eq' });
  });
});

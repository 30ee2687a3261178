import { describe, expect, it } from '@jest/globals';
import { withCatalogServer } from './catalog.js';
import { failureOf, hitIds, itWithOwnServer, type TestServer } from './harness.js';

const sorted = (ids: string[]) => [...ids].sort();

describe('queries on metadata fields', () => {
  let server: TestServer;
  let index: string;
  withCatalogServer('metadata', (opened) => ({ server, index } = opened));

  const ids = async (query: Record<string, unknown>) => sorted(hitIds(await server.client.search({ index, size: 100, query })));

  it('matches _id with term, terms, match, ids and exists', async () => {
    expect(await ids({ term: { _id: '3' } })).toEqual(['3']);
    expect(await ids({ terms: { _id: ['1', '4', 'missing'] } })).toEqual(['1', '4']);
    expect(await ids({ match: { _id: '2' } })).toEqual(['2']);
    expect(await ids({ ids: { values: ['5', '6'] } })).toEqual(['5', '6']);
    expect(await ids({ exists: { field: '_id' } })).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(await ids({ bool: { filter: [{ terms: { _id: ['1', '2', '3'] } }], must_not: [{ term: { _id: '2' } }] } })).toEqual(['1', '3']);
  });

  it('matches _index with term and terms', async () => {
    expect(await ids({ term: { _index: index } })).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(await ids({ term: { _index: 'some-other-index' } })).toEqual([]);
    expect(await ids({ bool: { filter: [{ terms: { _index: [index] } }, { term: { category: 'boots' } }] } })).toEqual(['2']);
  });

  it('aggregates on _index', async () => {
    const reply = await server.client.search({ index, size: 0, aggs: { indices: { terms: { field: '_index' } } } });
    expect((reply.aggregations!['indices'] as { buckets: unknown[] }).buckets).toEqual([{ key: index, doc_count: 6 }]);
  });

  it('refuses sorting on _id as Elasticsearch 9 does', async () => {
    const failure = await failureOf(server.client.search({ index, sort: [{ _id: 'asc' }] }));
    expect(failure.status).toBe(400);
    expect(JSON.stringify(failure.body.error)).toContain('_id');
  });

  itWithOwnServer('refuses queries on metadata fields it does not index, naming them', async () => {
    const failure = await failureOf(server.client.search({ index, query: { term: { _routing: 'x' } } }));
    expect(failure.status).toBe(400);
    expect(JSON.stringify(failure.body.error)).toContain('_routing');
  });
});

import { describe, expect, it } from '@jest/globals';
import { withCatalogServer } from './catalog.js';
import { failureOf, uniqueIndexName, type TestServer } from './harness.js';

/** `filter_path` (response filtering, a common option of every REST endpoint) as Elasticsearch applies it. */
describe('response filtering with filter_path', () => {
  let server: TestServer;
  let index: string;
  const shoes = { term: { category: 'shoes' } };
  const byPrice = [{ price: { order: 'asc' as const } }];
  withCatalogServer('filter-path', (opened) => ({ server, index } = opened));

  const search = (filterPath: string, body: Record<string, unknown> = {}) => server.client.search({ index, filter_path: filterPath, query: shoes, sort: byPrice, ...body }) as Promise<unknown>;

  it('keeps only the dotted paths named, through arrays, in the reply order', async () => {
    expect(await search('took,hits.hits._id')).toEqual({ took: expect.any(Number), hits: { hits: [{ _id: '4' }, { _id: '1' }, { _id: '5' }] } });
    expect(Object.keys((await search('hits.hits._id,took')) as object)).toEqual(['took', 'hits']);
    expect(await search('hits.hits._source.price,hits.total.value', { size: 1 })).toEqual({ hits: { total: { value: 3 }, hits: [{ _source: { price: 45 } }] } });
  });

  it('matches * within a name and ** at any depth below', async () => {
    const aggs = { brands: { terms: { field: 'brand' } }, prices: { range: { field: 'price', ranges: [{ to: 100 }, { from: 100 }] } } };
    expect(await search('aggregations.*.buckets.doc_count', { size: 0, aggs })).toEqual({
      aggregations: { brands: { buckets: [{ doc_count: 2 }, { doc_count: 1 }] }, prices: { buckets: [{ doc_count: 1 }, { doc_count: 2 }] } },
    });
    expect(await search('hits.hits._source.*ice', { size: 1 })).toEqual({ hits: { hits: [{ _source: { price: 45 } }] } });
    expect(await search('**.key', { size: 0, aggs: { brands: aggs.brands } })).toEqual({ aggregations: { brands: { buckets: [{ key: 'Stride' }, { key: 'Plain' }] } } });
    expect(await search('hits.**._id', { size: 1 })).toEqual({ hits: { hits: [{ _id: '4' }] } });
    expect(await search('**', { size: 1 })).toEqual(await server.client.search({ index, query: shoes, sort: byPrice, size: 1 }).then((reply) => ({ ...reply, took: expect.any(Number) })));
  });

  it('leaves out what starts with -, then keeps what the other paths name', async () => {
    expect(await server.client.count({ index, filter_path: '-_shards' })).toEqual({ count: 6 });
    const reply = (await search('-took,-timed_out,-_shards,-hits.max_score,-hits.hits._index,-hits.hits._source,-hits.hits.sort', { size: 1 })) as object;
    expect(reply).toEqual({ hits: { total: { value: 3, relation: 'eq' }, hits: [{ _id: '4', _score: null }] } });
    expect(await search('hits.hits._source,-hits.hits._source.description,-hits.hits._source.released', { size: 1, _source: ['name', 'description', 'released'] })).toEqual({
      hits: { hits: [{ _source: { name: 'Canvas shoe' } }] },
    });
  });

  it('answers {} when nothing matches, and drops arrays and objects the inclusion leaves empty', async () => {
    expect(await search('no_such_field')).toEqual({});
    expect(await search('hits.hits._id,hits.total.value', { query: { term: { category: 'none' } } })).toEqual({ hits: { total: { value: 0 } } });
    expect(await search('hits.total.value,hits.hits._source.no_such_field')).toEqual({ hits: { total: { value: 3 } } });
  });

  it('keeps arrays that were empty under an exclusion but drops those it emptied', async () => {
    const none = { query: { term: { category: 'none' } } };
    expect(await search('-hits.hits._index,-took', none)).toEqual({ timed_out: false, _shards: expect.any(Object), hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] } });
    expect(await search('-hits.hits.*,-took,-_shards,-timed_out', { size: 1 })).toEqual({ hits: { total: { value: 3, relation: 'eq' }, max_score: null } });
  });

  it('reads \\. as a dot inside a name and trims and ignores empty filters', async () => {
    await server.client.index({ index, id: 'dotted', document: { 'a.b': 1, a: { b: 2 } }, refresh: true });
    const dotted = { query: { ids: { values: ['dotted'] } }, sort: undefined };
    expect(await search('hits.hits._source.a\\.b', dotted)).toEqual({ hits: { hits: [{ _source: { 'a.b': 1 } }] } });
    expect(await search('hits.hits._source.a.b', dotted)).toEqual({ hits: { hits: [{ _source: { a: { b: 2 } } }] } });
    expect(await search(' hits.total.value , ,')).toEqual({ hits: { total: { value: 3 } } });
    await server.client.delete({ index, id: 'dotted', refresh: true });
  });

  it('filters other endpoints too, and never an error body', async () => {
    expect(await server.client.get({ index, id: '1', filter_path: '_source.name,found' })).toEqual({ found: true, _source: { name: 'Trail running shoe' } });
    const failure = await failureOf(server.client.search({ index: uniqueIndexName('missing'), filter_path: 'hits.total' }));
    expect(failure.status).toBe(404);
    expect(failure.body.error.type).toBe('index_not_found_exception');
    expect(failure.body.status).toBe(404);
  });
});
